import { openJobQueue, setJobQueue, type JobQueue, type JobRegistry } from '@everyskill/jobs';
import { startMessagesApiStandIn, type MessagesApiStandIn, type Responder } from '@everyskill/ai/testing';
import type { TestDatabases } from '@everyskill/db/testing';
import { vi } from 'vitest';

/** Environment of a test with AI on: the real SDK pointed at the stand-in, fast job retries. */
export function stubAiEnv(standIn: MessagesApiStandIn, overrides: Record<string, string> = {}): void {
  const env: Record<string, string> = {
    ANTHROPIC_API_KEY: 'sk-test-everyskill',
    ANTHROPIC_BASE_URL: standIn.baseURL,
    ANTHROPIC_MAX_RETRIES: '0',
    AI_RETRY_LIMIT: '2',
    AI_RETRY_DELAY_SECONDS: '1',
    AI_REVIEW_MODEL: 'claude-sonnet-5-5',
    AI_BENCHMARK_MODELS: 'claude-haiku-5-5,claude-sonnet-5-5',
    AI_JUDGE_MODEL: 'claude-sonnet-5-5',
    ...overrides,
  };
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
}

export interface AiHarness {
  standIn: MessagesApiStandIn;
  queue: JobQueue;
  close(): Promise<void>;
}

/** A Messages API stand-in, and the process-wide job queue over the test database with workers running. */
export async function startAiHarness(dbs: TestDatabases, registry: () => JobRegistry, responder?: Responder): Promise<AiHarness> {
  const standIn = await startMessagesApiStandIn(responder);
  stubAiEnv(standIn);
  const queue = openJobQueue({ handle: dbs.app, connectionString: process.env.DATABASE_URL, log: () => {} });
  setJobQueue(queue);
  await queue.startWorkers(registry(), { concurrency: 2, pollIntervalMs: 200, shutdownTimeoutMs: 5_000 });
  return {
    standIn,
    queue,
    async close() {
      await queue.close();
      setJobQueue(null);
      await standIn.close();
      vi.unstubAllEnvs();
    },
  };
}

/** Polls until `check` returns something, or fails naming what it waited for. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
