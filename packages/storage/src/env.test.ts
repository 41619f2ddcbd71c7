import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBlobStore } from './create-blob-store';
import { readStorageEnv } from './env';
import { LocalBlobStore } from './local-blob-store';
import { S3BlobStore } from './s3-blob-store';

describe('readStorageEnv', () => {
  it('defaults to the local driver in <repo>/.data/blobs', () => {
    const env = readStorageEnv({});
    expect(env.driver).toBe('local');
    const dir = env.driver === 'local' ? env.localDir : '';
    expect(path.basename(dir)).toBe('blobs');
    expect(path.basename(path.dirname(dir))).toBe('.data');
    expect(existsSync(path.join(dir, '..', '..', 'pnpm-workspace.yaml'))).toBe(true);
  });

  it('takes STORAGE_LOCAL_DIR, else the data directory', () => {
    expect(readStorageEnv({ STORAGE_LOCAL_DIR: '/srv/blobs' })).toEqual({ driver: 'local', localDir: '/srv/blobs' });
    expect(readStorageEnv({ EVERYSKILL_DATA_DIR: '/var/lib/everyskill' })).toEqual({ driver: 'local', localDir: '/var/lib/everyskill/blobs' });
    expect(readStorageEnv({ STORAGE_LOCAL_DIR: '', EVERYSKILL_DATA_DIR: '/d' })).toEqual({ driver: 'local', localDir: '/d/blobs' });
  });

  it('reads an S3 configuration with its defaults', () => {
    expect(
      readStorageEnv({
        STORAGE_DRIVER: 's3',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        S3_BUCKET: 'everyskill',
        S3_ACCESS_KEY_ID: 'id',
        S3_SECRET_ACCESS_KEY: 'secret',
        S3_FORCE_PATH_STYLE: 'true',
      }),
    ).toEqual({
      driver: 's3',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      bucket: 'everyskill',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
      forcePathStyle: true,
      connectTimeoutMs: 2000,
      socketTimeoutMs: 5000,
      maxAttempts: 2,
    });
    const role = readStorageEnv({ STORAGE_DRIVER: 's3', S3_BUCKET: 'bucket', S3_REGION: 'eu-west-1', S3_FORCE_PATH_STYLE: '0' });
    expect(role).toMatchObject({ credentials: undefined, endpoint: undefined, region: 'eu-west-1', forcePathStyle: false });
  });

  it('names every bad variable and never echoes a value', () => {
    let message = '';
    try {
      readStorageEnv({ STORAGE_DRIVER: 's3', S3_SECRET_ACCESS_KEY: 'hunter2-very-secret', S3_FORCE_PATH_STYLE: 'maybe', S3_ENDPOINT: 'not a url' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('Invalid storage configuration:');
    expect(message).toContain('S3_BUCKET: is required when STORAGE_DRIVER=s3');
    expect(message).toContain('S3_ACCESS_KEY_ID: set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither');
    expect(message).toContain('S3_FORCE_PATH_STYLE: must be true or false');
    expect(message).toContain('S3_ENDPOINT: must be a URL');
    expect(message).not.toContain('hunter2');
    expect(() => readStorageEnv({ STORAGE_DRIVER: 'ftp' })).toThrow("STORAGE_DRIVER: must be 'local' or 's3'");
  });
});

describe('createBlobStore', () => {
  it('builds the configured driver', () => {
    expect(createBlobStore({ driver: 'local', localDir: '/tmp/x' })).toBeInstanceOf(LocalBlobStore);
    const s3 = createBlobStore(readStorageEnv({ STORAGE_DRIVER: 's3', S3_BUCKET: 'bucket', S3_ENDPOINT: 'http://127.0.0.1:9' }));
    expect(s3).toBeInstanceOf(S3BlobStore);
    (s3 as S3BlobStore).destroy();
  });
});
