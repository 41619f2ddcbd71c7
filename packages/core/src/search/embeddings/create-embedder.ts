import type { SearchEnv } from '../search-env';
import { createBuiltinEmbedder } from './builtin-embedder';
import type { EmbeddingProvider } from './embedding-provider';
import { createOllamaEmbedder } from './ollama-embedder';
import { createVoyageEmbedder } from './voyage-embedder';

/** The embedder the configuration names; `auto` takes Voyage, else Ollama, else the built-in one. */
export function createEmbedder(env: SearchEnv): EmbeddingProvider {
  const choice =
    env.EMBEDDING_PROVIDER !== 'auto'
      ? env.EMBEDDING_PROVIDER
      : env.VOYAGE_API_KEY
        ? 'voyage'
        : env.OLLAMA_HOST
          ? 'ollama'
          : 'builtin';
  switch (choice) {
    case 'voyage':
      return createVoyageEmbedder({
        apiKey: env.VOYAGE_API_KEY!,
        baseUrl: env.VOYAGE_BASE_URL,
        model: env.VOYAGE_MODEL,
        dimensions: env.VOYAGE_DIMENSIONS,
      });
    case 'ollama':
      return createOllamaEmbedder({ host: env.OLLAMA_HOST!, model: env.OLLAMA_EMBED_MODEL, dimensions: env.OLLAMA_EMBED_DIMENSIONS });
    case 'builtin':
      return createBuiltinEmbedder();
  }
}
