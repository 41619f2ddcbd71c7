import { processWide } from '@everyskill/base/process-wide';
import type { Database } from '@everyskill/db';
import { PermanentJobError, type JobDefinition } from './define-job';
import type { ClaimedJob, LogFn } from './job-backend';

export type JobOutcome = { ok: true; output: unknown } | { ok: false; error: Error; permanent: boolean };

/** What an observer (the metrics endpoint) hears after each run of a job. */
export interface JobRunReport {
  job: string;
  outcome: 'completed' | 'retrying' | 'failed';
  durationMs: number;
}
type JobObserver = (report: JobRunReport) => void;
const observers = processWide('jobs.observers', () => new Set<JobObserver>()).get();

/** Registers a callback told of every job run in this process; returns the unsubscribe function. */
export function observeJobRuns(observer: JobObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

function report(run: JobRunReport): void {
  for (const observer of observers) {
    try {
      observer(run);
    } catch {
      // an observer's failure must never change a job's outcome
    }
  }
}

/**
 * Runs one claimed job through its definition, the same way on either queue: validates the payload,
 * calls the handler with its context, and turns what happened into an outcome the queue records.
 */
export async function runClaimedJob(
  definition: JobDefinition,
  job: ClaimedJob,
  deps: { db: Database; signal: AbortSignal; log: LogFn },
): Promise<JobOutcome> {
  const fields = { jobId: job.id, job: job.name, attempt: job.attempt };
  const parsed = definition.payload.safeParse(job.data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
    const error = new PermanentJobError(`payload of ${job.name} is invalid (${problems})`);
    deps.log('error', 'job payload invalid', { ...fields, error: error.message });
    return { ok: false, error, permanent: true };
  }
  const started = performance.now();
  try {
    const output = await definition.handler(parsed.data, {
      jobId: job.id,
      name: job.name,
      attempt: job.attempt,
      isFinalAttempt: job.attempt > job.retryLimit,
      db: deps.db,
      signal: deps.signal,
    });
    const durationMs = Math.round(performance.now() - started);
    deps.log('info', 'job completed', { ...fields, durationMs });
    report({ job: job.name, outcome: 'completed', durationMs });
    return { ok: true, output };
  } catch (caught) {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    const permanent = error instanceof PermanentJobError;
    const final = permanent || job.attempt > job.retryLimit;
    const durationMs = Math.round(performance.now() - started);
    deps.log(final ? 'error' : 'warn', final ? 'job failed' : 'job failed, will retry', { ...fields, durationMs, error: error.message });
    report({ job: job.name, outcome: final ? 'failed' : 'retrying', durationMs });
    return { ok: false, error, permanent };
  }
}

/** Aborts when the outer signal does or after `ms`, whichever comes first. */
export function deadlineSignal(outer: AbortSignal, ms: number): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer.reason);
  if (outer.aborted) controller.abort(outer.reason);
  else outer.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new Error(`job ran longer than ${Math.round(ms / 1000)} s`)), ms);
  timer.unref();
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    },
  };
}

/** A short, single-line error text for the queue's record (stack traces stay in the logs). */
export function errorText(error: Error): string {
  return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`.slice(0, 2000);
}

/** Resolves to a failure outcome when the signal aborts: a handler that ignores its signal cannot hold a worker. */
export function abortedOutcome(signal: AbortSignal): Promise<JobOutcome> {
  return new Promise((resolve) => {
    const fail = () =>
      resolve({
        ok: false,
        permanent: false,
        error: signal.reason instanceof Error ? signal.reason : new Error('the job was interrupted'),
      });
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}
