import { envReader } from '@everyskill/base/env';
import { z } from 'zod';

/** USD per million tokens. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

/**
 * List prices at the time of writing; AI_PRICING overrides or extends them per model. A model id
 * with a date suffix (claude-sonnet-4-5-20250929) is priced by its longest matching prefix.
 */
export const defaultPricing: Record<string, ModelPrice> = {
  'claude-fable-5-1': { inputPerMTok: 10, outputPerMTok: 50 },
  'claude-opus-5-5': { inputPerMTok: 4, outputPerMTok: 20 },
  'claude-opus-5': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-sonnet-5-5': { inputPerMTok: 2, outputPerMTok: 10 },
  'claude-sonnet-5': { inputPerMTok: 2, outputPerMTok: 10 },
  // Haiku 5.5 is priced in tiers; this is the entry tier. Override with AI_PRICING for yours.
  'claude-haiku-5-5': { inputPerMTok: 0.1, outputPerMTok: 0.5 },
  'claude-opus-4-5': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-sonnet-4-6': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-sonnet-4-5': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5 },
};

const modelName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/, 'must be a model id such as claude-sonnet-5-5');

const priceSchema = z.object({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) }).strict();

const aiEnvSchema = z.object({
  ANTHROPIC_API_KEY: z.string().trim().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  ANTHROPIC_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  ANTHROPIC_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(120_000),
  AI_RETRY_LIMIT: z.coerce.number().int().min(0).max(10).default(3),
  AI_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(20),
  AI_REVIEW_MODEL: modelName.default('claude-sonnet-5-5'),
  AI_JUDGE_MODEL: modelName.default('claude-sonnet-5-5'),
  AI_BENCHMARK_MODELS: z
    .string()
    .default('claude-haiku-5-5,claude-sonnet-5-5')
    .transform((v) => [...new Set(v.split(',').map((m) => m.trim()).filter(Boolean))])
    .pipe(z.array(modelName).min(1, 'must name at least one model').max(4, 'at most 4 models (each task runs twice per model)')),
  AI_PRICING: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return {};
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON such as {"claude-sonnet-4-5":{"inputPerMTok":3,"outputPerMTok":15}}' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string(), priceSchema)),
});

export interface AiConfig {
  /** False without ANTHROPIC_API_KEY: AI review and benchmarks are shown as off. */
  enabled: boolean;
  apiKey: string | null;
  baseURL: string | null;
  /** The SDK's own retries per call (429/5xx); the jobs retry on top with their own backoff. */
  maxRetries: number;
  timeoutMs: number;
  /** Job retries of an AI review or benchmark after a rate limit, outage or malformed answer. */
  retryLimit: number;
  /** Seconds before the first job retry; doubled (with jitter) for each further one. */
  retryDelaySeconds: number;
  reviewModel: string;
  judgeModel: string;
  benchmarkModels: string[];
  pricing: Record<string, ModelPrice>;
}

/** Reads and validates the AI configuration from the environment, at call time. */
export const readAiConfig: (env?: Record<string, string | undefined>) => AiConfig = envReader('AI', aiEnvSchema, {
  finish: (e): AiConfig => ({
    enabled: Boolean(e.ANTHROPIC_API_KEY),
    apiKey: e.ANTHROPIC_API_KEY ?? null,
    baseURL: e.ANTHROPIC_BASE_URL?.replace(/\/+$/, '') ?? null,
    maxRetries: e.ANTHROPIC_MAX_RETRIES,
    timeoutMs: e.ANTHROPIC_TIMEOUT_MS,
    retryLimit: e.AI_RETRY_LIMIT,
    retryDelaySeconds: e.AI_RETRY_DELAY_SECONDS,
    reviewModel: e.AI_REVIEW_MODEL,
    judgeModel: e.AI_JUDGE_MODEL,
    benchmarkModels: e.AI_BENCHMARK_MODELS,
    pricing: { ...defaultPricing, ...e.AI_PRICING },
  }),
});

/** The price of a model: exact id first, else the longest configured prefix; null when unknown. */
export function priceOf(pricing: Record<string, ModelPrice>, model: string): ModelPrice | null {
  if (pricing[model]) return pricing[model];
  const prefix = Object.keys(pricing)
    .filter((name) => model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? pricing[prefix]! : null;
}

/** USD cost of one call, or null when the model has no configured price. */
export function costOf(
  pricing: Record<string, ModelPrice>,
  model: string,
  usage: { inputTokens: number; outputTokens: number },
): number | null {
  const price = priceOf(pricing, model);
  if (!price) return null;
  return (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
}
