import type { BlobStore } from './blob-store';
import { readStorageEnv, type StorageEnv } from './env';
import { LocalBlobStore } from './local-blob-store';
import { S3BlobStore } from './s3-blob-store';

/** The blob store the configuration names (STORAGE_DRIVER and friends, read at call time). */
export function createBlobStore(config: StorageEnv = readStorageEnv()): BlobStore {
  if (config.driver === 'local') return new LocalBlobStore(config.localDir);
  return new S3BlobStore({
    bucket: config.bucket,
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    ...(config.credentials ? { credentials: config.credentials } : {}),
    connectTimeoutMs: config.connectTimeoutMs,
    socketTimeoutMs: config.socketTimeoutMs,
    maxAttempts: config.maxAttempts,
  });
}
