import { defaultDataDir } from '@everyskill/base/data-dir';
import { envReader } from '@everyskill/base/env';
import { z } from 'zod';

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL');

const dbEnvSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_OWNER_URL: postgresUrl.optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  // One-statement reads (the API's skill fetch) run on connections bound to their tenant: this
  // many tenants keep a pool of DATABASE_TENANT_POOL_MAX connections (0 turns them off).
  DATABASE_TENANT_POOLS: z.coerce.number().int().min(0).max(1000).default(8),
  DATABASE_TENANT_POOL_MAX: z.coerce.number().int().min(1).max(50).default(2),
  EVERYSKILL_DATA_DIR: z.string().trim().min(1).optional(),
});

export type DbEnv = z.infer<typeof dbEnvSchema> & { dataDir: string };

/** Reads and validates the database configuration from the environment, at call time. */
export const readDbEnv: (env?: Record<string, string | undefined>) => DbEnv = envReader('database', dbEnvSchema, {
  finish: (e) => ({ ...e, dataDir: e.EVERYSKILL_DATA_DIR ?? defaultDataDir() }),
});
