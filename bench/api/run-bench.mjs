// bench:api — GET /api/v1/skills/:slug with an API key against the built app, and the same
// indexed SELECT behind a bare node:http + postgres.js server, on the same database in the same
// run, plus bare servers that add key checks and tenant transactions around the same SELECT (see
// bare-server.mjs), and the app answering 401 to a request without a key (its HTTP layer's floor).
// The app and the baseline take turns (BENCH_ROUNDS each, ABBA order) and each result covers all
// its turns (req/s over the time measured, percentiles over every request), since this machine's
// speed drifts during a run. Prints one JSON document (and writes it to .data/bench/api.json).
//
// Needs: a build (`pnpm build`), PostgreSQL with DATABASE_URL (app login role) and
// DATABASE_OWNER_URL (schema owner), e.g. `eval "$(bash scripts/test-pg.sh env)"`.
// Knobs: BENCH_CONNECTIONS (64), BENCH_DURATION_S (20, per turn), BENCH_WARMUP_S (5),
// BENCH_ROUNDS (3 turns each for the app and the baseline).
import assert from 'node:assert/strict';
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const standalone = path.join(root, 'apps/web/.next/standalone/apps/web/server.js');
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const duration = Number(process.env.BENCH_DURATION_S ?? 20);
const warmup = Number(process.env.BENCH_WARMUP_S ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const { DATABASE_URL, DATABASE_OWNER_URL } = process.env;
if (!DATABASE_URL || !DATABASE_OWNER_URL) {
  console.error('bench:api needs PostgreSQL: set DATABASE_URL and DATABASE_OWNER_URL (eval "$(bash scripts/test-pg.sh env)")');
  process.exit(2);
}

const log = (line) => console.error(`bench:api: ${line}`);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url, headers, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url, { headers });
      if (res.ok) return res.json();
      if (Date.now() > deadline) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** One turn of autocannon, unaggregated: its latency histogram stays mergeable with other turns'. */
function cannon(url, headers, seconds) {
  return new Promise((resolve, reject) => {
    autocannon({ url, headers, connections, duration: seconds, pipelining: 1, skipAggregateResult: true }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

/**
 * One or more turns of a server as one result: requests completed per second of measuring, and
 * latency percentiles over every request of every turn (the turns' histograms merged); `turns`
 * keeps each turn's own figures.
 */
function summary(raws) {
  const merged = autocannon.aggregateResult(raws, { url: 'http://127.0.0.1/', connections });
  const requests = raws.reduce((sum, r) => sum + r.totalCompletedRequests, 0);
  const seconds = raws.reduce((sum, r) => sum + r.duration, 0);
  const { p50, p90, p99, max } = merged.latency;
  return {
    requestsPerSecond: Math.round(requests / seconds),
    latencyMs: { p50, p90, p99, max },
    requests,
    non2xx: merged.non2xx,
    errors: merged.errors,
    timeouts: merged.timeouts,
    ...(raws.length > 1 ? { turns: raws.map((raw) => summary([raw])) } : {}),
  };
}

log('migrating and creating the bench tenant, key and skill');
execFileSync('pnpm', ['--dir', root, 'db:migrate'], { stdio: ['ignore', 'ignore', 'inherit'], env: process.env });
const setup = JSON.parse(
  execFileSync('pnpm', ['exec', 'tsx', 'setup-bench-data.ts'], { cwd: here, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] }).toString(),
);

const appPort = await freePort();
// The Node flags production's PM2 workers run with (ecosystem.config.cjs).
const { NODE_ARGS } = createRequire(import.meta.url)(path.join(root, 'ecosystem.config.cjs'));
const app = spawn(process.execPath, [...NODE_ARGS, standalone], {
  env: {
    ...process.env,
    NODE_ENV: 'production',
    APP_ENV: 'test',
    APP_URL: `http://127.0.0.1:${appPort}`,
    PORT: String(appPort),
    HOSTNAME: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATABASE_OWNER_URL: '',
    // Background job workers would compete for the same two cores; the bench measures serving.
    JOBS_WORKERS: 'off',
    // The bench measures serving, not limiting: the limits stay on, far above what it sends.
    API_RATE_LIMIT_PER_KEY: '1000000000',
    API_RATE_LIMIT_PER_TENANT: '1000000000',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
// The baseline, and two bare servers that add the app's database work around the same SELECT
// (see bare-server.mjs), so the result shows how much of the gap is the database protocol.
const startBare = async (protocol, body = 'app') => {
  const child = fork(path.join(here, 'bare-server.mjs'), [], {
    env: { ...process.env, BENCH_TENANT_ID: setup.tenantId, BENCH_BARE_PROTOCOL: protocol, BENCH_BARE_BODY: body, PORT: '0' },
    stdio: 'inherit',
  });
  const port = await new Promise((resolve) => child.once('message', (m) => resolve(m.port)));
  return { protocol: body === 'app' ? protocol : `${protocol}, lean body`, body, child, url: `http://127.0.0.1:${port}/api/v1/skills/${setup.slug}` };
};
const bares = [
  await startBare('select'),
  await startBare('select', 'lean'),
  await startBare('key-and-select'),
  await startBare('key-and-tenant-transaction'),
  await startBare('key-column'),
];

const headers = { authorization: `Bearer ${setup.secret}` };
const appUrl = `http://127.0.0.1:${appPort}/api/v1/skills/${setup.slug}`;
try {
  const fromApp = await waitFor(appUrl, headers);
  // The bare servers send the app's JSON (but the lean one): the same data, the same bytes' worth of work.
  for (const bare of bares) {
    const fromBare = await waitFor(bare.url, headers);
    if (bare.body === 'app') assert.deepStrictEqual(fromBare, fromApp, `the app and bare '${bare.protocol}' answered different JSON`);
    else if (fromApp.id !== fromBare.id || fromApp.skillMd !== fromBare.skillMd) throw new Error(`the app and bare '${bare.protocol}' answered different skills`);
  }
  log(`warming up ${warmup} s each`);
  await cannon(appUrl, headers, warmup);
  for (const bare of bares) await cannon(bare.url, headers, warmup);
  log(`measuring ${duration} s each at ${connections} connections, the app and the baseline alternated ${rounds} times`);
  // The machine's speed drifts during a run: the app and the baseline take turns (ABBA order), and
  // each result covers all its turns, so drift falls on both alike.
  const appRuns = [];
  const baselineRuns = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['baseline', 'app'] : ['app', 'baseline'];
    for (const which of order) {
      if (which === 'app') appRuns.push(await cannon(appUrl, headers, duration));
      else baselineRuns.push(await cannon(bares[0].url, headers, duration));
    }
  }
  // The floor of the app's HTTP layer: the same route refusing a request that carries no key
  // (401 from the route wrapper before any database work).
  const floorResult = summary([await cannon(appUrl, {}, duration)]);
  const bareResults = [];
  for (const bare of bares.slice(1)) bareResults.push({ protocol: bare.protocol, ...summary([await cannon(bare.url, headers, duration)]) });
  const appResult = summary(appRuns);
  const bareResult = { protocol: 'select', ...summary(baselineRuns) };
  bareResults.unshift(bareResult);
  const ratioOf = (r) => Number((r.requestsPerSecond / bareResult.requestsPerSecond).toFixed(3));
  const result = {
    benchmark: 'GET /api/v1/skills/:slug',
    connections,
    durationSeconds: duration,
    database: 'postgres',
    app: appResult,
    bare: bareResult,
    ratio: ratioOf(appResult),
    // Each turn of the app against the baseline's turn next to it.
    ratioPerRound: appResult.turns.map((r, i) => Number((r.requestsPerSecond / bareResult.turns[i].requestsPerSecond).toFixed(3))),
    // The same SELECT with key checks and tenant transactions around it, no framework (bare-server.mjs).
    breakdown: [
      ...bareResults.map((r) => ({ server: `bare ${r.protocol}`, requestsPerSecond: r.requestsPerSecond, p99Ms: r.latencyMs.p99, ratio: ratioOf(r) })),
      { server: 'the app refusing a request without a key (no database work)', requestsPerSecond: floorResult.requestsPerSecond, p99Ms: floorResult.latencyMs.p99, ratio: ratioOf(floorResult), non2xx: floorResult.non2xx },
    ],
    targets: { ratio: 0.6, p99Ms: 25 },
    meetsTargets: appResult.requestsPerSecond / bareResult.requestsPerSecond >= 0.6 && appResult.latencyMs.p99 <= 25,
    node: process.version,
    appNodeArgs: NODE_ARGS,
    cpus: (await import('node:os')).cpus().length,
    at: new Date().toISOString(),
  };
  mkdirSync(path.join(root, '.data/bench'), { recursive: true });
  writeFileSync(path.join(root, '.data/bench/api.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  app.kill('SIGTERM');
  for (const bare of bares) bare.child.kill('SIGTERM');
}
