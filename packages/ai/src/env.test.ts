import { describe, expect, it } from 'vitest';
import { costOf, readAiConfig } from './env';

describe('readAiConfig', () => {
  it('is off without ANTHROPIC_API_KEY, with default models and prices', () => {
    const config = readAiConfig({});
    expect(config.enabled).toBe(false);
    expect(config.reviewModel).toBe('claude-sonnet-5-5');
    expect(config.benchmarkModels).toEqual(['claude-haiku-5-5', 'claude-sonnet-5-5']);
    expect(config.maxRetries).toBe(1);
  });

  it('reads models, the model list and price overrides', () => {
    const config = readAiConfig({
      ANTHROPIC_API_KEY: 'sk-test',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9999/',
      AI_BENCHMARK_MODELS: ' model-a, model-b ,model-a',
      AI_PRICING: '{"model-a":{"inputPerMTok":2,"outputPerMTok":10}}',
    });
    expect(config).toMatchObject({ enabled: true, baseURL: 'http://127.0.0.1:9999', benchmarkModels: ['model-a', 'model-b'] });
    expect(costOf(config.pricing, 'model-a', { inputTokens: 1_000_000, outputTokens: 100_000 })).toBeCloseTo(3);
    expect(costOf(config.pricing, 'model-b', { inputTokens: 10, outputTokens: 10 })).toBeNull();
    // A dated model id is priced by its family.
    expect(costOf(config.pricing, 'claude-haiku-4-5-20251001', { inputTokens: 1_000_000, outputTokens: 0 })).toBe(1);
  });

  it('names each bad variable', () => {
    expect(() => readAiConfig({ AI_PRICING: '{oops', AI_BENCHMARK_MODELS: 'a,b,c,d,e' })).toThrow(/AI_PRICING[\s\S]*|AI_BENCHMARK_MODELS/);
    expect(() => readAiConfig({ AI_PRICING: '{oops' })).toThrow(/AI_PRICING: must be JSON/);
    expect(() => readAiConfig({ AI_BENCHMARK_MODELS: 'a,b,c,d,e' })).toThrow(/AI_BENCHMARK_MODELS: at most 4/);
    expect(() => readAiConfig({ ANTHROPIC_BASE_URL: 'ftp://x' })).toThrow(/ANTHROPIC_BASE_URL/);
  });
});
