// One suite, two drivers: a folder on disk, and the real AWS SDK against s3rver, an S3 server
// running in this process on a loopback port.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AppError } from '@everyskill/base/errors';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentKey, readBlobBytes, sha256Hex, type BlobStore } from './blob-store';
import { createBlobStore } from './create-blob-store';
import { LocalBlobStore } from './local-blob-store';
import { S3BlobStore } from './s3-blob-store';

const BUCKET = 'everyskill-test';
const scratch = mkdtempSync(path.join(tmpdir(), 'everyskill-storage-'));
let s3rver: S3rver;
let s3Endpoint = '';
const s3Stores: S3BlobStore[] = [];

function s3Store(overrides: Partial<ConstructorParameters<typeof S3BlobStore>[0]> = {}): S3BlobStore {
  const store = new S3BlobStore({
    bucket: BUCKET,
    region: 'us-east-1',
    endpoint: s3Endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    ...overrides,
  });
  s3Stores.push(store);
  return store;
}

beforeAll(async () => {
  s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: path.join(scratch, 's3rver'),
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const { port } = await s3rver.run();
  s3Endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const store of s3Stores) store.destroy();
  await s3rver.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** The error a call fails with; fails the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a rejection');
}

async function listAll(store: BlobStore, prefix: string) {
  const out = [];
  for await (const info of store.list(prefix)) out.push(info);
  return out;
}

let bucketCount = 0;
/** A fresh, empty bucket per test, so listings see only that test's blobs. */
async function freshS3Store(): Promise<BlobStore> {
  const bucket = `suite-${++bucketCount}`;
  const admin = new S3Client({ region: 'us-east-1', endpoint: s3Endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  admin.destroy();
  return s3Store({ bucket });
}

const drivers: [string, () => Promise<BlobStore>][] = [
  ['local', async () => new LocalBlobStore(mkdtempSync(path.join(scratch, 'local-')))],
  ['s3', freshS3Store],
];

describe.each(drivers)('BlobStore (%s driver)', (_driver, makeStore) => {
  const tenant = 'b6a7c1de-5a1f-4d8c-9f7e-0c1d2e3f4a5b';

  it('stores bytes under their content address and reads them back', async () => {
    const store = await makeStore();
    const bytes = randomBytes(256 * 1024);
    const key = contentKey(tenant, bytes);
    expect(key).toBe(`${tenant}/${sha256Hex(bytes)}`);
    expect(await store.exists(key)).toBe(false);
    expect(await store.put(key, bytes, { contentType: 'application/zip' })).toEqual({ key, created: true });
    expect(await store.exists(key)).toBe(true);
    expect(Buffer.from((await readBlobBytes(store, key))!).equals(bytes)).toBe(true);
    const head = await store.head(key);
    expect(head).toMatchObject({ key, size: bytes.length, contentType: 'application/zip' });
    expect(Math.abs(head!.lastModified.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('treats a second put of a key as a no-op and never overwrites', async () => {
    const store = await makeStore();
    const bytes = new TextEncoder().encode('version one');
    const key = contentKey(tenant, bytes);
    await store.put(key, bytes, { contentType: 'text/plain' });
    expect(await store.put(key, bytes, { contentType: 'text/markdown' })).toEqual({ key, created: false });
    expect((await store.head(key))?.contentType).toBe('text/plain');
    // A key that is not a content address is still never replaced.
    await store.put(`${tenant}/avatar`, new TextEncoder().encode('first'), { contentType: 'text/plain' });
    expect((await store.put(`${tenant}/avatar`, new TextEncoder().encode('second'), { contentType: 'text/plain' })).created).toBe(false);
    expect(new TextDecoder().decode((await readBlobBytes(store, `${tenant}/avatar`))!)).toBe('first');
  });

  it('a second put refreshes the last-modified time (a reused bundle is not an old orphan), bytes and type unchanged', async () => {
    const store = await makeStore();
    const bytes = new TextEncoder().encode(`reused ${Math.random()}`);
    const key = contentKey(tenant, bytes);
    await store.put(key, bytes, { contentType: 'application/zip' });
    const first = (await store.head(key))!;
    await new Promise((r) => setTimeout(r, 1_100)); // S3 keeps whole seconds
    expect(await store.put(key, bytes, { contentType: 'text/plain' })).toEqual({ key, created: false });
    const second = (await store.head(key))!;
    expect(second.lastModified.getTime()).toBeGreaterThan(first.lastModified.getTime());
    expect(second.contentType).toBe('application/zip');
    expect(new TextDecoder().decode((await readBlobBytes(store, key))!)).toBe(new TextDecoder().decode(bytes));
  });

  it('refuses bytes that do not match the SHA-256 in their key', async () => {
    const store = await makeStore();
    const error = await failure(store.put(`${tenant}/${sha256Hex(new Uint8Array([1]))}`, new Uint8Array([2]), { contentType: 'x/y' }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/names SHA-256 .* but the bytes hash to /);
  });

  it.each(['../escape', `${'a'}/../../etc/passwd`, '/absolute', '.hidden/x', 'a//b', '', 'a\\b', 'tenant/ключ', 'x'.repeat(513)])(
    'refuses the key %j',
    async (key) => {
      const store = await makeStore();
      const error = await failure(store.put(key, new Uint8Array([1]), { contentType: 'x/y' }));
      expect(error.code).toBe('invalid_input');
      expect((await failure(store.get(key))).code).toBe('invalid_input');
    },
  );

  it('answers null, false and nothing for a missing blob', async () => {
    const store = await makeStore();
    const key = `${tenant}/${'0'.repeat(64)}`;
    expect(await store.get(key)).toBeNull();
    expect(await store.head(key)).toBeNull();
    expect(await store.exists(key)).toBe(false);
    await expect(store.delete(key)).resolves.toBeUndefined();
  });

  it('deletes a blob', async () => {
    const store = await makeStore();
    const bytes = new TextEncoder().encode('to be deleted');
    const key = contentKey(tenant, bytes);
    await store.put(key, bytes, { contentType: 'text/plain' });
    await store.delete(key);
    expect(await store.exists(key)).toBe(false);
    expect(await store.get(key)).toBeNull();
    // And it can be stored again afterwards.
    expect((await store.put(key, bytes, { contentType: 'text/plain' })).created).toBe(true);
  });

  it('stores an empty blob', async () => {
    const store = await makeStore();
    const key = contentKey(tenant, new Uint8Array(0));
    await store.put(key, new Uint8Array(0), { contentType: 'text/plain' });
    expect(await readBlobBytes(store, key)).toEqual(new Uint8Array(0));
    expect((await store.head(key))?.size).toBe(0);
  });

  it('lists blobs under a prefix, with size and time', async () => {
    const store = await makeStore();
    const keys: string[] = [];
    for (const t of ['tenant-a', 'tenant-ab', 'tenant-b']) {
      for (let i = 0; i < 3; i++) {
        const bytes = new TextEncoder().encode(`${t}:${i}`);
        keys.push(contentKey(t, bytes));
        await store.put(contentKey(t, bytes), bytes, { contentType: 'text/plain' });
      }
    }
    await store.put('tenant-a-notes', new TextEncoder().encode('n'), { contentType: 'text/plain' });
    const a = await listAll(store, 'tenant-a/');
    expect(a.map((b) => b.key).sort()).toEqual(keys.filter((k) => k.startsWith('tenant-a/')).sort());
    expect(a.every((b) => b.size === 'tenant-a:0'.length && b.lastModified instanceof Date)).toBe(true);
    const all = (await listAll(store, '')).map((b) => b.key).sort();
    expect(all).toEqual([...keys, 'tenant-a-notes'].sort());
    expect((await listAll(store, 'tenant-a')).map((b) => b.key).sort()).toEqual(all.filter((k) => k.startsWith('tenant-a')));
    expect(await listAll(store, 'nobody/')).toEqual([]);
  });

  it('survives concurrent puts of the same blob', async () => {
    const store = await makeStore();
    const bytes = randomBytes(64 * 1024);
    const key = contentKey(tenant, bytes);
    const results = await Promise.all(Array.from({ length: 5 }, () => store.put(key, bytes, { contentType: 'application/octet-stream' })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(Buffer.from((await readBlobBytes(store, key))!).equals(bytes)).toBe(true);
  });
});

describe('LocalBlobStore', () => {
  it('writes through a temp file and leaves none behind', async () => {
    const root = mkdtempSync(path.join(scratch, 'atomic-'));
    const store = new LocalBlobStore(root);
    const bytes = randomBytes(1024);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.put(contentKey('t', bytes), bytes, { contentType: 'x/y' })));
    // Hard links make exactly one writer the creator, however they race.
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(readdirSync(path.join(root, '.tmp'))).toEqual([]);
    expect(readdirSync(path.join(root, 't'))).toEqual([sha256Hex(bytes)]);
  });

  it('reports a store it cannot write to as unavailable', async () => {
    const file = path.join(scratch, 'not-a-directory');
    writeFileSync(file, 'x');
    const error = await failure(new LocalBlobStore(file).put('t/readme', new Uint8Array([1]), { contentType: 'x/y' }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(/^blob store unavailable: could not write t\/readme in .*not-a-directory \(ENOTDIR\)$/);
  });
});

describe('S3BlobStore when the store is down', () => {
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it('rejects a put with unavailable within seconds when nothing listens (default timeouts)', async () => {
    const port = await closedPort();
    const store = createBlobStore({
      driver: 's3',
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket: BUCKET,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
      connectTimeoutMs: 2_000,
      socketTimeoutMs: 5_000,
      maxAttempts: 2,
    }) as S3BlobStore;
    s3Stores.push(store);
    const started = Date.now();
    const error = await failure(store.put('t/readme', new Uint8Array([1]), { contentType: 'text/plain' }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe('unavailable');
    expect(error.message).toBe(`blob store unavailable: could not read t/readme in bucket ${BUCKET} at http://127.0.0.1:${port}: cannot reach it (ECONNREFUSED)`);
    expect(error.message).not.toContain('S3RVER');
  });

  it('rejects a put with unavailable when the store accepts connections but never answers', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const store = s3Store({ endpoint: `http://127.0.0.1:${port}`, socketTimeoutMs: 1_000, maxAttempts: 2 });
      const started = Date.now();
      const error = await failure(store.put('t/readme', new Uint8Array([1]), { contentType: 'text/plain' }));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error.code).toBe('unavailable');
      expect(error.message).toContain('it did not answer in time');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('names a missing bucket', async () => {
    const error = await failure(s3Store({ bucket: 'no-such-bucket' }).put('t/readme', new Uint8Array([1]), { contentType: 'text/plain' }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('no-such-bucket');
  });

  it('refuses wrong credentials without echoing them', async () => {
    const error = await failure(
      s3Store({ credentials: { accessKeyId: 'WRONGKEYID', secretAccessKey: 'wrong-secret-value' } }).put('t/readme', new Uint8Array([1]), { contentType: 'text/plain' }),
    );
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
    expect(error.message).not.toContain('wrong-secret-value');
  });
});
