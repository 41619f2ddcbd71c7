import { gzipSync } from 'node:zlib';
import { Zip, ZipDeflate } from 'fflate';
import tar from 'tar-stream';

/** What the writers need of a file; a `BundleFile` fits. */
export interface ArchiveFile {
  path: string;
  bytes: Uint8Array;
  executable?: boolean;
}

export interface ArchiveOptions {
  /** Wraps every path in this folder (the skill name), as people expect of a download. */
  folder?: string;
}

const byPath = (a: ArchiveFile, b: ArchiveFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
const modeOf = (file: ArchiveFile) => (file.executable ? 0o755 : 0o644);
const entryName = (file: ArchiveFile, options: ArchiveOptions) => (options.folder ? `${options.folder}/${file.path}` : file.path);

/** 1980-01-01 00:00 in local time: the earliest DOS time, and the same fields in every time zone. */
const ZIP_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const TAR_MTIME = new Date(0);

/**
 * A zip of the files for download. Deterministic: entries sorted by path, fixed times and modes,
 * so the same files always give the same bytes (and the same checksum).
 */
export function writeZip(files: readonly ArchiveFile[], options: ArchiveOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else chunks.push(chunk);
  });
  for (const file of [...files].sort(byPath)) {
    const entry = new ZipDeflate(entryName(file, options), { level: 9 });
    entry.mtime = ZIP_MTIME;
    entry.os = 3; // Unix, so the mode below is honoured
    entry.attrs = (0o100000 | modeOf(file)) << 16;
    zip.add(entry);
    entry.push(file.bytes, true);
  }
  zip.end();
  // ZipDeflate is synchronous: every chunk has been delivered by now.
  if (failure) throw failure;
  return concat(chunks);
}

/** A gzip-compressed tar of the files for download, deterministic like `writeZip`. */
export async function writeTarGz(files: readonly ArchiveFile[], options: ArchiveOptions = {}): Promise<Uint8Array> {
  const pack = tar.pack();
  const collected = (async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer); // tar-stream emits Buffers
    return concat(chunks);
  })();
  for (const file of [...files].sort(byPath)) {
    await new Promise<void>((resolve, reject) => {
      pack.entry(
        { name: entryName(file, options), size: file.bytes.byteLength, mode: modeOf(file), mtime: TAR_MTIME, uid: 0, gid: 0, uname: '', gname: '', type: 'file' },
        Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }
  pack.finalize();
  // Node writes a zero mtime and a fixed OS byte in the gzip header, so this is deterministic too.
  return new Uint8Array(gzipSync(await collected, { level: 9 }));
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
