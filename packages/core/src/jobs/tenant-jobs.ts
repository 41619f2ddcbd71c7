import { jobIdInput, listJobsInput } from '@everyskill/contracts';
import { getJobQueue, type JobQueue, type JobSummary } from '@everyskill/jobs';
import { withTenant } from '@everyskill/db';
import type { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { conflict } from '../errors';
import { requireAdmin } from '../members/require-admin';
import { parseInput } from '../parse-input';

/** Names of job types as admins read them. */
export const jobTypeLabels: Record<string, string> = {
  'ai-review.run': 'AI review',
  'benchmark.run': 'Benchmark',
  'digest.send': 'Digest email',
  'search.embed-skill': 'Search embedding',
  'search.reembed-all': 'Search re-embedding',
  'safety.rescan-tenant': 'Safety rescan',
  'safety.second-opinion': 'Safety second opinion (Claude)',
};

export interface TenantJobView extends Omit<JobSummary, 'payload'> {
  label: string;
}

/**
 * The workspace's background jobs, newest first (admins only). The queue is shared by every
 * tenant, so it is filtered by the tenant its payload names; payloads themselves are not shown.
 */
export async function listTenantJobs(ctx: Ctx, input: z.input<typeof listJobsInput> = {}, queue?: JobQueue): Promise<TenantJobView[]> {
  const { state } = parseInput(listJobsInput, input);
  await withTenant(ctx.db, ctx.tenantId, (tx) => requireAdmin(tx, ctx, 'see background jobs'));
  const jobs = await (queue ?? (await getJobQueue())).listJobs({ tenantId: ctx.tenantId, states: state ? [state] : undefined, limit: 200 });
  return jobs.map(({ payload: _payload, ...job }) => ({ ...job, label: jobTypeLabels[job.name] ?? job.name }));
}

/** Puts a failed job of the workspace back in the queue for one more attempt (admins only), with an audit entry. */
export async function retryTenantJob(ctx: Ctx, input: z.input<typeof jobIdInput>, queue?: JobQueue): Promise<void> {
  const { jobId } = parseInput(jobIdInput, input);
  const jobs = queue ?? (await getJobQueue());
  await withTenant(ctx.db, ctx.tenantId, (tx) => requireAdmin(tx, ctx, 'retry background jobs'));
  // Outside the transaction: the embedded database is one connection, and the queue uses it too.
  if (!(await jobs.retryJob(jobId, ctx.tenantId))) {
    throw conflict('only a failed job of this workspace can be retried; it may have been retried already');
  }
  await withTenant(ctx.db, ctx.tenantId, (tx) =>
    recordAudit(tx, { tenantId: ctx.tenantId, actor: ctx.actor, action: 'job.retried', targetType: 'job', targetId: jobId, requestId: ctx.requestId }),
  );
}
