import { getJobQueue, type JobQueue } from '@everyskill/jobs';
import { rowsOf, sql, tenants, withoutTenant, withTenant, type Database, type Transaction } from '@everyskill/db';
import { recordAudit } from '../../audit/record-audit';
import type { Ctx } from '../../context';
import { requireAdmin } from '../../members/require-admin';
import { SAFETY_RULES_VERSION } from './scan-skill-bundle';
import { safetyRescanJobType } from './safety-jobs';

export interface SafetyScanStatus {
  /** The rules this server scans with. */
  rulesVersion: string;
  /** Live skills (their latest versions). */
  total: number;
  /** Latest versions whose stored scan ran with the current rules. */
  current: number;
  /** Latest versions withheld from agents: blocked and not released (held ones included). */
  withheld: number;
  /** Of those, versions published held for review. */
  held: number;
}

async function statusIn(tx: Transaction): Promise<SafetyScanStatus> {
  const [row] = rowsOf<{ total: number | string; current: number | string; withheld: number | string; held: number | string }>(
    await tx.execute(sql`
      SELECT count(*) AS total,
        count(*) FILTER (WHERE s.rules_version = ${SAFETY_RULES_VERSION}) AS current,
        count(*) FILTER (WHERE s.verdict = 'blocked' AND s.overridden_at IS NULL) AS withheld,
        count(*) FILTER (WHERE s.verdict = 'blocked' AND s.overridden_at IS NULL AND s.held_at IS NOT NULL) AS held
      FROM skills k
      JOIN skill_versions v ON v.id = k.latest_version_id
      LEFT JOIN skill_version_safety s ON s.version_id = v.id
      WHERE k.deleted_at IS NULL`),
  );
  return { rulesVersion: SAFETY_RULES_VERSION, total: Number(row?.total ?? 0), current: Number(row?.current ?? 0), withheld: Number(row?.withheld ?? 0), held: Number(row?.held ?? 0) };
}

/** How far the workspace's latest versions are scanned with the current rules (admins only): the rescan's progress. */
export async function getSafetyScanStatus(ctx: Ctx): Promise<SafetyScanStatus> {
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, 'see the safety scan status');
    return statusIn(tx);
  });
}

/** An admin queues a rescan of the workspace's latest versions under the current rules (audited); nothing is queued twice. */
export async function requestSafetyRescan(ctx: Ctx, queue?: JobQueue): Promise<SafetyScanStatus> {
  const status = await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, 'rescan the skills');
    await recordAudit(tx, { tenantId: ctx.tenantId, actor: ctx.actor, action: 'safety.rescan_requested', targetType: 'tenant', targetId: ctx.tenantId, details: { rulesVersion: SAFETY_RULES_VERSION }, requestId: ctx.requestId });
    return statusIn(tx);
  });
  // Outside the transaction: the embedded database is one connection, and the queue uses it too.
  await (queue ?? (await getJobQueue())).enqueue(safetyRescanJobType, { tenantId: ctx.tenantId }, { singletonKey: ctx.tenantId });
  return status;
}

/**
 * Queues a rescan for every tenant with a latest version scanned under other rules (or never):
 * what a worker does when it starts, so a release that changes the rules rescans on its own.
 * Idempotent: a tenant's rescan waiting already is not queued again. Returns the tenants queued.
 */
export async function queueStaleSafetyRescans(db: Database, queue: JobQueue): Promise<number> {
  const all = await withoutTenant(db, (tx) => tx.select({ id: tenants.id }).from(tenants));
  let queued = 0;
  for (const { id } of all) {
    const status = await withTenant(db, id, (tx) => statusIn(tx));
    if (status.current >= status.total) continue;
    await queue.enqueue(safetyRescanJobType, { tenantId: id }, { singletonKey: id });
    queued++;
  }
  return queued;
}
