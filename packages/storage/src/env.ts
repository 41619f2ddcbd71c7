import path from 'node:path';
import { defaultDataDir } from '@everyskill/base/data-dir';
import { envReader } from '@everyskill/base/env';
import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const milliseconds = (fallback: number) => z.coerce.number().int().min(100).max(600_000).default(fallback);

const storageEnvSchema = z
  .object({
    STORAGE_DRIVER: z.enum(['local', 's3'], { message: "must be 'local' or 's3'" }).default('local'),
    STORAGE_LOCAL_DIR: z.string().trim().min(1).optional(),
    EVERYSKILL_DATA_DIR: z.string().trim().min(1).optional(),
    S3_ENDPOINT: z.url({ message: 'must be a URL such as https://s3.eu-west-1.amazonaws.com' }).optional(),
    S3_REGION: z.string().trim().min(1).default('us-east-1'),
    S3_BUCKET: z.string().trim().min(3, { message: 'must be a bucket name' }).optional(),
    S3_ACCESS_KEY_ID: z.string().trim().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().trim().min(1).optional(),
    S3_FORCE_PATH_STYLE: flag.default(false),
    S3_CONNECT_TIMEOUT_MS: milliseconds(2_000),
    S3_SOCKET_TIMEOUT_MS: milliseconds(5_000),
    S3_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(2),
  });

/** Rules across variables, checked on the raw values so they are reported with every other problem. */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  if (env.STORAGE_DRIVER !== 's3') return [];
  const problems: string[] = [];
  if (!env.S3_BUCKET) problems.push('S3_BUCKET: is required when STORAGE_DRIVER=s3');
  if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
    const missing = env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
    problems.push(`${missing}: set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (to use the instance role)`);
  }
  return problems;
}

export type StorageEnv =
  | { driver: 'local'; localDir: string }
  | {
      driver: 's3';
      endpoint: string | undefined;
      region: string;
      bucket: string;
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
      forcePathStyle: boolean;
      connectTimeoutMs: number;
      socketTimeoutMs: number;
      maxAttempts: number;
    };

/**
 * Reads and validates the blob storage configuration from the environment, at call time. The
 * local directory defaults to `blobs/` in the data directory (`EVERYSKILL_DATA_DIR`, else
 * `<repo>/.data`, found as the database package finds it). Messages name the variable and the
 * rule, never the value (it may be a secret key).
 */
export const readStorageEnv: (env?: Record<string, string | undefined>) => StorageEnv = envReader('storage', storageEnvSchema, {
  crossCheck: crossFieldProblems,
  finish: (e): StorageEnv => {
    if (e.STORAGE_DRIVER === 'local') {
      return { driver: 'local', localDir: path.resolve(/*turbopackIgnore: true*/ e.STORAGE_LOCAL_DIR ?? path.join(e.EVERYSKILL_DATA_DIR ?? defaultDataDir(), 'blobs')) };
    }
    return {
      driver: 's3',
      endpoint: e.S3_ENDPOINT,
      region: e.S3_REGION,
      bucket: e.S3_BUCKET ?? '', // required above when the driver is s3
      credentials: e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY } : undefined,
      forcePathStyle: e.S3_FORCE_PATH_STYLE,
      connectTimeoutMs: e.S3_CONNECT_TIMEOUT_MS,
      socketTimeoutMs: e.S3_SOCKET_TIMEOUT_MS,
      maxAttempts: e.S3_MAX_ATTEMPTS,
    };
  },
});
