/**
 * Runs once when the server starts. Bad configuration stops the process here, with one line per
 * variable, instead of surfacing later as a broken request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return; // `next build` serves nothing
  // First, so every request from now on carries a request id and is timed.
  const { installHttpInstrumentation } = await import('./server/metrics');
  // /api/v1 skips Next's router in production (docs/architecture.md); `next dev` keeps it, so edits reload.
  const serveDirectly =
    process.env.NODE_ENV === 'production'
      ? (await import('./server/api/direct-dispatch')).createDirectDispatcher(async () => (await import('./server/api/v1-router')).v1Routes)
      : undefined;
  installHttpInstrumentation({ serveDirectly });
  const { startServer } = await import('./server/start-server');
  startServer();
  // Background jobs (AI review, benchmarks, search indexing); JOBS_WORKERS=off leaves them to `pnpm jobs:work`.
  const { startJobWorkers } = await import('./server/start-job-workers');
  await startJobWorkers();
}
