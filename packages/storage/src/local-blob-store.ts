import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '@everyskill/base/errors';
import { assertBlobKey, assertBlobPrefix, assertContentMatchesKey, type BlobHead, type BlobInfo, type BlobStore } from './blob-store';

/** Blobs are `<root>/<key>`; content types in `<root>/.meta/<key>.json`; writes start in `<root>/.tmp`. */
const META_DIR = '.meta';
const TMP_DIR = '.tmp';

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code;

/**
 * A blob store in a local folder, for one-machine installs and development. Writes go to a temp
 * file that is fsynced and then hard-linked into place, so a reader never sees half a blob and an
 * existing blob is never replaced, even by two writers racing.
 */
export class LocalBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private pathOf(key: string): string {
    assertBlobKey(key);
    const file = path.resolve(this.root, key);
    // assertBlobKey already refuses '..'; this makes the guarantee independent of that pattern.
    if (!file.startsWith(this.root + path.sep)) throw new AppError('invalid_input', `blob key ${JSON.stringify(key)} leaves the store`);
    return file;
  }

  private metaPathOf(key: string): string {
    return path.join(this.root, META_DIR, `${key}.json`);
  }

  private unavailable(action: string, error: unknown): AppError {
    if (error instanceof AppError) return error;
    const code = codeOf(error) ?? (error instanceof Error ? error.message : String(error));
    return new AppError('unavailable', `blob store unavailable: could not ${action} in ${this.root} (${code})`);
  }

  async put(key: string, bytes: Uint8Array, options: { contentType: string }): Promise<{ key: string; created: boolean }> {
    const file = this.pathOf(key);
    assertContentMatchesKey(key, bytes);
    if (await this.refreshIfExists(key)) return { key, created: false };
    const tmp = path.join(this.root, TMP_DIR, randomUUID());
    try {
      await mkdir(path.dirname(tmp), { recursive: true });
      await mkdir(path.dirname(file), { recursive: true });
      await mkdir(path.dirname(this.metaPathOf(key)), { recursive: true });
      await writeDurably(`${tmp}.meta`, Buffer.from(JSON.stringify({ contentType: options.contentType })));
      await rename(`${tmp}.meta`, this.metaPathOf(key));
      await writeDurably(tmp, bytes);
      try {
        // link refuses to replace an existing file: a racing writer of the same key wins cleanly.
        await link(tmp, file);
        return { key, created: true };
      } catch (error) {
        if (codeOf(error) === 'EEXIST') return { key, created: false };
        // Filesystems without hard links: rename is still atomic; the check above makes a replace unlikely.
        if (['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(codeOf(error) ?? '')) {
          if (await this.exists(key)) return { key, created: false };
          await rename(tmp, file);
          return { key, created: true };
        }
        throw error;
      }
    } catch (error) {
      throw this.unavailable(`write ${key}`, error);
    } finally {
      await unlink(tmp).catch(() => undefined);
      await unlink(`${tmp}.meta`).catch(() => undefined);
    }
  }

  async get(key: string): Promise<Readable | null> {
    const file = this.pathOf(key);
    try {
      const handle = await open(file, 'r');
      return handle.createReadStream();
    } catch (error) {
      if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return null;
      throw this.unavailable(`read ${key}`, error);
    }
  }

  /** Sets an existing blob's modification time to now; false when there is none. */
  private async refreshIfExists(key: string): Promise<boolean> {
    const now = new Date();
    try {
      await utimes(this.pathOf(key), now, now);
      return true;
    } catch (error) {
      if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return false;
      throw this.unavailable(`write ${key}`, error);
    }
  }

  async head(key: string): Promise<BlobHead | null> {
    const file = this.pathOf(key);
    try {
      const info = await stat(file);
      if (!info.isFile()) return null;
      const meta = await readFile(this.metaPathOf(key), 'utf8')
        .then((text) => JSON.parse(text) as { contentType?: unknown })
        .catch(() => ({ contentType: undefined }));
      const contentType = typeof meta.contentType === 'string' ? meta.contentType : 'application/octet-stream';
      return { key, size: info.size, lastModified: info.mtime, contentType };
    } catch (error) {
      if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return null;
      throw this.unavailable(`read ${key}`, error);
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    try {
      await rm(file, { force: true });
      await rm(this.metaPathOf(key), { force: true });
    } catch (error) {
      throw this.unavailable(`delete ${key}`, error);
    }
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    assertBlobPrefix(prefix);
    // Start at the deepest folder the prefix names, so listing one tenant does not walk all.
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    yield* this.walk(base, prefix);
  }

  private async *walk(dir: string, prefix: string): AsyncGenerator<BlobInfo> {
    let names: string[];
    try {
      names = await readdir(path.join(this.root, dir));
    } catch (error) {
      if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return;
      throw this.unavailable('list blobs', error);
    }
    const entries: { key: string; info: Awaited<ReturnType<typeof stat>> }[] = [];
    for (const name of names) {
      if (dir === '' && (name === META_DIR || name === TMP_DIR)) continue;
      const key = dir === '' ? name : `${dir}/${name}`;
      if (!key.startsWith(prefix) && !prefix.startsWith(`${key}/`)) continue;
      const info = await stat(path.join(this.root, key)).catch(() => null);
      if (info) entries.push({ key, info });
    }
    // A folder sorts as `name/`, so the walk yields keys in plain string order (stable output).
    const sortKey = (e: (typeof entries)[number]) => (e.info.isDirectory() ? `${e.key}/` : e.key);
    entries.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
    for (const { key, info } of entries) {
      if (info.isDirectory()) yield* this.walk(key, prefix);
      else if (info.isFile() && key.startsWith(prefix)) yield { key, size: Number(info.size), lastModified: info.mtime };
    }
  }
}

async function writeDurably(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
