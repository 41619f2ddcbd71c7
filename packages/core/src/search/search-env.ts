import { envReader } from '@everyskill/base/env';
import { z } from 'zod';

const providers = ['auto', 'voyage', 'ollama', 'builtin'] as const;

const url = (what: string) =>
  z.url({ protocol: /^https?$/, error: `${what} must be an http(s) URL such as http://127.0.0.1:11434` });

const searchEnvSchema = z
  .object({
    EMBEDDING_PROVIDER: z.enum(providers, { error: `must be one of ${providers.join(', ')}` }).default('auto'),
    VOYAGE_API_KEY: z.string().min(1).optional(),
    VOYAGE_BASE_URL: url('VOYAGE_BASE_URL').default('https://api.voyageai.com/v1'),
    VOYAGE_MODEL: z.string().min(1).default('voyage-3.5-lite'),
    VOYAGE_DIMENSIONS: z.coerce.number().int().min(1).max(2000).default(1024),
    OLLAMA_HOST: url('OLLAMA_HOST').optional(),
    OLLAMA_EMBED_MODEL: z.string().min(1).default('nomic-embed-text'),
    OLLAMA_EMBED_DIMENSIONS: z.coerce.number().int().min(1).max(2000).default(768),
    SEARCH_EMBED_TIMEOUT_MS: z.coerce.number().int().min(50).max(10_000).default(500),
  })
  .superRefine((env, ctx) => {
    if (env.EMBEDDING_PROVIDER === 'voyage' && !env.VOYAGE_API_KEY) {
      ctx.addIssue({ code: 'custom', path: ['VOYAGE_API_KEY'], message: 'is required when EMBEDDING_PROVIDER is voyage' });
    }
    if (env.EMBEDDING_PROVIDER === 'ollama' && !env.OLLAMA_HOST) {
      ctx.addIssue({ code: 'custom', path: ['OLLAMA_HOST'], message: 'is required when EMBEDDING_PROVIDER is ollama' });
    }
  });

export type SearchEnv = z.infer<typeof searchEnvSchema>;

/**
 * Reads the search configuration at call time. With EMBEDDING_PROVIDER=auto (the default) the
 * first configured service wins: Voyage (VOYAGE_API_KEY), then Ollama (OLLAMA_HOST), then the
 * offline built-in embedder.
 */
export const readSearchEnv: (source?: Record<string, string | undefined>) => SearchEnv = envReader('search', searchEnvSchema);
