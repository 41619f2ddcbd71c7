'use strict';
// PM2 entry point: runs the Next.js standalone server of the release that
// EVERYSKILL_RELEASE_LINK (builds/<environment>/current) points to when this worker starts, and
// makes `pm2 reload` lose no request:
//   - 'ready' goes to PM2 only after this worker answered a warm-up request through its own
//     server (Next's server.js never sends it, and 'listening' comes before Next is initialised);
//   - on SIGINT/SIGTERM (or PM2's 'shutdown' message) it stops accepting connections, answers
//     what is in flight with `Connection: close`, closes connections once idle, then exits.
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

// Everything after the signal (draining, then the app's shutdown hook) fits in this budget, which
// stays below PM2's kill_timeout (30 s in ecosystem.config.cjs): PM2 would SIGKILL after that.
const SHUTDOWN_BUDGET_MS = intFromEnv('EVERYSKILL_SHUTDOWN_BUDGET_MS', 28_000);
const DRAIN_TIMEOUT_MS = Math.min(intFromEnv('EVERYSKILL_DRAIN_TIMEOUT_MS', 20_000), SHUTDOWN_BUDGET_MS);
const IDLE_CLOSE_MS = intFromEnv('EVERYSKILL_IDLE_CLOSE_MS', 1_000);
const WARMUP_TIMEOUT_MS = intFromEnv('EVERYSKILL_WARMUP_TIMEOUT_MS', 30_000);
const WARMUP_PATHS = (process.env.EVERYSKILL_WARMUP_PATHS ?? '/api/health,/')
  .split(',')
  .map((p) => p.trim())
  .filter(Boolean);

function intFromEnv(name, fallback) {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n >= 0 && process.env[name] !== '' ? n : fallback;
}

function log(level, msg, fields = {}) {
  const line = JSON.stringify({ level, time: new Date().toISOString(), msg, pid: process.pid, ...fields });
  (level === 'error' || level === 'warn' ? console.error : console.log)(line);
}

function fail(msg, fields) {
  log('error', msg, fields);
  process.exit(1);
}

if (process.env.EVERYSKILL_ENV_FILE_MISSING) {
  fail(`env file ${process.env.EVERYSKILL_ENV_FILE} does not exist; create it (see docs/operations.md)`);
}
dropVariablesGoneFromEnvFile();

const link = process.env.EVERYSKILL_RELEASE_LINK;
if (!link) fail('EVERYSKILL_RELEASE_LINK is not set; start the app through ecosystem.config.cjs');
let releaseDir;
try {
  releaseDir = fs.realpathSync(link);
} catch {
  fail(`${link} does not point to a release; deploy one first (./deploy.sh staging)`);
}
const serverJs = path.join(releaseDir, 'apps/web/server.js');
if (!fs.existsSync(serverJs)) fail(`${serverJs} is missing: not a complete release`);

// Next registers SIGINT/SIGTERM handlers that close the server (dropping idle keep-alive
// connections a client may be reusing at that very moment) and exit; this file drains instead.
process.env.NEXT_MANUAL_SIG_HANDLE = 'true';
process.env.EVERYSKILL_RELEASE_DIR = releaseDir;
process.env.EVERYSKILL_RELEASE_ID = path.basename(releaseDir);

/** @type {http.Server | undefined} */
let server;
let draining = false;
/** Per connection: requests in progress and when the last one ended. */
const connections = new Map();

// Next creates its http.Server inside startServer(); catch that one instance to drain it later.
const createServer = http.createServer;
http.createServer = function createServerWithDrain(...args) {
  const created = createServer.apply(this, args);
  if (!server) {
    server = created;
    http.createServer = createServer;
    instrument(created);
  }
  return created;
};

function instrument(srv) {
  srv.on('connection', (socket) => {
    connections.set(socket, { active: 0, idleSince: Date.now() });
    socket.once('close', () => connections.delete(socket));
  });
  // Counted when the server emits the request, before anything answers it: not as a 'request'
  // listener, because the app serves /api/v1 itself without passing the request on to listeners
  // (docs/architecture.md). The prototype's emit is looked up per call: the app wraps it later.
  srv.emit = function emitCountingRequests(event, ...args) {
    if (event === 'request') {
      const [req, res] = args;
      const state = connections.get(req.socket);
      if (state) state.active++;
      if (draining) res.setHeader('Connection', 'close');
      res.once('close', () => {
        if (!state) return;
        state.active--;
        state.idleSince = Date.now();
      });
    }
    return http.Server.prototype.emit.call(this, event, ...args);
  };
  srv.once('listening', () => {
    warmUp().then(
      () => {
        log('info', 'worker ready', { release: process.env.EVERYSKILL_RELEASE_ID, port: process.env.PORT });
        if (process.send) process.send('ready');
      },
      (error) => fail('warm-up failed; not telling PM2 this worker is ready', { error: error.message }),
    );
  });
}

/**
 * Sends each warm-up request through this worker's own server: a private loopback listener hands
 * the socket to it, since the shared cluster port may route a request to another worker.
 */
async function warmUp() {
  const bridge = net.createServer((socket) => server.emit('connection', socket));
  await new Promise((resolve, reject) => {
    bridge.once('error', reject);
    bridge.listen({ host: '127.0.0.1', port: 0, exclusive: true }, resolve);
  });
  const { port } = bridge.address();
  const host = process.env.ROOT_DOMAIN || 'localhost';
  try {
    for (const pathname of WARMUP_PATHS) {
      const started = Date.now();
      const status = await new Promise((resolve, reject) => {
        const req = http.get(
          { host: '127.0.0.1', port, path: pathname, headers: { host, connection: 'close', 'x-request-id': `warmup-${process.pid}` } },
          (res) => {
            res.resume();
            res.once('end', () => resolve(res.statusCode));
          },
        );
        req.setTimeout(WARMUP_TIMEOUT_MS, () => req.destroy(new Error(`${pathname}: no answer within ${WARMUP_TIMEOUT_MS} ms`)));
        req.once('error', reject);
      });
      // Any answer proves the server is initialised; health decides whether the release is good.
      log(status >= 500 ? 'warn' : 'info', 'warm-up request answered', { path: pathname, status, ms: Date.now() - started });
    }
  } finally {
    bridge.close();
  }
}

function drain(reason) {
  if (draining) return;
  draining = true;
  const started = Date.now();
  log('info', 'draining: no new connections, finishing requests in flight', { reason, connections: connections.size });
  if (!server) process.exit(0);
  // net.Server#close, not http.Server#close: the latter also drops idle keep-alive connections at
  // once, racing a client that is sending its next request on one of them.
  net.Server.prototype.close.call(server);
  const timer = setInterval(() => {
    const now = Date.now();
    for (const [socket, state] of connections) {
      if (state.active === 0 && now - state.idleSince >= IDLE_CLOSE_MS) socket.end();
    }
    if (connections.size === 0) finish('drained');
    else if (now - started >= DRAIN_TIMEOUT_MS) finish('drain timeout', { open: connections.size });
  }, 50);
  async function finish(how, fields = {}) {
    clearInterval(timer);
    // The app may register a hook that stops its job workers, closes its pool and flushes logs;
    // it runs once no request is left, with what remains of the budget.
    const hook = globalThis[Symbol.for('everyskill.shutdown')];
    if (typeof hook === 'function') {
      const budget = Math.max(1_000, SHUTDOWN_BUDGET_MS - (Date.now() - started));
      let timer;
      await Promise.race([
        Promise.resolve().then(hook),
        new Promise((resolve) => (timer = setTimeout(() => resolve(log('warn', 'shutdown hook still running: exiting anyway', { budget })), budget))),
      ]).catch((error) => log('warn', 'shutdown hook failed', { error: String(error) }));
      clearTimeout(timer);
    }
    log('info', `stopped (${how})`, { ms: Date.now() - started, ...fields });
    process.exit(0);
  }
}

process.on('SIGINT', () => drain('SIGINT'));
process.on('SIGTERM', () => drain('SIGTERM'));
process.on('message', (message) => {
  if (message === 'shutdown') drain('shutdown message');
});

log('info', 'starting', { release: process.env.EVERYSKILL_RELEASE_ID, environment: process.env.EVERYSKILL_ENVIRONMENT });
import(pathToFileURL(serverJs).href).catch((error) => fail('the standalone server failed to load', { error: String(error) }));

/**
 * PM2 merges a reload's environment into the worker's old one and never removes a variable, so one
 * deleted from the env file (a leaked CRON_SECRET, SMTP_HOST on staging) would live on in every
 * worker, and in `pm2 save`'s dump. The env file is the truth: each app variable (one that
 * .env.example names) it no longer sets is removed before the app starts. What ecosystem.config.cjs
 * sets itself (APP_ENV, PORT, …) is left alone.
 */
function dropVariablesGoneFromEnvFile() {
  const { readEnvFile } = require('./lib/env-file.cjs');
  const fileEnv = process.env.EVERYSKILL_ENV_FILE ? readEnvFile(process.env.EVERYSKILL_ENV_FILE) : null;
  if (!fileEnv) return;
  let example;
  try {
    example = fs.readFileSync(path.join(__dirname, '..', '.env.example'), 'utf8');
  } catch {
    return;
  }
  const provided = new Set(['APP_ENV', 'NODE_ENV', 'PORT', 'HOSTNAME', 'NEXT_TELEMETRY_DISABLED']);
  const dropped = [];
  for (const [, key] of example.matchAll(/^[ \t]*#?[ \t]*([A-Z][A-Z0-9_]*)=/gm)) {
    if (provided.has(key) || key.startsWith('EVERYSKILL_') || key in fileEnv || !(key in process.env)) continue;
    delete process.env[key];
    dropped.push(key);
  }
  if (dropped.length > 0) log('info', 'variables no longer in the env file were removed', { envFile: process.env.EVERYSKILL_ENV_FILE, dropped });
}
