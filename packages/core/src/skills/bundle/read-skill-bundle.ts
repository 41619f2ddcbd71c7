import { invalidInput } from '../../errors';
import { BundleCollector, type SkillBundle } from './bundle-collector';
import { formatBytes, resolveBundleLimits, type BundleLimits } from './bundle-limits';
import { readTarGzEntries } from './read-tar-gz-entries';
import { readZipEntries } from './read-zip-entries';

export type SkillBundleInput =
  | { kind: 'zip' | 'tar.gz'; bytes: Uint8Array }
  /** Files picked one by one or as a folder in the browser, or written by the editor. */
  | { kind: 'files'; files: readonly { path: string; bytes: Uint8Array; executable?: boolean }[] };

/**
 * Unpacks an uploaded skill (zip, tar.gz or loose files) into memory and checks it: limits,
 * safe paths, regular files only, SKILL.md at the root or in one top folder. Throws
 * AppError('invalid_input') with a message for the uploader; never writes to disk.
 */
export async function readSkillBundle(input: SkillBundleInput, limits: Partial<BundleLimits> = {}): Promise<SkillBundle> {
  const resolved = resolveBundleLimits(limits);
  switch (input.kind) {
    case 'zip':
    case 'tar.gz': {
      if (!(input.bytes instanceof Uint8Array)) throw invalidInput(`the ${input.kind} upload has no bytes`, { reason: 'damaged' });
      if (input.bytes.byteLength > resolved.maxCompressedBytes) {
        throw invalidInput(`the archive is ${formatBytes(input.bytes.byteLength)}; the limit is ${formatBytes(resolved.maxCompressedBytes)}`, {
          reason: 'archive-too-large',
          limit: resolved.maxCompressedBytes,
        });
      }
      const collector = new BundleCollector(resolved, input.kind === 'zip' ? 'zip archive' : 'tar.gz archive');
      if (input.kind === 'zip') await readZipEntries(input.bytes, collector);
      else await readTarGzEntries(input.bytes, collector);
      return collector.finish();
    }
    case 'files': {
      const collector = new BundleCollector(resolved, 'upload');
      for (const file of input.files) {
        const path = collector.begin(file.path, 'file', file.bytes.byteLength);
        if (path === null) continue;
        const bytes = await collector.read(path, [file.bytes]);
        collector.add(path, bytes, file.executable ?? false);
      }
      return collector.finish();
    }
    default:
      throw invalidInput(`unknown bundle kind ${JSON.stringify((input as { kind: unknown }).kind)}; use zip, tar.gz or files`);
  }
}
