import { NextResponse } from 'next/server';
import { checkHealth } from '@/server/check-health';

export const dynamic = 'force-dynamic';

/** Liveness and readiness in one: 200 `ok`/`degraded` (pending migrations), 503 `down`. */
export async function GET() {
  const health = await checkHealth();
  return NextResponse.json(health, {
    status: health.db === 'ok' ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
}
