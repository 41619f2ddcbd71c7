// Bounded load generator for the zero-downtime test: CONNECTIONS loops send GET requests over
// keep-alive connections (as a reverse proxy would) until SIGTERM/SIGINT or MAX_SECONDS, then
// print one JSON summary. Every non-2xx answer and every socket error or timeout counts as failed.
//
//   node ops-tests/lib/load.mjs --url http://localhost:2000 --paths /,/api/health \
//     [--connections 8] [--max-seconds 300] [--timeout-ms 10000] [--out summary.json]
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    paths: { type: 'string', default: '/' },
    connections: { type: 'string', default: '8' },
    'max-seconds': { type: 'string', default: '300' },
    'timeout-ms': { type: 'string', default: '10000' },
    out: { type: 'string' },
  },
});
if (!values.url) throw new Error('--url is required');
const base = new URL(values.url);
const paths = values.paths.split(',').filter(Boolean);
const connections = Number(values.connections);
const maxMs = Number(values['max-seconds']) * 1000;
const timeoutMs = Number(values['timeout-ms']);

const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const summary = {
  sent: 0,
  ok: 0,
  failed: 0,
  byStatus: {},
  errors: {},
  buildIds: {}, // buildId -> {count, first, last} from /api/health answers
  firstFailures: [], // up to 20: {time, path, status | error, ms}
  latencyMs: { max: 0, p50: 0, p99: 0 },
  durationMs: 0,
};
const latencies = [];
const started = Date.now();
let stopping = false;

function request(path) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get(
      { agent, host: base.hostname, port: base.port, path, headers: { host: base.host, 'x-request-id': `load-${summary.sent}` } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
        res.on('error', (error) => resolve({ error, ms: performance.now() - t0 }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error) => resolve({ error, ms: performance.now() - t0 }));
  });
}

async function loop(offset) {
  for (let i = offset; !stopping && Date.now() - started < maxMs; i++) {
    const path = paths[i % paths.length];
    summary.sent++;
    const result = await request(path);
    latencies.push(result.ms);
    const failure = (what) => {
      summary.failed++;
      if (summary.firstFailures.length < 20) {
        summary.firstFailures.push({ time: new Date().toISOString(), path, ...what, ms: Math.round(result.ms) });
      }
    };
    if (result.error) {
      const code = result.error.code ?? result.error.message;
      summary.errors[code] = (summary.errors[code] ?? 0) + 1;
      failure({ error: code });
      continue;
    }
    summary.byStatus[result.status] = (summary.byStatus[result.status] ?? 0) + 1;
    if (result.status >= 200 && result.status < 300) summary.ok++;
    else failure({ status: result.status, body: result.body.slice(0, 200) });
    if (path.startsWith('/api/health')) {
      try {
        const { buildId } = JSON.parse(result.body);
        const now = new Date().toISOString();
        const seen = (summary.buildIds[buildId] ??= { count: 0, first: now, last: now });
        seen.count++;
        seen.last = now;
      } catch {
        // a non-JSON health answer is already counted by its status
      }
    }
  }
}

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => (stopping = true));
await Promise.all(Array.from({ length: connections }, (_, i) => loop(i)));
agent.destroy();
summary.durationMs = Date.now() - started;
latencies.sort((a, b) => a - b);
const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
summary.latencyMs = { p50: at(0.5), p99: at(0.99), max: Math.round(latencies.at(-1) ?? 0) };
const json = JSON.stringify(summary, null, 2);
if (values.out) writeFileSync(values.out, json + '\n');
console.log(json);
