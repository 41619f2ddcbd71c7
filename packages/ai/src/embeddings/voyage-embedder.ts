import {
  EmbeddingError,
  checkVectors,
  toEmbeddingError,
  type EmbedOptions,
  type EmbeddingProvider,
} from './embedding-provider';

export interface VoyageEmbedderOptions {
  apiKey: string;
  /** VOYAGE_BASE_URL; the public API unless tests point it at a local stand-in. */
  baseUrl?: string;
  model?: string;
  /** voyage-3.5-lite answers 1024 by default and also 256, 512 or 2048 (`output_dimension`). */
  dimensions?: number;
}

interface VoyageResponse {
  data?: { embedding?: unknown; index?: number }[];
}

// The API accepts up to 1,000 inputs per call; smaller batches keep one slow call short.
const BATCH = 128;

/** Embeddings from Voyage AI's REST API (`POST /v1/embeddings`). */
export function createVoyageEmbedder(options: VoyageEmbedderOptions): EmbeddingProvider {
  const model = options.model ?? 'voyage-3.5-lite';
  const dimensions = options.dimensions ?? 1024;
  const endpoint = `${(options.baseUrl ?? 'https://api.voyageai.com/v1').replace(/\/+$/, '')}/embeddings`;

  async function embedBatch(texts: readonly string[], { signal, purpose = 'document' }: EmbedOptions) {
    const response = await fetch(endpoint, {
      method: 'POST',
      signal,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
      body: JSON.stringify({
        input: texts,
        model,
        input_type: purpose,
        output_dimension: dimensions,
        truncation: true,
      }),
    });
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw new EmbeddingError(
        `voyage refused the request (HTTP ${response.status}): ${body.slice(0, 200)}`,
        'rejected',
      );
    }
    const json = (await response.json()) as VoyageResponse;
    const data = [...(json.data ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return checkVectors(
      data.map((d) => d.embedding),
      texts.length,
      dimensions,
      'voyage',
    );
  }

  return {
    provider: 'voyage',
    model,
    dimensions,
    duplicateThreshold: 0.92,
    relevanceFloor: 0.3,
    async embed(texts: readonly string[], embedOptions: EmbedOptions = {}) {
      const out: number[][] = [];
      try {
        for (let i = 0; i < texts.length; i += BATCH) {
          out.push(...(await embedBatch(texts.slice(i, i + BATCH), embedOptions)));
        }
        return out;
      } catch (error) {
        throw toEmbeddingError(error, 'voyage', embedOptions.signal);
      }
    },
  };
}
