import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOllamaStandIn, type StandIn } from '../testing/embedding-stand-ins';
import { EmbeddingError } from './embedding-provider';
import { createOllamaEmbedder } from './ollama-embedder';

let ollama: StandIn;
beforeAll(async () => {
  ollama = await startOllamaStandIn();
});
afterAll(async () => {
  await ollama?.close();
});

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('Ollama embedder (real ollama client against a local /api/embed)', () => {
  it('embeds a batch in one call with nomic task prefixes, as unit vectors of 768 dimensions', async () => {
    ollama.requests.length = 0;
    const embedder = createOllamaEmbedder({ host: ollama.url });
    expect(embedder).toMatchObject({ provider: 'ollama', model: 'nomic-embed-text', dimensions: 768 });
    const vectors = await embedder.embed(['make slides', 'audit a spreadsheet'], { purpose: 'document' });
    expect(vectors).toHaveLength(2);
    for (const v of vectors) {
      expect(v).toHaveLength(768);
      expect(norm(v)).toBeCloseTo(1, 6);
    }
    expect(ollama.requests).toHaveLength(1);
    expect(ollama.requests[0]!.body).toMatchObject({
      model: 'nomic-embed-text',
      input: ['search_document: make slides', 'search_document: audit a spreadsheet'],
    });
    await embedder.embed(['slides'], { purpose: 'query' });
    expect(ollama.requests[1]!.body.input).toEqual(['search_query: slides']);
    expect(String(ollama.requests[1]!.headers['user-agent'])).toMatch(/^ollama-js\//);
  });

  it('reports a model the server does not have as rejected, with its message', async () => {
    const embedder = createOllamaEmbedder({ host: ollama.url, model: 'all-minilm' });
    const error = await embedder.embed(['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingError);
    expect((error as EmbeddingError).reason).toBe('rejected');
    expect((error as EmbeddingError).message).toMatch(/404.*not found, try pulling it first/);
  });

  it('refuses vectors of the wrong dimension', async () => {
    const embedder = createOllamaEmbedder({ host: ollama.url, dimensions: 1024 });
    await expect(embedder.embed(['x'])).rejects.toMatchObject({ reason: 'bad_response' });
  });

  it('gives up when aborted, and reports an unreachable server', async () => {
    ollama.delayMs = 2_000;
    try {
      const embedder = createOllamaEmbedder({ host: ollama.url });
      const started = Date.now();
      await expect(embedder.embed(['x'], { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ reason: 'timeout' });
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      ollama.delayMs = 0;
    }
    const nowhere = createOllamaEmbedder({ host: 'http://127.0.0.1:9' });
    await expect(nowhere.embed(['x'])).rejects.toMatchObject({ reason: 'unreachable' });
  });
});
