/**
 * Which embedding service produced a vector; vectors of different providers or models never mix.
 * The database stores the same names (`embeddingProviders` of @everyskill/db; core checks they agree).
 */
export type EmbeddingProviderName = 'voyage' | 'ollama' | 'builtin';

export interface EmbedOptions {
  /** Aborts the request (search uses a short deadline; jobs a longer one). */
  signal?: AbortSignal;
  /** Retrieval models embed queries and documents differently; the default is `document`. */
  purpose?: 'query' | 'document';
}

/** One embedding model behind one interface: Voyage, Ollama or the offline built-in. */
export interface EmbeddingProvider {
  readonly provider: EmbeddingProviderName;
  readonly model: string;
  readonly dimensions: number;
  /**
   * Cosine similarity above which two skills count as near-duplicates for this model; scales
   * differ between models, so each provider states its own.
   */
  readonly duplicateThreshold: number;
  /** Cosine similarity below which a query's neighbour is noise, not a result. */
  readonly relevanceFloor: number;
  /** One unit-length vector per text, in order; rejects on network failure, timeout or abort. */
  embed(texts: readonly string[], options?: EmbedOptions): Promise<number[][]>;
}

/** The embedding service failed or answered something unusable; search degrades to keywords. */
export class EmbeddingError extends Error {
  constructor(
    message: string,
    public readonly reason: 'unreachable' | 'timeout' | 'bad_response' | 'rejected',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EmbeddingError';
  }
}

/** Scales a vector to unit length (a zero vector stays zero). */
export function normalizeVector(vector: number[]): number[] {
  let sum = 0;
  for (const x of vector) sum += x * x;
  if (sum === 0) return vector;
  const norm = Math.sqrt(sum);
  return vector.map((x) => x / norm);
}

/** Checks a provider's answer: one finite vector of the stated size per input. */
export function checkVectors(
  vectors: unknown,
  expectedCount: number,
  dimensions: number,
  provider: EmbeddingProviderName,
): number[][] {
  if (!Array.isArray(vectors) || vectors.length !== expectedCount) {
    throw new EmbeddingError(
      `${provider} returned ${Array.isArray(vectors) ? vectors.length : 'no'} embeddings for ${expectedCount} inputs`,
      'bad_response',
    );
  }
  return vectors.map((v, i) => {
    if (!Array.isArray(v) || v.length !== dimensions || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new EmbeddingError(
        `${provider} embedding ${i} has ${Array.isArray(v) ? v.length : 0} dimensions; expected ${dimensions} finite numbers`,
        'bad_response',
      );
    }
    return normalizeVector(v as number[]);
  });
}

/** Maps fetch/abort failures to an EmbeddingError with a reason a person can act on. */
export function toEmbeddingError(error: unknown, provider: EmbeddingProviderName, signal?: AbortSignal): EmbeddingError {
  if (error instanceof EmbeddingError) return error;
  if (signal?.aborted || (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))) {
    return new EmbeddingError(`${provider} did not answer in time`, 'timeout', { cause: error });
  }
  const status = (error as { status_code?: number; status?: number }).status_code ?? (error as { status?: number }).status;
  if (typeof status === 'number') {
    return new EmbeddingError(`${provider} refused the request (HTTP ${status}): ${(error as Error).message}`, 'rejected', {
      cause: error,
    });
  }
  return new EmbeddingError(`${provider} is unreachable: ${(error as Error)?.message ?? String(error)}`, 'unreachable', {
    cause: error,
  });
}
