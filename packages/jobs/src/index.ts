export * from './define-job';
export * from './job-backend';
export * from './job-queue';
export * from './env';
export { createTableJobBackend } from './table-job-backend';
export { createPgBossJobBackend } from './pg-boss-job-backend';
export { observeJobRuns, type JobRunReport } from './run-claimed-job';
