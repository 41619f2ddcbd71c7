import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Transaction } from '@everyskill/db';
import type { BlobStore } from '@everyskill/storage';
import type { Ctx } from '../context';
import { AppError } from '../errors';

/**
 * What the skill services need of a blob store. Keys are content addresses `<tenantId>/<sha256>`;
 * `put` never overwrites.
 */
export type SkillBlobStore = Pick<BlobStore, 'put' | 'get'>;

/** What the publish hook is told: the new version, in the transaction that created it. */
export interface VersionPublishedEvent {
  tenantId: string;
  skillId: string;
  versionId: string;
  contentSha256: string;
  publishedBy: string | null;
  /** Set when the version is an approved submission's revision, which Claude may have reviewed already. */
  fromRevisionId?: string;
}

/** The ctx of the services that read or write bundles. */
export interface SkillsCtx extends Ctx {
  blobs: SkillBlobStore;
  /**
   * Called inside the transaction that publishes a version (e.g. to queue its search embedding);
   * the app sets it, tests that do not care leave it out.
   */
  afterPublish?: (tx: Transaction, event: VersionPublishedEvent) => Promise<void>;
}

/** The content address of bytes in a tenant, as the storage package computes it. */
export function blobKeyOf(tenantId: string, bytes: Uint8Array): string {
  return `${tenantId}/${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A stored blob's stream; a missing blob (a row pointing at nothing) is reported, never hidden. */
export async function openBlob(ctx: SkillsCtx, key: string): Promise<Readable> {
  let stream: Readable | null;
  try {
    stream = await ctx.blobs.get(key);
  } catch (error) {
    throw asUnavailable(error, 'read');
  }
  if (!stream) throw new AppError('internal', `the stored bundle ${key} is missing from the blob store`);
  return stream;
}

/** A stored blob's bytes (bundles are at most 10 MiB). */
export async function readBlob(ctx: SkillsCtx, key: string): Promise<Uint8Array> {
  const stream = await openBlob(ctx, key);
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  } catch (error) {
    throw asUnavailable(error, 'read');
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * A failure of the store as `unavailable` with a message for people. The store's own message
 * (which names hosts and folders) stays on `cause` for the logs, out of what clients see.
 */
export function asUnavailable(error: unknown, action: 'read' | 'store'): AppError {
  if (error instanceof AppError && error.code !== 'unavailable') return error;
  const failure = new AppError(
    'unavailable',
    action === 'store'
      ? 'the skill store is not reachable right now, so nothing was published; try again in a minute'
      : 'the skill store is not reachable right now; try again in a minute',
    { reason: 'blob-store-unavailable' },
  );
  failure.cause = error;
  return failure;
}
