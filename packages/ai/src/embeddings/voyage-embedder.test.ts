import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVoyageStandIn, type StandIn } from '../testing/embedding-stand-ins';
import { embedOffline } from './builtin-embedder';
import { createVoyageEmbedder } from './voyage-embedder';

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

let voyage: StandIn;
beforeAll(async () => {
  voyage = await startVoyageStandIn({ apiKey: 'pa-test' });
});
afterAll(async () => {
  await voyage?.close();
});

describe('Voyage embedder (HTTP API against a local /v1/embeddings)', () => {
  it('sends the key, model, input type and dimension, and puts answers back in input order', async () => {
    voyage.requests.length = 0;
    const embedder = createVoyageEmbedder({ apiKey: 'pa-test', baseUrl: `${voyage.url}/v1` });
    expect(embedder).toMatchObject({ provider: 'voyage', model: 'voyage-3.5-lite', dimensions: 1024 });
    const vectors = await embedder.embed(['first text', 'second text'], { purpose: 'query' });
    expect(vectors.map((v) => v.length)).toEqual([1024, 1024]);
    // The stand-in answers in reverse order; the client must follow `index`.
    expect(cosine(vectors[0]!, embedOffline('first text', 1024))).toBeCloseTo(1, 9);
    expect(cosine(vectors[1]!, embedOffline('second text', 1024))).toBeCloseTo(1, 9);
    expect(voyage.requests[0]!.headers.authorization).toBe('Bearer pa-test');
    expect(voyage.requests[0]!.body).toMatchObject({
      input: ['first text', 'second text'],
      model: 'voyage-3.5-lite',
      input_type: 'query',
      output_dimension: 1024,
      truncation: true,
    });
  });

  it('splits large batches into several requests', async () => {
    voyage.requests.length = 0;
    const embedder = createVoyageEmbedder({ apiKey: 'pa-test', baseUrl: `${voyage.url}/v1`, dimensions: 256 });
    const texts = Array.from({ length: 300 }, (_, i) => `text number ${i}`);
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(300);
    expect(cosine(vectors[299]!, embedOffline('text number 299', 256))).toBeCloseTo(1, 9);
    expect(voyage.requests.map((r) => (r.body.input as string[]).length)).toEqual([128, 128, 44]);
  });

  it('reports a wrong key as rejected with the API message', async () => {
    const embedder = createVoyageEmbedder({ apiKey: 'wrong', baseUrl: `${voyage.url}/v1` });
    await expect(embedder.embed(['x'])).rejects.toMatchObject({
      reason: 'rejected',
      message: expect.stringMatching(/HTTP 401.*API key is invalid/),
    });
  });

  it('gives up when aborted, and reports an unreachable server', async () => {
    voyage.delayMs = 2_000;
    try {
      const embedder = createVoyageEmbedder({ apiKey: 'pa-test', baseUrl: `${voyage.url}/v1` });
      await expect(embedder.embed(['x'], { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ reason: 'timeout' });
    } finally {
      voyage.delayMs = 0;
    }
    const nowhere = createVoyageEmbedder({ apiKey: 'pa-test', baseUrl: 'http://127.0.0.1:9/v1' });
    await expect(nowhere.embed(['x'])).rejects.toMatchObject({ reason: 'unreachable' });
  });
});
