import type { DbHandle } from './client';
import { getMigrationStatus } from './migrate/runner';

export interface DatabaseHealth {
  ok: boolean;
  kind: DbHandle['kind'];
  latencyMs: number;
  pendingMigrations: number | null;
  error?: string;
}

/** A real round trip (and the pending-migration count) bounded by timeoutMs; never hangs. */
export async function checkDatabaseHealth(handle: DbHandle, timeoutMs = 1500): Promise<DatabaseHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const pending = await Promise.race([
      (async () => {
        await handle.session((s) => s.query('SELECT 1'));
        return (await getMigrationStatus(handle)).pending.length;
      })(),
      timeout,
    ]);
    return { ok: true, kind: handle.kind, latencyMs: Math.round(performance.now() - started), pendingMigrations: pending };
  } catch (error) {
    return {
      ok: false,
      kind: handle.kind,
      latencyMs: Math.round(performance.now() - started),
      pendingMigrations: null,
      error: (error as Error).message,
    };
  } finally {
    clearTimeout(timer);
  }
}
