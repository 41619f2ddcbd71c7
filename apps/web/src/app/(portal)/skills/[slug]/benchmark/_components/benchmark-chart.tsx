import type { ModelSummary } from '@everyskill/core/benchmarks/benchmark-summary';

const WIDTH = 560;
const ROW = 44;
const LABEL = 150;
const BAR = 14;

/**
 * Quality with and without the skill per model (0-100), as an inline SVG: two bars per model.
 * The table next to it carries the same numbers for screen readers.
 */
export function QualityChart({ models }: { models: ModelSummary[] }) {
  const height = models.length * ROW + 30;
  const x = (score: number) => LABEL + ((WIDTH - LABEL - 40) * score) / 100;
  return (
    <svg
      role="img"
      aria-labelledby="quality-chart-title"
      viewBox={`0 0 ${WIDTH} ${height}`}
      className="w-full max-w-2xl"
      data-testid="benchmark-chart"
    >
      <title id="quality-chart-title">Mean judge score with and without the skill, per model</title>
      {[0, 25, 50, 75, 100].map((tick) => (
        <g key={tick}>
          <line x1={x(tick)} x2={x(tick)} y1={0} y2={height - 24} className="stroke-border" strokeDasharray="2 3" />
          <text x={x(tick)} y={height - 8} textAnchor="middle" className="fill-muted-foreground text-[10px]">
            {tick}
          </text>
        </g>
      ))}
      {models.map((m, i) => {
        const y = i * ROW + 6;
        return (
          <g key={m.model} data-model={m.model}>
            <text x={LABEL - 8} y={y + BAR + 4} textAnchor="end" className="fill-foreground text-[11px]">
              {m.model}
            </text>
            <rect x={LABEL} y={y} height={BAR} width={Math.max(0, x(m.withoutSkill ?? 0) - LABEL)} className="fill-muted-foreground/40">
              <title>{`${m.model} without the skill: ${m.withoutSkill ?? '—'}`}</title>
            </rect>
            <rect x={LABEL} y={y + BAR + 2} height={BAR} width={Math.max(0, x(m.withSkill ?? 0) - LABEL)} className="fill-primary">
              <title>{`${m.model} with the skill: ${m.withSkill ?? '—'}`}</title>
            </rect>
            <text x={x(m.withoutSkill ?? 0) + 4} y={y + BAR - 3} className="fill-muted-foreground text-[10px]">
              {m.withoutSkill ?? '—'}
            </text>
            <text x={x(m.withSkill ?? 0) + 4} y={y + 2 * BAR - 1} className="fill-foreground text-[10px] font-medium">
              {m.withSkill ?? '—'}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Cost per task with the skill, per model, as bars scaled to the most expensive. */
export function CostChart({ models }: { models: ModelSummary[] }) {
  const priced = models.filter((m) => m.costPerTaskWithSkill !== null);
  if (priced.length === 0) return null;
  const max = Math.max(...priced.map((m) => m.costPerTaskWithSkill!), 1e-9);
  const height = priced.length * 26 + 8;
  return (
    <svg role="img" aria-labelledby="cost-chart-title" viewBox={`0 0 ${WIDTH} ${height}`} className="w-full max-w-2xl" data-testid="benchmark-cost-chart">
      <title id="cost-chart-title">Cost per task with the skill, per model</title>
      {priced.map((m, i) => {
        const width = ((WIDTH - LABEL - 90) * m.costPerTaskWithSkill!) / max;
        return (
          <g key={m.model}>
            <text x={LABEL - 8} y={i * 26 + 18} textAnchor="end" className="fill-foreground text-[11px]">
              {m.model}
            </text>
            <rect x={LABEL} y={i * 26 + 6} height={16} width={Math.max(1, width)} className="fill-primary/70" />
            <text x={LABEL + width + 6} y={i * 26 + 18} className="fill-muted-foreground text-[10px]">
              ${m.costPerTaskWithSkill!.toFixed(4)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
