import { describe, expect, it } from 'vitest';
import { summariseBenchmark } from './benchmark-summary';

const cell = (model: string, withSkill: boolean, score: number, costUsd: number | null) => ({
  model,
  withSkill,
  score,
  costUsd,
  judgeCostUsd: 0.001,
  latencyMs: 1000,
  inputTokens: 100,
  outputTokens: 50,
});

describe('summariseBenchmark', () => {
  it('averages per model, and names the best (by score with the skill) and the cheapest (by cost with the skill)', () => {
    const summary = summariseBenchmark(
      ['small', 'large'],
      [
        cell('small', false, 40, 0.001),
        cell('small', true, 70, 0.002),
        cell('small', true, 80, 0.004),
        cell('large', false, 60, 0.01),
        cell('large', true, 90, 0.02),
      ],
    );
    expect(summary.models).toEqual([
      expect.objectContaining({ model: 'small', withSkill: 75, withoutSkill: 40, uplift: 35, costPerTaskWithSkill: 0.003, tokens: 450 }),
      expect.objectContaining({ model: 'large', withSkill: 90, withoutSkill: 60, uplift: 30, costPerTaskWithSkill: 0.02 }),
    ]);
    expect(summary).toMatchObject({ bestModel: 'large', cheapestModel: 'small', totalCostUsd: 0.037, judgeCostUsd: 0.005 });
  });

  it('leaves costs unknown for an unpriced model and scores empty before any answer', () => {
    const summary = summariseBenchmark(['priced', 'unpriced', 'idle'], [cell('priced', true, 50, 0.01), cell('unpriced', true, 99, null)]);
    expect(summary.models[1]).toMatchObject({ costPerTaskWithSkill: null, withSkill: 99 });
    expect(summary.models[2]).toMatchObject({ withSkill: null, withoutSkill: null, uplift: null, tokens: 0 });
    expect(summary).toMatchObject({ bestModel: 'unpriced', cheapestModel: 'priced', totalCostUsd: null });
  });
});
