import { existsSync } from 'node:fs';
import path from 'node:path';
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
export function readDbEnv(env: NodeJS.ProcessEnv = process.env): DbEnv {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = dbEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid database configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: parsed.data.EVERYSKILL_DATA_DIR ?? defaultDataDir() };
}

/** `.data/` at the workspace root (found by walking up to pnpm-workspace.yaml), else in the cwd. */
export function defaultDataDir(start = process.cwd()): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(/*turbopackIgnore: true*/ path.join(dir, 'pnpm-workspace.yaml'))) return path.join(dir, '.data');
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(path.resolve(start), '.data');
    dir = parent;
  }
}
