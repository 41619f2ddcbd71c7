// `pnpm jobs:work`: a process that only runs background jobs (AI reviews, benchmarks, search
// indexing), for when the web servers run with JOBS_WORKERS=off or more workers are wanted.
// Same configuration as the web server (DATABASE_URL, ANTHROPIC_*, storage); stops on SIGTERM/SIGINT,
// letting running jobs finish for up to JOBS_SHUTDOWN_TIMEOUT_MS.
import { exitOnInvalidConfiguration } from '@everyskill/base/env';
import { packageConfigurationReaders } from '@everyskill/core/configuration';
import { createJobRegistry } from '@everyskill/core/jobs/job-registry';
import { queueStaleSafetyRescans } from '@everyskill/core/skills/safety/safety-rescans';
import { closeDatabase, getDatabase } from '@everyskill/db';
import { closeJobQueue, getJobQueue, jsonLog, readJobsEnv } from '@everyskill/jobs';
import { createBlobStore } from '@everyskill/storage';

exitOnInvalidConfiguration(packageConfigurationReaders);
const env = readJobsEnv();
const queue = await getJobQueue();
await queue.startWorkers(createJobRegistry({ blobs: createBlobStore() }));
jsonLog('info', 'job worker process started', { backend: queue.kind, concurrency: env.JOBS_CONCURRENCY, pid: process.pid });
// A release with other safety rules rescans every workspace's latest versions (once per tenant).
await queueStaleSafetyRescans((await getDatabase()).db, queue).then(
  (tenants) => tenants > 0 && jsonLog('info', 'safety rescans queued', { tenants }),
  (error: unknown) => jsonLog('error', 'safety rescans were not queued', { error: (error as Error).message }),
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    jsonLog('info', 'job worker process stopping', { signal });
    void closeJobQueue()
      .then(() => closeDatabase())
      .then(() => process.exit(0), (error: unknown) => {
        jsonLog('error', 'job worker process did not stop cleanly', { error: (error as Error).message });
        process.exit(1);
      });
  });
}
