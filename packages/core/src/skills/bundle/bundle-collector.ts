import { createHash } from 'node:crypto';
import { AppError, invalidInput } from '../../errors';
import { formatBytes, type BundleLimits } from './bundle-limits';
import { isJunkPath, normalizeBundlePath } from './bundle-path';

/** One file of a skill bundle, held in memory. `path` is relative to the skill folder. */
export interface BundleFile {
  path: string;
  bytes: Uint8Array;
  /** Lowercase hex SHA-256 of `bytes`: the file's content address. */
  sha256: string;
  size: number;
  /** UTF-8 without NUL bytes: shown in the viewer and scanned for secrets. */
  isText: boolean;
  /** Unix execute bit from the archive (scripts keep it when downloaded again). */
  executable: boolean;
}

export interface SkillBundle {
  /** Every file, sorted by path, SKILL.md included. */
  files: BundleFile[];
  /** The text of SKILL.md. */
  skillMarkdown: string;
  /** The single top folder the archive wrapped the skill in, if any: the name check compares against it. */
  folderName: string | null;
  totalSize: number;
  /** Paths dropped as operating-system clutter (`__MACOSX/`, `.DS_Store`). */
  ignored: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Gathers the entries of one archive or upload while enforcing the limits as bytes arrive, so a
 * bomb is stopped after at most one chunk past a limit, whatever the archive declares.
 */
export class BundleCollector {
  private readonly byKey = new Map<string, BundleFile>();
  private readonly ignored: string[] = [];
  private unpackedBytes = 0;
  private entryCount = 0;
  private fileCount = 0;

  constructor(
    readonly limits: BundleLimits,
    /** "zip archive", "tar.gz archive", "upload": names the input in messages. */
    readonly inputName: string,
  ) {}

  /** Entries of any kind (directories and clutter too) an input may hold. */
  get maxEntries(): number {
    return this.limits.maxFiles * 2;
  }

  /** An error for input the format library could not read. */
  damaged(cause: unknown): AppError {
    if (cause instanceof AppError) return cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    return invalidInput(`the ${this.inputName} is damaged or not a ${this.inputName}: ${reason}`, { reason: 'damaged' });
  }

  /**
   * Registers an entry before its content is read. Returns the normalised path of a file to
   * read, or null for a directory or clutter (whose content, if any, goes to `discard`).
   */
  begin(rawPath: string, kind: 'file' | 'directory', declaredSize: number | undefined): string | null {
    this.entryCount++;
    if (this.entryCount > this.maxEntries) {
      throw invalidInput(`the ${this.inputName} has more than ${this.maxEntries} entries; a skill may have at most ${this.limits.maxFiles} files`, {
        reason: 'too-many-files',
        limit: this.limits.maxFiles,
      });
    }
    // `./` is the archive's own root folder (tar czf x.tgz .): nothing to check or keep.
    if (kind === 'directory' && /^(\.\/*)+$/.test(rawPath)) return null;
    const path = normalizeBundlePath(rawPath, this.limits.maxPathLength);
    if (isJunkPath(path)) {
      if (kind === 'file') this.ignored.push(path);
      return null;
    }
    if (kind === 'directory') return null;
    this.fileCount++;
    if (this.fileCount > this.limits.maxFiles) {
      throw invalidInput(`the ${this.inputName} has more than ${this.limits.maxFiles} files; a skill may have at most ${this.limits.maxFiles}`, {
        reason: 'too-many-files',
        limit: this.limits.maxFiles,
      });
    }
    const key = path.toLowerCase();
    const existing = this.byKey.get(key);
    if (existing) {
      const message =
        existing.path === path
          ? `path ${JSON.stringify(path)} appears twice in the ${this.inputName}`
          : `paths ${JSON.stringify(existing.path)} and ${JSON.stringify(path)} differ only in letter case; they would overwrite each other on macOS and Windows`;
      throw invalidInput(message, { reason: 'duplicate-path', path });
    }
    // A declared size is only a hint (it may lie low); refusing on a high one saves inflating it.
    if (declaredSize !== undefined) {
      this.checkFileSize(path, declaredSize);
      this.checkTotalSize(this.unpackedBytes + declaredSize);
    }
    this.byKey.set(key, { path, bytes: new Uint8Array(0), sha256: '', size: 0, isText: true, executable: false });
    return path;
  }

  /** Reads a file's content, counting every byte against the per-file and total limits. */
  async read(path: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of chunks) {
        size += chunk.byteLength;
        this.unpackedBytes += chunk.byteLength;
        this.checkFileSize(path, size);
        this.checkTotalSize(this.unpackedBytes);
        parts.push(chunk);
      }
    } catch (error) {
      throw this.damaged(error);
    }
    return Buffer.concat(parts, size);
  }

  /** Drains content that is not kept (clutter), still counting it against the total. */
  async discard(chunks: AsyncIterable<Uint8Array>): Promise<void> {
    try {
      for await (const chunk of chunks) {
        this.unpackedBytes += chunk.byteLength;
        this.checkTotalSize(this.unpackedBytes);
      }
    } catch (error) {
      throw this.damaged(error);
    }
  }

  /** Stores a file read with `read`. */
  add(path: string, bytes: Uint8Array, executable: boolean): void {
    this.byKey.set(path.toLowerCase(), {
      path,
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.byteLength,
      isText: isUtf8Text(bytes),
      executable,
    });
  }

  private checkFileSize(path: string, size: number): void {
    if (size > this.limits.maxFileBytes) {
      throw invalidInput(`file ${JSON.stringify(path)} unpacks to more than ${formatBytes(this.limits.maxFileBytes)}, the limit for one file`, {
        reason: 'file-too-large',
        path,
        limit: this.limits.maxFileBytes,
      });
    }
  }

  private checkTotalSize(total: number): void {
    if (total > this.limits.maxUnpackedBytes) {
      throw invalidInput(`the ${this.inputName} unpacks to more than ${formatBytes(this.limits.maxUnpackedBytes)}, the limit for a skill`, {
        reason: 'bundle-too-large',
        limit: this.limits.maxUnpackedBytes,
      });
    }
  }

  /** Locates SKILL.md (at the root or in a single top folder) and returns the bundle. */
  finish(): SkillBundle {
    const all = [...this.byKey.values()];
    if (all.length === 0) throw invalidInput(`the ${this.inputName} contains no files; a skill needs at least a SKILL.md`, { reason: 'no-skill-md' });
    const paths = new Set(all.map((f) => f.path));
    let folderName: string | null = null;
    if (!paths.has('SKILL.md')) {
      const tops = new Set(all.map((f) => (f.path.includes('/') ? f.path.split('/')[0] : '')));
      const [top] = tops;
      if (tops.size === 1 && top && paths.has(`${top}/SKILL.md`)) {
        folderName = top;
      } else {
        throw this.noSkillMd([...paths], tops);
      }
    }
    const prefix = folderName === null ? '' : `${folderName}/`;
    const files = all
      .map((f) => ({ ...f, path: f.path.slice(prefix.length) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const skillMd = files.find((f) => f.path === 'SKILL.md');
    if (!skillMd?.isText) throw invalidInput('SKILL.md must be UTF-8 text', { reason: 'skill-md-not-text' });
    return {
      files,
      skillMarkdown: new TextDecoder('utf-8').decode(skillMd.bytes),
      folderName,
      totalSize: files.reduce((sum, f) => sum + f.size, 0),
      ignored: [...this.ignored].sort(),
    };
  }

  private noSkillMd(paths: string[], tops: Set<string | undefined>): AppError {
    const wrongCase = paths.find((p) => /(^|\/)skill\.md$/i.test(p) && p.split('/').length <= 2);
    if (wrongCase && !wrongCase.endsWith('SKILL.md')) {
      return invalidInput(`found ${JSON.stringify(wrongCase)}, but the file must be named SKILL.md (in capitals)`, { reason: 'no-skill-md', path: wrongCase });
    }
    const nested = paths.filter((p) => p.endsWith('/SKILL.md')).sort((a, b) => a.split('/').length - b.split('/').length)[0];
    if (nested && tops.size > 1 && nested.split('/').length === 2) {
      const others = [...tops].filter((t) => t !== nested.split('/')[0]).map((t) => (t === '' ? '(files at the root)' : `${t}/`));
      return invalidInput(
        `SKILL.md is in ${JSON.stringify(nested.split('/')[0])}, but the ${this.inputName} also has ${others.slice(0, 3).join(', ')}; put everything inside that one folder or at the root`,
        { reason: 'no-skill-md', path: nested },
      );
    }
    if (nested) {
      return invalidInput(`SKILL.md must be at the root of the ${this.inputName} or inside a single top folder; found ${JSON.stringify(nested)}`, {
        reason: 'no-skill-md',
        path: nested,
      });
    }
    return invalidInput(`the ${this.inputName} has no SKILL.md; a skill folder must contain one`, { reason: 'no-skill-md' });
  }
}
