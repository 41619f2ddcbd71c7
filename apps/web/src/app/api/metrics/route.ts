import { timingSafeEqual, createHash } from 'node:crypto';
import { readDbEnv } from '@everyskill/db';
import { getJobQueue } from '@everyskill/jobs';
import { checkHealth } from '@/server/check-health';
import { readServerEnv } from '@/server/env';
import { logger } from '@/server/logger';
import { getMetrics } from '@/server/metrics';

export const dynamic = 'force-dynamic';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time: both sides hashed to the same length first. */
function tokenMatches(header: string | null, token: string): boolean {
  const given = header?.match(/^Bearer (.+)$/)?.[1] ?? '';
  return timingSafeEqual(sha256(given), sha256(token));
}

/** Prometheus text format; `Authorization: Bearer $METRICS_TOKEN`. 404 when no token is configured. */
export async function GET(request: Request): Promise<Response> {
  const { METRICS_TOKEN } = readServerEnv();
  if (!METRICS_TOKEN) return new Response('metrics are off: set METRICS_TOKEN to turn them on\n', { status: 404 });
  if (!tokenMatches(request.headers.get('authorization'), METRICS_TOKEN)) {
    return new Response('unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n', {
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="metrics"' },
    });
  }
  const metrics = getMetrics();
  const health = await checkHealth();
  metrics.dbUp.set(health.db === 'ok' ? 1 : 0);
  metrics.dbPingSeconds.set(health.latencyMs / 1000);
  metrics.dbPoolMax.set(readDbEnv().DATABASE_URL ? readDbEnv().DATABASE_POOL_MAX : 1);
  try {
    const queue = await getJobQueue();
    const jobs = await queue.listJobs({ tenantId: null, states: ['queued', 'running', 'failed'], limit: 10_000 });
    for (const state of ['queued', 'running', 'failed'] as const) {
      metrics.jobsQueued.set({ state }, jobs.filter((j) => j.state === state).length);
    }
  } catch (error) {
    logger.warn('metrics: job counts unavailable', { error: (error as Error).message });
  }
  return new Response(await metrics.registry.metrics(), {
    headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
  });
}
