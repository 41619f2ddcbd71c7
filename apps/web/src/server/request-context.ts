import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { processWide } from '@everyskill/base/process-wide';

/** What every log line of one HTTP request shares. */
export interface RequestContext {
  requestId: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const store = processWide('request-context', () => new AsyncLocalStorage<RequestContext>()).get();

/** The caller's X-Request-ID when it is a sane token (letters, digits, `._:-`, ≤ 100), else a new UUID. */
export function acceptOrCreateRequestId(given: string | string[] | null | undefined): string {
  const value = Array.isArray(given) ? given[0] : given;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

/** Runs `fn` with `context` visible to every log line written while it (and what it awaits) runs. */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return store.run(context, fn);
}

/** The request id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return store.getStore()?.requestId;
}
