import { describe, expect, it } from 'vitest';
import { createEmbedder } from './create-embedder';
import { toSnippetParts } from './highlight';
import { QueryEmbeddingCache } from './query-embedding-cache';
import { sanitizeSearchQuery } from './sanitize-search-query';
import { readSearchEnv } from './search-env';
import { slugOf } from './search-skills';

describe('embedding provider selection', () => {
  it('takes Voyage, else Ollama, else the offline embedder', () => {
    expect(createEmbedder(readSearchEnv({})).provider).toBe('builtin');
    expect(createEmbedder(readSearchEnv({ OLLAMA_HOST: 'http://127.0.0.1:11434' }))).toMatchObject({
      provider: 'ollama',
      model: 'nomic-embed-text',
      dimensions: 768,
    });
    expect(createEmbedder(readSearchEnv({ OLLAMA_HOST: 'http://127.0.0.1:11434', VOYAGE_API_KEY: 'pa-x' }))).toMatchObject({
      provider: 'voyage',
      model: 'voyage-3.5-lite',
      dimensions: 1024,
    });
    expect(createEmbedder(readSearchEnv({ VOYAGE_API_KEY: 'pa-x', EMBEDDING_PROVIDER: 'builtin' })).provider).toBe('builtin');
  });

  it('explains a configuration that cannot work', () => {
    expect(() => readSearchEnv({ EMBEDDING_PROVIDER: 'voyage' })).toThrow(/VOYAGE_API_KEY: is required when EMBEDDING_PROVIDER is voyage/);
    expect(() => readSearchEnv({ OLLAMA_HOST: 'localhost:11434' })).toThrow(/OLLAMA_HOST: OLLAMA_HOST must be an http\(s\) URL/);
    expect(() => readSearchEnv({ SEARCH_EMBED_TIMEOUT_MS: '5' })).toThrow(/SEARCH_EMBED_TIMEOUT_MS/);
    expect(readSearchEnv({}).SEARCH_EMBED_TIMEOUT_MS).toBe(500);
  });
});

describe('query embedding cache', () => {
  it('evicts the least recently used entry and expires old ones', () => {
    let now = 0;
    const cache = new QueryEmbeddingCache(2, 1_000, () => now);
    cache.set('a', [1]);
    cache.set('b', [2]);
    expect(cache.get('a')).toEqual([1]);
    cache.set('c', [3]);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual([1]);
    now = 1_001;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});

describe('search query sanitising', () => {
  it('masks addresses, keys and long numbers, collapses spaces and caps the length', () => {
    expect(sanitizeSearchQuery('  mail  bob@corp.example  key rlk_AbCdEf123456 card 4111 1111 1111 1111 ')).toEqual({
      query: 'mail [email] key [secret] card [number]',
      normalized: 'mail [email] key [secret] card [number]',
    });
    expect(sanitizeSearchQuery('token ghp_abcdefghijklmnopqrstuvwxyz0123456789').query).toBe('token [secret]');
    expect(sanitizeSearchQuery('Slides\u0000 for Q3').query).toBe('Slides for Q3');
    expect(sanitizeSearchQuery('slides '.repeat(100)).query).toHaveLength(200);
  });
});

describe('snippet highlighting', () => {
  it('splits marked words out as text, never as markup', () => {
    expect(toSnippetParts('Build \u0002slides\u0003 from an <b>outline</b> \u0002deck\u0003')).toEqual([
      { text: 'Build ', match: false },
      { text: 'slides', match: true },
      { text: ' from an <b>outline</b> ', match: false },
      { text: 'deck', match: true },
    ]);
    expect(toSnippetParts('unclosed \u0002mark')).toEqual([{ text: 'unclosed mark', match: false }]);
  });

  it('turns a name into the slug the exact-name rule compares', () => {
    expect(slugOf('  PPTX Quality Gates! ')).toBe('pptx-quality-gates');
  });
});
