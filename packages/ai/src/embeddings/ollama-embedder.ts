import { Ollama } from 'ollama';
import {
  checkVectors,
  toEmbeddingError,
  type EmbedOptions,
  type EmbeddingProvider,
} from './embedding-provider';

export interface OllamaEmbedderOptions {
  /** OLLAMA_HOST, e.g. http://127.0.0.1:11434. */
  host: string;
  model?: string;
  dimensions?: number;
}

// nomic-embed-text is trained with task prefixes; without them retrieval quality drops.
const NOMIC_PREFIX = { query: 'search_query: ', document: 'search_document: ' } as const;

/** Embeddings from an Ollama server (`/api/embed`) through the official `ollama` client. */
export function createOllamaEmbedder(options: OllamaEmbedderOptions): EmbeddingProvider {
  const model = options.model ?? 'nomic-embed-text';
  const dimensions = options.dimensions ?? 768;
  const prefixed = model.startsWith('nomic-embed-text');
  return {
    provider: 'ollama',
    model,
    dimensions,
    duplicateThreshold: 0.93,
    relevanceFloor: 0.45,
    async embed(texts: readonly string[], embedOptions: EmbedOptions = {}) {
      if (texts.length === 0) return [];
      const { signal, purpose = 'document' } = embedOptions;
      // The client's embed() takes no signal; a per-call fetch carries it instead.
      const client = new Ollama({
        host: options.host,
        fetch: (input: Parameters<typeof fetch>[0], init?: RequestInit) => fetch(input, { ...init, signal }),
      });
      try {
        const response = await client.embed({
          model,
          input: texts.map((t) => (prefixed ? NOMIC_PREFIX[purpose] + t : t)),
          truncate: true,
        });
        return checkVectors(response.embeddings, texts.length, dimensions, 'ollama');
      } catch (error) {
        throw toEmbeddingError(error, 'ollama', signal);
      }
    },
  };
}
