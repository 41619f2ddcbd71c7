import { createBuiltinEmbedder } from '@everyskill/ai/embeddings/builtin-embedder';
import type { EmbeddingProvider, EmbeddingProviderName } from '@everyskill/ai/embeddings/embedding-provider';
import { createOllamaEmbedder } from '@everyskill/ai/embeddings/ollama-embedder';
import { createVoyageEmbedder } from '@everyskill/ai/embeddings/voyage-embedder';
import type { EmbeddingProviderName as StoredProviderName } from '@everyskill/db';
import type { SearchEnv } from './search-env';

// The adapters (packages/ai) and the database name the providers alike; this fails to compile if they part.
const sameProviderNames: [EmbeddingProviderName, StoredProviderName] extends [StoredProviderName, EmbeddingProviderName] ? true : never = true;
void sameProviderNames;

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
