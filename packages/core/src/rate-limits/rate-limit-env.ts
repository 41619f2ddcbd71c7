import { envReader } from '@everyskill/base/env';
import { z } from 'zod';

const rateLimitEnv = z.object({
  API_RATE_LIMIT_PER_KEY: z.coerce.number().int().min(1).default(600),
  API_RATE_LIMIT_PER_TENANT: z.coerce.number().int().min(1).default(3000),
  API_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
});
export type RateLimitConfig = z.infer<typeof rateLimitEnv>;

/**
 * The API's limits from the environment, validated at call time (defaults: 600/key, 3000/tenant
 * per 60 s). Called on every API request: parses again only when one of its variables changed.
 */
export const readRateLimitConfig: (env?: Record<string, string | undefined>) => RateLimitConfig = envReader('rate-limit', rateLimitEnv);

const rateLimitSyncEnv = z.object({
  API_RATE_LIMIT_SYNC_MS: z.coerce.number().int().min(10, 'must be at least 10 (milliseconds)').max(60_000).default(200),
});

/** How often an instance adds its batched hits to the shared counters (API_RATE_LIMIT_SYNC_MS, default 200 ms). */
export const readRateLimitSyncEnv: (env?: Record<string, string | undefined>) => z.output<typeof rateLimitSyncEnv> = envReader(
  'rate-limit',
  rateLimitSyncEnv,
);
