import { createHash } from 'node:crypto';
import { invalidInput } from '../errors';
import type { SkillBundle } from './bundle/bundle-collector';
import { DEFAULT_BUNDLE_LIMITS, type BundleLimits } from './bundle/bundle-limits';
import { readSkillBundle, type SkillBundleInput } from './bundle/read-skill-bundle';
import { writeZip, type ArchiveFile } from './bundle/write-archive';
import { readBlob, type SkillsCtx } from './skill-blob-store';

/** An upload: an archive as sent (its format read from the name or the first bytes), or loose files. */
export type UploadSource =
  | { kind: 'archive'; fileName?: string; bytes: Uint8Array }
  | Extract<SkillBundleInput, { kind: 'files' }>;

/** Reads and checks an upload with the bundle library's limits. */
export async function readUploadedBundle(source: UploadSource): Promise<SkillBundle> {
  if (source.kind === 'files') return readSkillBundle(source);
  return readSkillBundle({ kind: archiveFormat(source.fileName, source.bytes), bytes: source.bytes });
}

function archiveFormat(fileName: string | undefined, bytes: Uint8Array): 'zip' | 'tar.gz' {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'zip';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'tar.gz';
  const name = fileName?.toLowerCase() ?? '';
  if (name.endsWith('.zip')) return 'zip';
  if (name.endsWith('.tar.gz') || name.endsWith('.tgz')) return 'tar.gz';
  throw invalidInput(`${fileName ? `'${fileName}'` : 'the upload'} is neither a .zip nor a .tar.gz archive`, { reason: 'damaged' });
}

/**
 * The stored form of a version: a deterministic zip with everything inside a folder named after
 * the skill, which is also exactly what a zip download serves.
 */
export function packBundle(files: readonly ArchiveFile[], folder: string): Uint8Array {
  return writeZip(files, { folder });
}

// Versions never change, so their unpacked bundles can be kept; bounded by total size.
const CACHE_MAX_BYTES = 64 * 1024 * 1024;
const cache = new Map<string, SkillBundle>();
let cachedBytes = 0;

/** The files of a stored version, read from its blob (cached in memory, least recently used out first). */
export async function loadVersionBundle(ctx: SkillsCtx, blobKey: string): Promise<SkillBundle> {
  const hit = cache.get(blobKey);
  if (hit) {
    cache.delete(blobKey);
    cache.set(blobKey, hit);
    return hit;
  }
  const bytes = await readBlob(ctx, blobKey);
  const bundle = await readSkillBundle({ kind: 'zip', bytes }, storedBundleLimits(bytes));
  if (bundle.totalSize <= CACHE_MAX_BYTES / 4) {
    cache.set(blobKey, bundle);
    cachedBytes += bundle.totalSize;
    for (const [key, old] of cache) {
      if (cachedBytes <= CACHE_MAX_BYTES) break;
      cache.delete(key);
      cachedBytes -= old.totalSize;
    }
  }
  return bundle;
}

/**
 * Limits for reading back a stored version, which passed the upload limits when it was published.
 * Storing re-packs it (zip, inside a folder named after the skill, up to 64 characters and a
 * slash), so its paths are longer and its archive may be larger than the upload's were: those two
 * limits make room for that, or a version could be published and then never read again.
 */
function storedBundleLimits(bytes: Uint8Array): Partial<BundleLimits> {
  return {
    maxCompressedBytes: Math.max(bytes.byteLength, DEFAULT_BUNDLE_LIMITS.maxCompressedBytes),
    maxPathLength: DEFAULT_BUNDLE_LIMITS.maxPathLength + 65,
  };
}

/**
 * The content address of a version: SHA-256 over its sorted (path, mode, file SHA-256) list, so
 * it depends only on the files, not on how an archive compressed them.
 */
export function bundleContentSha256(files: readonly { path: string; sha256: string; executable: boolean }[]): string {
  const lines = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.path}\0${f.executable ? '755' : '644'}\0${f.sha256}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}

/**
 * A stored bundle as a new publication: its files inside `folder` with SKILL.md's text replaced,
 * read back through the bundle reader like any upload (a variation, a restored version). SKILL.md
 * keeps its bytes when its text is unchanged, and its byte-order mark when it had one; paths get
 * the same allowance as stored versions (a version published without a top folder gains one here).
 */
export function withSkillMarkdown(stored: SkillBundle, folder: string, skillMarkdown: string): Promise<SkillBundle> {
  const skillMdBytes = (original: Uint8Array) => {
    if (skillMarkdown === stored.skillMarkdown) return original;
    const bom = original[0] === 0xef && original[1] === 0xbb && original[2] === 0xbf;
    return new TextEncoder().encode(`${bom ? '\uFEFF' : ''}${skillMarkdown}`);
  };
  return readSkillBundle(
    {
      kind: 'files',
      files: stored.files.map((f) => ({
        path: `${folder}/${f.path}`,
        bytes: f.path === 'SKILL.md' ? skillMdBytes(f.bytes) : f.bytes,
        executable: f.executable,
      })),
    },
    { maxPathLength: DEFAULT_BUNDLE_LIMITS.maxPathLength + 65 },
  );
}
