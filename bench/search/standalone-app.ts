import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './corpus';

export const STANDALONE_SERVER = path.join(REPO_ROOT, 'apps/web/.next/standalone/apps/web/server.js');

export interface RunningApp {
  url: string;
  stop(): Promise<void>;
}

/** Whether `pnpm build` has left a standalone server to start. */
export function hasBuild(): boolean {
  return existsSync(STANDALONE_SERVER);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The built standalone app with production's Node flags (ecosystem.config.cjs), on a free port,
 * with `vars` over a minimal test configuration; resolves once it answers HTTP.
 */
export async function startApp(vars: Record<string, string>): Promise<RunningApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { NODE_ARGS } = createRequire(import.meta.url)(path.join(REPO_ROOT, 'ecosystem.config.cjs')) as { NODE_ARGS: string[] };
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'DATABASE_OWNER_URL', 'VOYAGE_API_KEY', 'OLLAMA_HOST', 'EMBEDDING_PROVIDER', 'NODE_OPTIONS']) delete env[name];
  const child = spawn(process.execPath, [...NODE_ARGS, STANDALONE_SERVER], {
    env: {
      ...env,
      NODE_ENV: 'production',
      APP_ENV: 'test',
      APP_URL: url,
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // Background job workers would compete for the same cores; the bench measures serving.
      JOBS_WORKERS: 'off',
      API_RATE_LIMIT_PER_KEY: '1000000000',
      API_RATE_LIMIT_PER_TENANT: '1000000000',
      ...vars,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited before answering:\n${stderr}`);
    if ((await fetch(`${url}/robots.txt`).catch(() => null))?.ok) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the app did not answer within 60 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
