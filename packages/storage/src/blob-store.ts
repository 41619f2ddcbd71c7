import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppError } from '@everyskill/base/errors';

export interface BlobInfo {
  key: string;
  size: number;
  lastModified: Date;
}

export interface BlobHead extends BlobInfo {
  contentType: string;
}

/**
 * Where skill bundles and files live. Keys are content addresses (`<tenantId>/<sha256>`), so a
 * key always means the same bytes: `put` never overwrites, and a second `put` is a no-op.
 */
export interface BlobStore {
  /**
   * Stores bytes under `key` unless it exists, in which case only its last-modified time is set
   * to now: a bundle a publish is about to reference must not look like an old orphan to the
   * integrity repair. `created` says whether this call wrote the bytes.
   */
  put(key: string, bytes: Uint8Array, options: { contentType: string }): Promise<{ key: string; created: boolean }>;
  /** A stream of the blob, or null when there is none. */
  get(key: string): Promise<Readable | null>;
  head(key: string): Promise<BlobHead | null>;
  exists(key: string): Promise<boolean>;
  /** Removes the blob; removing a missing blob is not an error. */
  delete(key: string): Promise<void>;
  /** Every blob whose key starts with `prefix` (in no promised order), for orphan detection. */
  list(prefix: string): AsyncIterable<BlobInfo>;
}

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
export const MAX_BLOB_KEY_LENGTH = 512;

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The content address of bytes in a tenant: `<tenantId>/<sha256>`. */
export function contentKey(tenantId: string, bytes: Uint8Array): string {
  return `${tenantId}/${sha256Hex(bytes)}`;
}

/** Refuses keys that could leave the store's folder or mean different things to different stores. */
export function assertBlobKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_BLOB_KEY_LENGTH || key.split('/').includes('..') || !KEY_PATTERN.test(key)) {
    const shown = typeof key === 'string' ? JSON.stringify(key.slice(0, 80)) : typeof key;
    throw new AppError(
      'invalid_input',
      `blob key ${shown} is not allowed: use segments of letters, digits, '.', '_' and '-' separated by '/', not starting with '.', at most ${MAX_BLOB_KEY_LENGTH} characters`,
    );
  }
}

/** A key whose last segment is a SHA-256 must name its bytes: that is what makes `put` safe to skip. */
/** Whether the key ends in a SHA-256 (a content address), so its bytes are fixed by the key. */
export function isContentAddress(key: string): boolean {
  return SHA256_PATTERN.test(key.slice(key.lastIndexOf('/') + 1));
}

export function assertContentMatchesKey(key: string, bytes: Uint8Array): void {
  const last = key.slice(key.lastIndexOf('/') + 1);
  if (!isContentAddress(key)) return;
  const actual = sha256Hex(bytes);
  if (actual !== last) {
    throw new AppError('invalid_input', `blob key ${JSON.stringify(key)} names SHA-256 ${last.slice(0, 12)}… but the bytes hash to ${actual.slice(0, 12)}…`);
  }
}

/** A prefix for `list`: empty, or the start of a valid key. */
export function assertBlobPrefix(prefix: string): void {
  if (prefix === '') return;
  assertBlobKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

/** Reads a whole blob into memory (bundles are at most a few MiB); null when it does not exist. */
export async function readBlobBytes(store: BlobStore, key: string): Promise<Uint8Array | null> {
  const stream = await store.get(key);
  if (!stream) return null;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('unavailable', `blob store unavailable: reading ${key} failed part-way (${reason})`);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
