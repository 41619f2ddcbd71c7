import { processWide } from '@everyskill/base/process-wide';
import { createEmbedder } from './create-embedder';
import { EmbeddingError, toEmbeddingError, type EmbeddingProvider } from '@everyskill/ai/embeddings/embedding-provider';
import { QueryEmbeddingCache } from './query-embedding-cache';
import { readSearchEnv } from './search-env';

export type QueryEmbedding = { ok: true; vector: number[]; cached: boolean } | { ok: false; reason: string };

/** The embedder with what search needs around it: a deadline, a cache and a short memory of outages. */
export interface SearchRuntime {
  readonly embedder: EmbeddingProvider;
  readonly queryTimeoutMs: number;
  /** The query's vector, or why there is none; never throws and never waits past the deadline. */
  embedQuery(text: string): Promise<QueryEmbedding>;
  /** Document vectors for jobs: a longer deadline, no cache; throws EmbeddingError. */
  embedDocuments(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}

export interface SearchRuntimeOptions {
  embedder: EmbeddingProvider;
  /** How long a search waits for the query embedding before answering from keywords. */
  queryTimeoutMs?: number;
  documentTimeoutMs?: number;
  /** After a failure, searches skip the embedder this long instead of each waiting for the deadline. */
  cooldownMs?: number;
  cache?: QueryEmbeddingCache;
  now?: () => number;
}

/** Races a promise against a deadline, aborting the work behind it when the deadline wins. */
async function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, ms: number, outer?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  outer?.addEventListener('abort', abort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(controller.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new EmbeddingError(`no answer within ${ms} ms`, 'timeout'));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', abort);
  }
}

export function createSearchRuntime(options: SearchRuntimeOptions): SearchRuntime {
  const { embedder } = options;
  const queryTimeoutMs = options.queryTimeoutMs ?? 500;
  const documentTimeoutMs = options.documentTimeoutMs ?? 60_000;
  const cooldownMs = options.cooldownMs ?? 10_000;
  const cache = options.cache ?? new QueryEmbeddingCache();
  const now = options.now ?? Date.now;
  let downUntil = 0;
  let downReason = '';

  const describe = (error: EmbeddingError) =>
    error.reason === 'timeout'
      ? `the embedding service (${embedder.provider}) did not answer within ${queryTimeoutMs} ms`
      : `the embedding service (${embedder.provider}) is unavailable: ${error.message}`;

  return {
    embedder,
    queryTimeoutMs,
    async embedQuery(text) {
      const key = `${embedder.provider}:${embedder.model}:${text}`;
      const hit = cache.get(key);
      if (hit) return { ok: true, vector: hit, cached: true };
      if (now() < downUntil) return { ok: false, reason: downReason };
      try {
        const [vector] = await withDeadline(
          (signal) => embedder.embed([text], { signal, purpose: 'query' }),
          queryTimeoutMs,
        );
        if (!vector) throw new EmbeddingError('no vector returned', 'bad_response');
        cache.set(key, vector);
        return { ok: true, vector, cached: false };
      } catch (error) {
        downReason = describe(toEmbeddingError(error, embedder.provider));
        downUntil = now() + cooldownMs;
        return { ok: false, reason: downReason };
      }
    },
    async embedDocuments(texts, signal) {
      try {
        return await withDeadline((s) => embedder.embed(texts, { signal: s, purpose: 'document' }), documentTimeoutMs, signal);
      } catch (error) {
        throw toEmbeddingError(error, embedder.provider);
      }
    },
  };
}

// One runtime per process (its cache and outage memory are shared by every request).
const processRuntime = processWide('search.runtime', searchRuntimeFromEnv);

/** The process-wide runtime, built from the environment on first use. */
export function getSearchRuntime(): SearchRuntime {
  return processRuntime.get();
}

function searchRuntimeFromEnv(): SearchRuntime {
  try {
    const env = readSearchEnv();
    return createSearchRuntime({ embedder: createEmbedder(env), queryTimeoutMs: env.SEARCH_EMBED_TIMEOUT_MS });
  } catch (error) {
    // A configuration that cannot work must not take search down: keywords answer, every search
    // says why meaning-based matching is off, and the log says what to fix.
    const message = (error as Error).message.replace(/\s*\n\s*/g, ' ');
    console.error(JSON.stringify({ level: 'error', time: new Date().toISOString(), msg: 'search embedder not configured; keyword search only', error: message }));
    return createSearchRuntime({ embedder: misconfiguredEmbedder(message), cooldownMs: 60_000 });
  }
}

/** Stands in for an embedder whose configuration is invalid: every call fails with the reason. */
function misconfiguredEmbedder(reason: string): EmbeddingProvider {
  return {
    provider: 'builtin',
    model: 'unconfigured',
    dimensions: 512,
    duplicateThreshold: 1,
    relevanceFloor: 1,
    embed: async () => {
      throw new EmbeddingError(`the embedding provider is misconfigured: ${reason}`, 'rejected');
    },
  };
}

/** Replaces the process-wide runtime (tests, benchmarks); null rebuilds it from the environment. */
export function setSearchRuntime(runtime: SearchRuntime | null): void {
  processRuntime.set(runtime ?? undefined);
}
