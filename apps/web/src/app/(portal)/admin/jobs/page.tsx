import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { jobStateSchema } from '@everyskill/contracts';
import { listTenantJobs } from '@everyskill/core/jobs/tenant-jobs';
import { AutoRefresh } from '@/components/reviews/auto-refresh';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { cn } from '@/lib/utils';
import { getAdminCtx } from '@/server/session';
import { retryJobAction } from './actions';
import { RetryJobButton } from './_components/retry-job-button';

export const metadata: Metadata = { title: 'Background jobs' };

const filters = [
  { state: undefined, label: 'All' },
  { state: 'queued', label: 'Queued' },
  { state: 'running', label: 'Running' },
  { state: 'failed', label: 'Failed' },
  { state: 'completed', label: 'Completed' },
] as const;

const when = (d: Date | null) => (d ? d.toISOString().slice(0, 19).replace('T', ' ') + ' UTC' : '—');

/** The workspace's background jobs (AI reviews, benchmarks, indexing): what waits, runs, failed; failed ones can be retried. */
export default async function JobsPage({ searchParams }: { searchParams: Promise<{ state?: string }> }) {
  const ctx = await getAdminCtx('/admin/jobs');
  if (!ctx) return null; // the admin layout explains
  const parsed = jobStateSchema.safeParse((await searchParams).state);
  const state = parsed.success ? parsed.data : undefined;
  const jobs = await listTenantJobs(ctx, { state });
  const busy = jobs.some((j) => j.state === 'queued' || j.state === 'running');
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-3xl font-bold tracking-tight">Background jobs</h1>
      <AutoRefresh active={busy} everyMs={3000} />
      <nav aria-label="Job states">
        <ul className="flex flex-wrap gap-2 text-sm">
          {filters.map((f) => (
            <li key={f.label}>
              <Link
                href={f.state ? `/admin/jobs?state=${f.state}` : '/admin/jobs'}
                aria-current={f.state === state ? 'page' : undefined}
                className={cn('rounded-md border px-3 py-1', f.state === state && 'bg-accent font-medium')}
              >
                {f.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Card>
        <CardHeader>
          <CardTitle as="h2">{jobs.length === 1 ? '1 job' : `${jobs.length} jobs`}</CardTitle>
          <CardDescription>
            AI reviews, benchmarks and search indexing run in the background and retry with backoff when a service
            is down or rate-limits. A job that used up its attempts shows here as failed; retry it once the cause is fixed.
          </CardDescription>
        </CardHeader>
        <CardContent tabIndex={0} className="relative overflow-x-auto">
          {jobs.length === 0 ? (
            <p className="text-sm text-muted-foreground">No jobs{state ? ` in state ${state}` : ''}.</p>
          ) : (
            <table className="w-full text-left text-sm" data-testid="jobs-table">
              <thead className="text-xs text-muted-foreground">
                <tr>
                  <th className="py-2 pr-3 font-medium">Job</th>
                  <th className="py-2 pr-3 font-medium">State</th>
                  <th className="py-2 pr-3 font-medium">Attempts</th>
                  <th className="py-2 pr-3 font-medium">Created</th>
                  <th className="py-2 pr-3 font-medium">Finished</th>
                  <th className="py-2 pr-3 font-medium">Last error</th>
                  <th className="py-2 font-medium"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y">
                {jobs.map((job) => (
                  <tr key={job.id} data-testid="job-row" data-state={job.state}>
                    <td className="py-2 pr-3">
                      <span className="font-medium">{job.label}</span>
                      <span className="block font-mono text-xs text-muted-foreground">{job.id.slice(0, 8)}</span>
                    </td>
                    <td className="py-2 pr-3">
                      <Badge variant={job.state === 'failed' ? 'destructive' : job.state === 'completed' ? 'secondary' : 'outline'}>{job.state}</Badge>
                    </td>
                    <td className="py-2 pr-3 tabular-nums">
                      {job.attempts}/{job.maxAttempts}
                    </td>
                    <td className="py-2 pr-3 whitespace-nowrap">{when(job.createdAt)}</td>
                    <td className="py-2 pr-3 whitespace-nowrap">{when(job.completedAt)}</td>
                    <td className="max-w-xs py-2 pr-3 text-xs break-words text-muted-foreground">{job.lastError ?? '—'}</td>
                    <td className="py-2">{job.state === 'failed' ? <RetryJobButton jobId={job.id} action={retryJobAction} /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
