// Test support: hand-built archives (bombs, links, lying headers) that no well-behaved writer
// produces, plus the shared skills corpus. Imported only by tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, crc32, deflateRawSync, gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export interface RawZipEntry {
  name: string;
  /** The file data as stored (already deflated when method is 8). */
  data: Uint8Array;
  method?: 0 | 8;
  crc?: number;
  /** What the headers claim; defaults to data.length (stored) — pass the truth or a lie. */
  uncompressedSize?: number;
  /** Unix mode including the type bits, e.g. 0o120777 for a symlink. */
  unixMode?: number;
  flags?: number;
  /** Points this central-directory record at another entry's local header (overlapping bomb). */
  shareDataWith?: number;
}

/** Writes a zip byte by byte, trusting every field it is given. */
export function rawZip(entries: RawZipEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (entry.shareDataWith !== undefined) {
      offsets.push(offsets[entry.shareDataWith] ?? 0);
      continue;
    }
    const name = Buffer.from(entry.name, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE((entry.flags ?? 0) | 0x800, 6);
    header.writeUInt16LE(entry.method ?? 0, 8);
    header.writeUInt16LE(0, 10);
    header.writeUInt16LE(0x21, 12);
    header.writeUInt32LE((entry.crc ?? crc32(entry.data)) >>> 0, 14);
    header.writeUInt32LE(entry.data.byteLength, 18);
    header.writeUInt32LE(entry.uncompressedSize ?? entry.data.byteLength, 22);
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(0, 28);
    offsets.push(offset);
    const local = Buffer.concat([header, name, entry.data]);
    locals.push(local);
    offset += local.length;
  }
  const central: Buffer[] = [];
  entries.forEach((entry, i) => {
    const source = entry.shareDataWith !== undefined ? entries[entry.shareDataWith] ?? entry : entry;
    const name = Buffer.from(entry.name, 'utf8');
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE((3 << 8) | 20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE((source.flags ?? 0) | 0x800, 8);
    record.writeUInt16LE(source.method ?? 0, 10);
    record.writeUInt16LE(0, 12);
    record.writeUInt16LE(0x21, 14);
    record.writeUInt32LE((source.crc ?? crc32(source.data)) >>> 0, 16);
    record.writeUInt32LE(source.data.byteLength, 20);
    record.writeUInt32LE(source.uncompressedSize ?? source.data.byteLength, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(((entry.unixMode ?? 0o100644) << 16) >>> 0, 38);
    record.writeUInt32LE(offsets[i] ?? 0, 42);
    central.push(Buffer.concat([record, name]));
  });
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
}

const MiB = 1024 * 1024;
const zeroMiB = Buffer.alloc(MiB);
/** One MiB of zeros deflated, ending on a full flush: copies can be concatenated. */
const zeroMiBBlock = deflateRawSync(zeroMiB, { finishFlush: constants.Z_FULL_FLUSH, level: 9 });
const finalBlock = deflateRawSync(Buffer.alloc(0));

/**
 * Raw deflate data for `prefix` followed by `mebibytes` MiB of zeros, built without ever holding
 * the zeros: about 1 KiB per MiB, so 1 GiB fits in about 1 MiB.
 */
export function deflatedZeros(mebibytes: number, prefix: Uint8Array = new Uint8Array(0)): { data: Uint8Array; crc: number; size: number } {
  const parts: Buffer[] = [];
  let crc = 0;
  if (prefix.byteLength > 0) {
    parts.push(deflateRawSync(prefix, { finishFlush: constants.Z_FULL_FLUSH }));
    crc = crc32(prefix, crc);
  }
  for (let i = 0; i < mebibytes; i++) {
    parts.push(zeroMiBBlock);
    crc = crc32(zeroMiB, crc);
  }
  parts.push(finalBlock);
  return { data: new Uint8Array(Buffer.concat(parts)), crc: crc >>> 0, size: prefix.byteLength + mebibytes * MiB };
}

/** A gzip member around raw deflate data (RFC 1952). */
export function gzipMember(deflated: { data: Uint8Array; crc: number; size: number }): Uint8Array {
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(deflated.crc >>> 0, 0);
  trailer.writeUInt32LE(deflated.size % 2 ** 32, 4);
  return new Uint8Array(Buffer.concat([header, deflated.data, trailer]));
}

/** A 512-byte ustar header, for tar bombs whose content is never materialised. */
export function tarHeader(name: string, size: number, type = '0'): Uint8Array {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(size.toString(8).padStart(11, '0') + '\0', 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write(type, 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return new Uint8Array(header);
}

export interface TarEntrySpec {
  name: string;
  content?: string | Uint8Array;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo';
  linkname?: string;
  mode?: number;
}

/** A .tar (not gzipped) via tar-stream, which writes whatever names and types it is given. */
export async function tarOf(entries: TarEntrySpec[]): Promise<Uint8Array> {
  const pack = tar.pack();
  const done = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  })();
  for (const entry of entries) {
    const content = typeof entry.content === 'string' ? Buffer.from(entry.content) : Buffer.from(entry.content ?? new Uint8Array(0));
    const type = entry.type ?? 'file';
    const header = { name: entry.name, type, mode: entry.mode ?? 0o644, size: type === 'file' ? content.length : 0, ...(entry.linkname ? { linkname: entry.linkname } : {}) };
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (type === 'file') pack.entry(header, content, done);
      else pack.entry(header, done);
    });
  }
  pack.finalize();
  return new Uint8Array(await done);
}

export async function tarGzOf(entries: TarEntrySpec[]): Promise<Uint8Array> {
  return new Uint8Array(gzipSync(await tarOf(entries)));
}

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml above ${start}`);
  }
}

/** `<repo>/../shared/corpus`, or `EVERYSKILL_CORPUS_DIR`. */
export const corpusDir =
  process.env.EVERYSKILL_CORPUS_DIR ?? path.resolve(findRepoRoot(path.dirname(fileURLToPath(import.meta.url))), '..', 'shared', 'corpus');
export const corpusMissingMessage = `skills corpus not found at ${corpusDir}: check out shared/ beside the repository or set EVERYSKILL_CORPUS_DIR`;

/** The valid corpus skills as `{ id, folder, text }`; throws with a clear message when absent. */
export function readCorpusSkills(): { id: string; folder: string; text: string }[] {
  const dir = path.join(corpusDir, 'skills');
  if (!existsSync(dir)) throw new Error(corpusMissingMessage);
  return readdirSync(dir)
    .sort()
    .map((id) => ({ id, folder: id.split('__').at(-1) ?? id, text: readFileSync(path.join(dir, id, 'SKILL.md'), 'utf8') }));
}
