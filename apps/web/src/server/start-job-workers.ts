import { logger } from './logger';

/**
 * Starts this server's background-job workers in the background (unless JOBS_WORKERS is off),
 * running the app's job registry: AI reviews, benchmarks, search indexing. Their configuration was
 * checked with the rest at start-up (start-server.ts). Failing to start them is logged, not fatal:
 * requests never wait on jobs, and `pnpm jobs:work` can run them in a process of its own.
 */
export async function startJobWorkers(): Promise<void> {
  // Not awaited: start-up (and so every request) must not wait for the queue's database; a
  // database that accepts connections and never answers would otherwise hang the server.
  void startInBackground();
}

async function startInBackground(): Promise<void> {
  try {
    const [{ startWorkers, stopWorkers }, { createJobRegistry }, { getBlobStore }] = await Promise.all([
      import('@everyskill/jobs'),
      import('@everyskill/core/jobs/job-registry'),
      import('./api/skills-ctx'),
    ]);
    if (!(await startWorkers(createJobRegistry({ blobs: getBlobStore() })))) {
      logger.info('job workers off in this process (JOBS_WORKERS=off)');
      return;
    }
    // Let running jobs finish when the process manager stops the server; unfinished ones are retried.
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stopWorkers());
    await queueSafetyRescans();
  } catch (error) {
    logger.error('job workers did not start', { error: (error as Error).message });
  }
}

/** A release with other safety rules rescans every workspace's latest versions: queued once per tenant, by the first worker up. */
async function queueSafetyRescans(): Promise<void> {
  try {
    const [{ getJobQueue }, { getDatabase }, { queueStaleSafetyRescans }] = await Promise.all([
      import('@everyskill/jobs'),
      import('@everyskill/db'),
      import('@everyskill/core/skills/safety/safety-rescans'),
    ]);
    const queued = await queueStaleSafetyRescans((await getDatabase()).db, await getJobQueue());
    if (queued > 0) logger.info('safety rescans queued', { tenants: queued });
  } catch (error) {
    logger.error('safety rescans were not queued', { error: (error as Error).message });
  }
}
