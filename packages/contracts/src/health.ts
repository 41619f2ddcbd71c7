import { z } from 'zod';

export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  version: z.string(),
  buildId: z.string(),
  db: z.enum(['ok', 'down']),
  dbKind: z.enum(['postgres', 'pglite']),
  pendingMigrations: z.number().int().nullable(),
  latencyMs: z.number(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
