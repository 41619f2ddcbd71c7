'use strict';
// PM2 processes for EverySkill on one host: production and staging, each a cluster running the
// standalone server of the release its `builds/<environment>/current` symlink points to.
//
//   pm2 startOrReload ecosystem.config.cjs --only everyskill-staging --update-env
//
// deploy.sh does this for you. Each app reads its env file at the repository root when this file
// is loaded, so `--update-env` on a reload picks up edited env files. Overrides (tests, a second
// stack on one host): PROD_PORT, STAGING_PORT, EVERYSKILL_INSTANCES, EVERYSKILL_PM2_PREFIX.
const path = require('node:path');
const { readEnvFile } = require('./scripts/lib/env-file.cjs');

const ROOT = __dirname;
const BUILDS = process.env.DEPLOY_BUILDS_DIR || path.join(ROOT, 'builds');
const PREFIX = process.env.EVERYSKILL_PM2_PREFIX || 'everyskill';

function positiveInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

// Node's flags for every worker. A larger young generation (32 MB semi-spaces, 16 MB by default)
// means fewer scavenges for a server whose requests allocate short-lived objects: about 5% more
// API reads per second in bench:api, for up to 48 MB more heap per worker. bench:api starts the
// app with these same flags.
const NODE_ARGS = ['--max-semi-space-size=32'];

function app({ environment, suffix, port, envFile }) {
  const file = path.join(ROOT, envFile);
  // A missing file must not break the other app's start; the server wrapper refuses to run instead.
  const fileEnv = readEnvFile(file);
  return {
    name: `${PREFIX}-${suffix}`,
    // The wrapper resolves the `current` symlink each time a worker starts, so `pm2 reload` moves
    // workers one by one onto the release the symlink points to now.
    script: path.join(ROOT, 'scripts/pm2-server.cjs'),
    cwd: ROOT,
    exec_mode: 'cluster',
    node_args: NODE_ARGS,
    instances: positiveInt('EVERYSKILL_INSTANCES', 2),
    // Zero-downtime reload: a new worker counts only once it has served a warm-up request
    // ('ready'); the old one then drains its connections before it exits.
    wait_ready: true,
    listen_timeout: 60_000,
    kill_timeout: 30_000,
    autorestart: true,
    max_restarts: 10,
    min_uptime: 10_000,
    exp_backoff_restart_delay: 200,
    max_memory_restart: process.env.EVERYSKILL_MAX_MEMORY || '1G',
    merge_logs: true,
    env: {
      ...(fileEnv ?? {}),
      APP_ENV: fileEnv?.APP_ENV || environment,
      NODE_ENV: 'production',
      PORT: String(port),
      // Caddy runs on the same host; several app hosts behind a load balancer set HOSTNAME=0.0.0.0.
      HOSTNAME: fileEnv?.HOSTNAME || '127.0.0.1',
      NEXT_TELEMETRY_DISABLED: '1',
      EVERYSKILL_ENVIRONMENT: environment,
      EVERYSKILL_RELEASE_LINK: path.join(BUILDS, environment, 'current'),
      EVERYSKILL_ENV_FILE: file,
      ...(fileEnv ? {} : { EVERYSKILL_ENV_FILE_MISSING: '1' }),
    },
  };
}

module.exports = {
  NODE_ARGS,
  apps: [
    app({ environment: 'production', suffix: 'prod', port: positiveInt('PROD_PORT', 2000), envFile: '.env.production' }),
    app({ environment: 'staging', suffix: 'staging', port: positiveInt('STAGING_PORT', 2001), envFile: '.env.staging' }),
  ],
};
