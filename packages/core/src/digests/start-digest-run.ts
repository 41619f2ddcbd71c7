import { digestRuns, and, eq, withoutTenant, type Database, type DigestKind } from '@everyskill/db';
import { getJobQueue, type JobQueue } from '@everyskill/jobs';
import { lastCompletePeriod, parseDigestPeriod } from './digest-period';
import { planDigestJobType } from './digest-jobs';

export interface StartedDigestRun {
  runId: string;
  kind: DigestKind;
  period: string;
  windowStart: Date;
  windowEnd: Date;
  /** False when this (kind, period) had been started before: nobody gets a second email. */
  created: boolean;
}

/**
 * What the cron endpoint calls: claims the run of (kind, period) — the last complete period, or
 * the one named — and queues its planning. Returns at once; sending happens in jobs. Calling it
 * again for the same period (a retry, a second app instance) plans again, and planning only adds
 * people who have no delivery yet, so nobody is mailed twice while a late subscriber still is.
 */
export async function startDigestRun(
  db: Database,
  input: { kind: DigestKind; period?: string; now?: Date },
  queue?: JobQueue,
): Promise<StartedDigestRun> {
  const now = input.now ?? new Date();
  const p = input.period ? parseDigestPeriod(input.kind, input.period, now) : lastCompletePeriod(input.kind, now);
  const jobs = queue ?? (await getJobQueue());
  // digest_runs spans tenants and carries no tenant data: the app role reads and writes it with no tenant set.
  return withoutTenant(db, async (tx) => {
    const [inserted] = await tx
      .insert(digestRuns)
      .values({ kind: p.kind, period: p.period, windowStart: p.windowStart, windowEnd: p.windowEnd })
      .onConflictDoNothing({ target: [digestRuns.kind, digestRuns.period] })
      .returning({ id: digestRuns.id });
    const run =
      inserted ??
      (await tx
        .select({ id: digestRuns.id })
        .from(digestRuns)
        .where(and(eq(digestRuns.kind, p.kind), eq(digestRuns.period, p.period))))[0]!;
    await jobs.enqueue(planDigestJobType(), { runId: run.id }, { tx, singletonKey: run.id });
    return { runId: run.id, kind: p.kind, period: p.period, windowStart: p.windowStart, windowEnd: p.windowEnd, created: Boolean(inserted) };
  });
}
