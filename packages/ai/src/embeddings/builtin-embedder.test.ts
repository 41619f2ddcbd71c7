import { describe, expect, it } from 'vitest';
import { BUILTIN_DIMENSIONS, createBuiltinEmbedder, embedOffline, tokenize } from './builtin-embedder';

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('offline built-in embedder', () => {
  it('is deterministic, unit length and of fixed dimension', async () => {
    const embedder = createBuiltinEmbedder();
    const [a, b] = await embedder.embed(['Build a slide deck', 'Build a slide deck']);
    expect(a).toHaveLength(BUILTIN_DIMENSIONS);
    expect(a).toEqual(b);
    expect(Math.sqrt(cosine(a!, a!))).toBeCloseTo(1, 10);
    // Stable across releases of the code: stored vectors must stay comparable with new queries.
    expect(a!.slice(0, 1).map((x) => Math.round(x * 1e6))).toEqual([Math.round(embedOffline('Build a slide deck')[0]! * 1e6)]);
  });

  it('relates words of the same concept that share no letters', () => {
    const query = embedOffline('turn my outline into slides');
    const deck = embedOffline('deck builder: Builds PowerPoint presentations from a brief');
    const sheet = embedOffline('formula audit: Finds broken formulas in Excel workbooks');
    expect(cosine(query, deck)).toBeGreaterThan(0.2);
    expect(cosine(query, deck)).toBeGreaterThan(cosine(query, sheet) + 0.15);
  });

  it('survives a typo through character trigrams', () => {
    const right = embedOffline('presentation');
    expect(cosine(embedOffline('presentaton'), right)).toBeGreaterThan(0.2);
    expect(cosine(embedOffline('kubernetes'), right)).toBeLessThan(0.05);
  });

  it('weighs the summary line above the body', () => {
    const doc = embedOffline('pdf merger: merge pdf files\n\nAlso mentions spreadsheets once.');
    expect(cosine(embedOffline('merge pdf'), doc)).toBeGreaterThan(cosine(embedOffline('spreadsheets'), doc));
  });

  it('splits camelCase and kebab-case and drops stop words', () => {
    expect(tokenize('The pptxQualityGates and code-review').map((t) => t.surface)).toEqual([
      'pptx',
      'quality',
      'gates',
      'code',
      'review',
    ]);
  });
});
