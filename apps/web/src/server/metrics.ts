import http from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { processWide } from '@everyskill/base/process-wide';
import { observeJobRuns } from '@everyskill/jobs';
import type { DirectDispatch } from './api/direct-dispatch';
import { acceptOrCreateRequestId, runWithRequestContext } from './request-context';

/**
 * Route templates for the latency histogram: a label per page/handler, never the raw path (ids and
 * slugs would make one time series per skill). Order matters: first match wins.
 */
const ROUTES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/_next\/static\/.*/, '/_next/static'],
  [/^\/_next\/image.*/, '/_next/image'],
  // /api/v1: a skill and a version are the only variable segments of the operation table's paths
  // (metrics.test.ts checks every operation's path against these two rules and the literal one below).
  [/^\/api\/v1\/skills\/[^/]+\/versions\/[^/]+(\/[a-z-]+)?$/, '/api/v1/skills/:ref/versions/:version$1'],
  [/^\/api\/v1\/skills\/[^/]+(\/[a-z-]+)?$/, '/api/v1/skills/:ref$1'],
  [/^\/api\/auth\/.*/, '/api/auth/*'],
  [/^\/api\/cron\/[a-z-]+$/, '$&'],
  [/^\/api\/(v1(\/[a-z-]+)+(\.json)?|mcp|health|metrics|check-domain)$/, '$&'],
  [/^\/\.well-known\/agent-skills\/index\.json$/, '$&'],
  [/^\/\.well-known\/agent-skills\/[^/]+\/SKILL\.md$/, '/.well-known/agent-skills/:name/SKILL.md'],
  [/^\/\.well-known\/agent-skills\/[^/]+$/, '/.well-known/agent-skills/:artifact'],
  [/^\/skills\/[^/]+\/([a-z-]+)$/, '/skills/:slug/$1'],
  [/^\/skills\/[^/]+$/, '/skills/:slug'],
  [/^\/reviews\/[^/]+$/, '/reviews/:id'],
  [/^\/(admin|profile|settings|notifications)(\/[a-z-]+)*$/, '$&'],
  [/^\/(|skills|search|publish|my-skills|reviews|sign-in(\/[a-z-]+)?|docs\/api|account-deactivated|wrong-workspace|unsubscribe)$/, '$&'],
];

/** The route label a path is counted under; `other` for anything not in the table. */
export function routeLabelOf(url: string | undefined): string {
  const pathname = (url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
  for (const [pattern, label] of ROUTES) {
    if (pattern.test(pathname)) return pathname.replace(pattern, label) || '/';
  }
  return 'other';
}

interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  jobRuns: Counter<'job' | 'outcome'>;
  jobDuration: Histogram<'job'>;
  jobsQueued: Gauge<'state'>;
  dbUp: Gauge;
  dbPingSeconds: Gauge;
  dbPoolMax: Gauge;
}

function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics: Metrics = {
    registry,
    httpDuration: new Histogram({
      name: 'everyskill_http_request_duration_seconds',
      help: 'HTTP request latency by route template, method and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: 'everyskill_job_runs_total',
      help: 'Background job runs in this process by job type and outcome (completed, retrying, failed)',
      labelNames: ['job', 'outcome'],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'everyskill_job_duration_seconds',
      help: 'Background job run time by job type',
      labelNames: ['job'],
      buckets: [0.05, 0.25, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    jobsQueued: new Gauge({
      name: 'everyskill_jobs',
      help: 'Jobs in the queue by state (all tenants), read at scrape time',
      labelNames: ['state'],
      registers: [registry],
    }),
    dbUp: new Gauge({ name: 'everyskill_db_up', help: '1 when the health query answered at scrape time', registers: [registry] }),
    dbPingSeconds: new Gauge({ name: 'everyskill_db_ping_seconds', help: 'Time the health query took at scrape time', registers: [registry] }),
    dbPoolMax: new Gauge({ name: 'everyskill_db_pool_max_connections', help: 'Connections the pool of this process may open (DATABASE_POOL_MAX)', registers: [registry] }),
  };
  observeJobRuns(({ job, outcome, durationMs }) => {
    metrics.jobRuns.inc({ job, outcome });
    metrics.jobDuration.observe({ job }, durationMs / 1000);
  });
  return metrics;
}

const processMetrics = processWide('metrics', createMetrics);
/** The process's metrics (one registry even when Next loads this module from several bundles). */
export function getMetrics(): Metrics {
  return processMetrics.get();
}

const instrumentation = processWide('http-instrumented', () => ({ installed: false }));
/**
 * Wraps every HTTP request this process serves: accepts or creates its X-Request-ID (returned on the
 * response and visible to every log line through AsyncLocalStorage) and times it for the latency
 * histogram. Patched on the Server prototype because Next creates its server before instrumentation runs.
 * `serveDirectly`, when given, may take a request (id and timing already set up) before Next sees it.
 */
export function installHttpInstrumentation(options: { serveDirectly?: DirectDispatch } = {}): void {
  const state = instrumentation.get();
  if (state.installed) return;
  state.installed = true;
  const { httpDuration } = getMetrics();
  const { serveDirectly } = options;
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function emitWithContext(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'request') return emit.call(this, event, ...args);
    const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
    const requestId = acceptOrCreateRequestId(req.headers['x-request-id']);
    req.headers['x-request-id'] = requestId; // pages and actions read it from headers()
    if (!res.headersSent) res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    let observed = false;
    const observe = () => {
      if (observed) return; // 'finish' (fully sent) or 'close' (connection ended first), once
      observed = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      httpDuration.observe({ method: req.method ?? 'GET', route: routeLabelOf(req.url), status: String(res.statusCode) }, seconds);
    };
    res.once('finish', observe);
    res.once('close', observe);
    const toNext = () => (refuseUnknownMethod(req, res) ? true : emit.call(this, event, ...args));
    return runWithRequestContext({ requestId }, () => serveDirectly?.(req, res, requestId, toNext) || toNext());
  } as typeof http.Server.prototype.emit;
}

/** The methods Next's pages and route handlers know; it answers anything else (TRACE, …) with a 500. */
const NEXT_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Answers `405` with `Allow` for a method Next does not handle, on every path it serves (the
 * direct `/api/v1` dispatcher has its own 405s); true when it answered. Under `/api` the body is
 * the API's error body, elsewhere plain text.
 */
export function refuseUnknownMethod(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (NEXT_METHODS.has(req.method ?? 'GET')) return false;
  const message = `the method ${req.method} is not allowed here; use GET or POST`;
  const api = (req.url ?? '/').startsWith('/api/');
  res.statusCode = 405;
  res.setHeader('allow', 'GET, HEAD, POST, OPTIONS');
  res.setHeader('content-type', api ? 'application/json' : 'text/plain; charset=utf-8');
  res.end(api ? JSON.stringify({ error: { code: 'method_not_allowed', message } }) : message);
  req.resume(); // a body sent with it is read and dropped, so the connection stays usable
  return true;
}
