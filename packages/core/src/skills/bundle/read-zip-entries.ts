import { pipeline, type Readable } from 'node:stream';
import { createInflateRaw, crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { invalidInput } from '../../errors';
import type { BundleCollector } from './bundle-collector';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const MADE_BY_UNIX = 3;
const MADE_BY_MACOS = 19;
const DOS_DIRECTORY = 0x10;

/**
 * Reads every entry of a zip held in memory into the collector. yauzl reads the central
 * directory; file data is inflated here, by our own inflate stream, so the collector's counters
 * see every byte and can stop it. Declared sizes and CRCs are checked after each file.
 */
export async function readZipEntries(bytes: Uint8Array, collector: BundleCollector): Promise<void> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let zip: ZipFile;
  try {
    // decodeStrings off: names are decoded and checked below, with our messages.
    zip = await yauzl.fromBufferPromise(buffer, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: false,
      strictFileNames: true,
    });
  } catch (error) {
    throw collector.damaged(error);
  }
  // Errors reach eachEntry's promise; this listener keeps a late one from becoming an uncaught throw.
  zip.on('error', () => undefined);
  const entries = zip.eachEntry();
  try {
    if (zip.entryCount > collector.maxEntries) {
      throw invalidInput(`the zip archive has ${zip.entryCount} entries; a skill may have at most ${collector.limits.maxFiles} files`, {
        reason: 'too-many-files',
        limit: collector.limits.maxFiles,
      });
    }
    for (;;) {
      let next: IteratorResult<Entry>;
      try {
        next = await entries.next();
      } catch (error) {
        throw collector.damaged(error);
      }
      if (next.done) break;
      await readZipEntry(zip, next.value, collector);
    }
  } finally {
    await entries.return?.();
    zip.close();
  }
}

async function readZipEntry(zip: ZipFile, entry: Entry, collector: BundleCollector): Promise<void> {
  let name: string;
  try {
    // With decodeStrings off yauzl leaves the raw name bytes; this applies the UTF-8 flag and
    // the Info-ZIP Unicode path field exactly as yauzl would.
    name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
  } catch (error) {
    throw collector.damaged(error);
  }
  const madeBy = entry.versionMadeBy >> 8;
  const mode = madeBy === MADE_BY_UNIX || madeBy === MADE_BY_MACOS ? entry.externalFileAttributes >>> 16 : 0;
  const type = mode & S_IFMT;
  const isDirectory = name.endsWith('/') || type === S_IFDIR || (type === 0 && (entry.externalFileAttributes & DOS_DIRECTORY) !== 0);
  if (type === S_IFLNK) {
    throw invalidInput(`${JSON.stringify(name)} is a symbolic link; a skill may contain only regular files and folders`, { reason: 'link', path: name });
  }
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) {
    throw invalidInput(`${JSON.stringify(name)} is a device, pipe or socket; a skill may contain only regular files and folders`, {
      reason: 'special-file',
      path: name,
    });
  }
  const path = collector.begin(name, isDirectory ? 'directory' : 'file', isDirectory ? undefined : entry.uncompressedSize);
  if (isDirectory) return;
  if (entry.isEncrypted()) {
    throw invalidInput(`${JSON.stringify(name)} is encrypted; upload an archive without a password`, { reason: 'encrypted', path: name });
  }
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw invalidInput(`${JSON.stringify(name)} uses compression method ${entry.compressionMethod}; only stored and deflate are supported`, {
      reason: 'unsupported-compression',
      path: name,
    });
  }

  let raw: Readable;
  try {
    raw = await zip.openReadStreamPromise(entry, { decodeFileData: false });
  } catch (error) {
    throw collector.damaged(error);
  }
  let source: Readable = raw;
  if (entry.compressionMethod === 8) {
    const inflate = createInflateRaw();
    // pipeline destroys the raw stream when the collector stops reading the inflated one.
    pipeline(raw, inflate, () => undefined);
    source = inflate;
  }
  if (path === null) {
    await collector.discard(source);
    return;
  }
  const data = await collector.read(path, source);
  if (data.byteLength !== entry.uncompressedSize) {
    throw invalidInput(`the zip archive is damaged: ${JSON.stringify(name)} declares ${entry.uncompressedSize} bytes but holds ${data.byteLength}`, {
      reason: 'damaged',
      path: name,
    });
  }
  if (crc32(data) !== entry.crc32) {
    throw invalidInput(`the zip archive is damaged: the checksum of ${JSON.stringify(name)} does not match`, { reason: 'damaged', path: name });
  }
  collector.add(path, data, (mode & 0o111) !== 0);
}
