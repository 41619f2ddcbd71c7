import {
  digestDeliveries,
  digestRuns,
  eq,
  rowsOf,
  sql,
  tenants,
  withTenant,
  withoutTenant,
  type Database,
} from '@everyskill/db';
import { getJobQueue, PermanentJobError, type JobQueue } from '@everyskill/jobs';
import { readDigestEnv } from './digest-env';
import { sendDigestJobType } from './digest-jobs';

/**
 * Creates the deliveries of a run: for every active tenant, one row per active member whose digest
 * frequency is the run's kind, and one send job per new row, in the same transaction. The unique
 * (run, person) key makes this safe to run again and from two processes at once.
 */
export async function planDigestRun(db: Database, runId: string, queue?: JobQueue): Promise<{ tenants: number; deliveries: number }> {
  const env = readDigestEnv();
  const jobs = queue ?? (await getJobQueue());
  const { run, tenantIds } = await withoutTenant(db, async (tx) => {
    const [found] = await tx.select().from(digestRuns).where(eq(digestRuns.id, runId));
    const active = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.status, 'active'));
    return { run: found, tenantIds: active.map((t) => t.id) };
  });
  if (!run) throw new PermanentJobError(`digest run ${runId} does not exist`);

  let deliveries = 0;
  for (const tenantId of tenantIds) {
    deliveries += await withTenant(db, tenantId, async (tx) => {
      const created = rowsOf<{ id: string }>(
        await tx.execute(sql`
          INSERT INTO digest_deliveries (tenant_id, run_id, user_id, email)
          SELECT m.tenant_id, ${run.id}::uuid, u.id, u.email
          FROM memberships m
          JOIN users u ON u.id = m.user_id
          LEFT JOIN notification_preferences p ON p.tenant_id = m.tenant_id AND p.user_id = m.user_id
          WHERE m.status = 'active'
            AND COALESCE(p.digest, ${env.defaultFrequency}::text) = ${run.kind}
          ON CONFLICT (run_id, user_id) DO NOTHING
          RETURNING id`),
      );
      const type = sendDigestJobType();
      for (const row of created) await jobs.enqueue(type, { tenantId, deliveryId: row.id }, { tx, singletonKey: row.id });
      return created.length;
    });
  }
  await withoutTenant(db, (tx) =>
    tx
      .update(digestRuns)
      .set({ status: 'planned', plannedAt: new Date(), recipients: sql`${digestRuns.recipients} + ${deliveries}` })
      .where(eq(digestRuns.id, run.id)),
  );
  return { tenants: tenantIds.length, deliveries };
}

/** Deliveries of a run in one tenant by status (tests, the admin's view). */
export async function digestDeliveryCounts(db: Database, tenantId: string, runId: string): Promise<Record<string, number>> {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .select({ status: digestDeliveries.status, n: sql<number>`count(*)::int` })
      .from(digestDeliveries)
      .where(eq(digestDeliveries.runId, runId))
      .groupBy(digestDeliveries.status);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  });
}
