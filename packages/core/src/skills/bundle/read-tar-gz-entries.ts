import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar, { type Extract, type ExtractEvents } from 'tar-stream';

type Entry = ExtractEvents['entry'][1];
import { invalidInput } from '../../errors';
import { formatBytes } from './bundle-limits';
import type { BundleCollector } from './bundle-collector';

/** Tar headers, pax records and padding per entry, at most, on top of the file bytes. */
const TAR_OVERHEAD_PER_ENTRY = 4 * 512;

/**
 * Reads every entry of a .tar.gz held in memory into the collector. The gunzipped stream is
 * counted too, so pax headers and padding (which tar-stream buffers) cannot grow unbounded.
 */
export async function readTarGzEntries(bytes: Uint8Array, collector: BundleCollector): Promise<void> {
  if (bytes.byteLength < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw invalidInput('the file is not a gzip-compressed tar archive (.tar.gz or .tgz)', { reason: 'damaged' });
  }
  const maxTarBytes = collector.limits.maxUnpackedBytes + collector.maxEntries * TAR_OVERHEAD_PER_ENTRY + 1024 * 1024;
  let tarBytes = 0;
  const source = Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
  const gunzip = createGunzip();
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      tarBytes += chunk.byteLength;
      if (tarBytes > maxTarBytes) {
        callback(
          invalidInput(`the tar.gz archive unpacks to more than ${formatBytes(collector.limits.maxUnpackedBytes)}, the limit for a skill`, {
            reason: 'bundle-too-large',
            limit: collector.limits.maxUnpackedBytes,
          }),
        );
      } else {
        callback(null, chunk);
      }
    },
  });
  const extract = tar.extract();
  const fail = (error: unknown) => extract.destroy(collector.damaged(error));
  source.on('error', fail);
  gunzip.on('error', fail);
  limiter.on('error', fail);
  source.pipe(gunzip).pipe(limiter).pipe(extract);

  try {
    for await (const entry of iterate(extract, collector)) {
      await readTarEntry(entry, collector);
    }
  } finally {
    source.destroy();
    gunzip.destroy();
    limiter.destroy();
    extract.destroy();
  }
}

async function* iterate(extract: Extract, collector: BundleCollector): AsyncGenerator<Entry> {
  const iterator = extract[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Entry>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw collector.damaged(error);
    }
    if (next.done) return;
    yield next.value;
  }
}

async function readTarEntry(entry: Entry, collector: BundleCollector): Promise<void> {
  const { name, type } = entry.header;
  const kind = type === 'file' || type === 'contiguous-file' ? 'file' : type === 'directory' ? 'directory' : null;
  if (type === 'symlink' || type === 'link') {
    throw invalidInput(`${JSON.stringify(name)} is a ${type === 'link' ? 'hard' : 'symbolic'} link; a skill may contain only regular files and folders`, {
      reason: 'link',
      path: name,
    });
  }
  if (kind === null) {
    throw invalidInput(`${JSON.stringify(name)} is a ${type ?? 'special'} entry; a skill may contain only regular files and folders`, {
      reason: 'special-file',
      path: name,
    });
  }
  const path = collector.begin(name, kind, kind === 'file' ? entry.header.size : undefined);
  // streamx Readables are async-iterable; tar-stream's types leave that out.
  const content = entry as unknown as AsyncIterable<Uint8Array>;
  if (path === null) {
    await collector.discard(content);
    return;
  }
  const data = await collector.read(path, content);
  collector.add(path, data, ((entry.header.mode ?? 0) & 0o111) !== 0);
}
