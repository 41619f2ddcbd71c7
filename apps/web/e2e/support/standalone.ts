import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { standaloneServer } from './paths';
import { isolatedEnv } from './server-env';

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  port: number;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the built standalone server (`.next/standalone/apps/web/server.js`) with exactly `vars`
 * as its EverySkill configuration (or what `vars(url)` gives, for settings that name the server's
 * own address), and waits until it answers HTTP at all. With `appUrlOnPort`, APP_URL is the
 * server's own address (what sign-in cookies and redirects need).
 */
export async function startStandalone(
  vars: Record<string, string | undefined> | ((url: string) => Record<string, string | undefined>),
  options: { appUrlOnPort?: boolean } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = typeof vars === 'function' ? vars(url) : vars;
  const child = spawn(process.execPath, [standaloneServer], {
    env: isolatedEnv({ ...env, ...(options.appUrlOnPort ? { APP_URL: url } : {}), PORT: String(port), HOSTNAME: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const server: RunningServer = { url, port, output: () => output, stop: () => stop(child) };
  try {
    await waitForHttp(url, child, 30_000);
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\nserver output:\n${output}`);
  }
  return server;
}

/**
 * Starts the standalone server expecting it to refuse to start; resolves with its exit code and
 * output. It gets a free port of its own: Next's server reads PORT=0 as 3000, where the README's
 * portal may be running (the test then failed with EADDRINUSE instead of the refusal).
 */
export async function runStandaloneUntilExit(
  vars: Record<string, string | undefined>,
  // Generous: a refusal comes within a second or two on a quiet machine, much later on a loaded one.
  timeoutMs = 60_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }> {
  const port = String(await freePort());
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [standaloneServer], {
      env: isolatedEnv({ PORT: port, HOSTNAME: '127.0.0.1', ...vars }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server was still running after ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A GET with an explicit Host header (fetch may not set one), as a proxy forwards a tenant's host. */
export function getWithHost(
  url: string,
  host: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { ...headers, host }, timeout: 10_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} (Host: ${host}) timed out`)));
    request.on('error', reject);
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before answering`);
    try {
      await fetch(`${url}/robots.txt`, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`the server at ${url} did not answer within ${timeoutMs} ms`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
