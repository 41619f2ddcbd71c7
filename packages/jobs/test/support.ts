import { randomBytes } from 'node:crypto';
import type { LogFn } from '../src';

/** A job-name prefix unique to this run: pg-boss queues on the shared test server outlive a run. */
export function uniquePrefix(label: string): string {
  return `t${randomBytes(4).toString('hex')}-${label}`;
}

/** Polls until `check` returns a value other than undefined/false, or fails with `what`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A logger that keeps lines for assertions instead of printing them. */
export function memoryLog(): LogFn & { lines: { level: string; msg: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const log = ((level, msg, fields) => {
    lines.push({ level, msg, fields });
  }) as LogFn & { lines: typeof lines };
  log.lines = lines;
  return log;
}
