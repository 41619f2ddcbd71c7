import type { BenchmarkResult } from '@everyskill/db';

export interface ModelSummary {
  model: string;
  /** Mean judge score (0-100) of the answers with and without the skill; null before any answer. */
  withSkill: number | null;
  withoutSkill: number | null;
  /** withSkill − withoutSkill. */
  uplift: number | null;
  /** Mean cost in USD of one task run with the skill (null when unpriced or not run yet). */
  costPerTaskWithSkill: number | null;
  costPerTaskWithoutSkill: number | null;
  meanLatencyMs: number | null;
  tokens: number;
}

export interface BenchmarkSummary {
  models: ModelSummary[];
  /** Highest mean score with the skill. */
  bestModel: string | null;
  /** Lowest cost per task with the skill, among priced models. */
  cheapestModel: string | null;
  totalCostUsd: number | null;
  judgeCostUsd: number | null;
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const round = (value: number | null, digits: number) => (value === null ? null : Number(value.toFixed(digits)));

/** Per-model means and the best and cheapest model, from a run's graded answers. */
export function summariseBenchmark(models: string[], results: Pick<BenchmarkResult, 'model' | 'withSkill' | 'score' | 'costUsd' | 'judgeCostUsd' | 'latencyMs' | 'inputTokens' | 'outputTokens'>[]): BenchmarkSummary {
  const summaries = models.map((model): ModelSummary => {
    const mine = results.filter((r) => r.model === model);
    const withSkill = mine.filter((r) => r.withSkill);
    const without = mine.filter((r) => !r.withSkill);
    const priced = (rows: typeof mine) => (rows.length && rows.every((r) => r.costUsd !== null) ? mean(rows.map((r) => Number(r.costUsd))) : null);
    const scoreWith = mean(withSkill.map((r) => r.score));
    const scoreWithout = mean(without.map((r) => r.score));
    return {
      model,
      withSkill: round(scoreWith, 1),
      withoutSkill: round(scoreWithout, 1),
      uplift: scoreWith !== null && scoreWithout !== null ? round(scoreWith - scoreWithout, 1) : null,
      costPerTaskWithSkill: round(priced(withSkill), 6),
      costPerTaskWithoutSkill: round(priced(without), 6),
      meanLatencyMs: round(mean(mine.map((r) => r.latencyMs)), 0),
      tokens: mine.reduce((sum, r) => sum + r.inputTokens + r.outputTokens, 0),
    };
  });
  const scored = summaries.filter((s) => s.withSkill !== null);
  const best = [...scored].sort((a, b) => b.withSkill! - a.withSkill! || a.model.localeCompare(b.model))[0];
  const priced = summaries.filter((s) => s.costPerTaskWithSkill !== null);
  const cheapest = [...priced].sort((a, b) => a.costPerTaskWithSkill! - b.costPerTaskWithSkill! || a.model.localeCompare(b.model))[0];
  const total = results.every((r) => r.costUsd !== null) ? results.reduce((sum, r) => sum + Number(r.costUsd), 0) : null;
  const judge = results.every((r) => r.judgeCostUsd !== null) ? results.reduce((sum, r) => sum + Number(r.judgeCostUsd), 0) : null;
  return {
    models: summaries,
    bestModel: best?.model ?? null,
    cheapestModel: cheapest?.model ?? null,
    totalCostUsd: round(total, 6),
    judgeCostUsd: round(judge, 6),
  };
}
