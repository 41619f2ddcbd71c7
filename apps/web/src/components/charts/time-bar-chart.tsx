/** One stacked series of a chart: its name, one value per day, and its colour (a Tailwind fill and background class). */
export interface ChartSeries {
  name: string;
  values: number[];
  fill: string;
  swatch: string;
}

const WIDTH = 300;
const HEIGHT = 80;

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * Values per day as stacked SVG bars, rendered on the server (no client JavaScript): the largest
 * day and the date range are labelled, each bar has a tooltip, the legend gives totals, and the
 * picture carries a text summary for screen readers.
 */
export function TimeBarChart({
  label,
  dates,
  series,
  testId,
  compact = false,
}: {
  label: string;
  dates: string[];
  series: ChartSeries[];
  testId?: string;
  compact?: boolean;
}) {
  const totals = dates.map((_, i) => sum(series.map((s) => s.values[i] ?? 0)));
  const max = Math.max(1, ...totals);
  const peak = totals.indexOf(Math.max(...totals));
  const bar = WIDTH / Math.max(1, dates.length);
  const summary =
    `${label}, ${dates.length} days: ` +
    series.map((s) => `${sum(s.values)} ${s.name}`).join(', ') +
    (totals[peak] ? `; most on ${dates[peak]} (${totals[peak]})` : '');
  return (
    <figure className="flex min-w-0 flex-col gap-1" data-testid={testId}>
      <div className="flex items-end gap-2">
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" className={`${compact ? 'h-16' : 'h-32'} w-full min-w-0`} role="img" aria-label={summary}>
          <line x1={0} y1={0.5} x2={WIDTH} y2={0.5} className="stroke-border" strokeDasharray="2 3" vectorEffect="non-scaling-stroke" />
          {dates.map((date, i) => {
            let top = HEIGHT;
            return (
              <g key={date}>
                <title>{`${date}: ${series.map((s) => `${s.values[i] ?? 0} ${s.name}`).join(', ')}`}</title>
                {series.map((s) => {
                  const h = ((s.values[i] ?? 0) / max) * HEIGHT;
                  top -= h;
                  return h > 0 ? <rect key={s.name} x={i * bar + bar * 0.1} y={top} width={bar * 0.8} height={h} className={s.fill} /> : null;
                })}
                <rect x={i * bar} y={0} width={bar} height={HEIGHT} fill="transparent" />
              </g>
            );
          })}
          <line x1={0} y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} className="stroke-border" vectorEffect="non-scaling-stroke" />
        </svg>
        <span className="w-8 shrink-0 self-start text-right text-xs text-muted-foreground tabular-nums" aria-hidden>
          {max}
        </span>
      </div>
      {compact ? null : (
        <div className="mr-10 flex justify-between text-xs text-muted-foreground tabular-nums" aria-hidden>
          <span>{dates[0]}</span>
          <span>{dates.at(-1)}</span>
        </div>
      )}
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground">
        {series.map((s) => (
          <span key={s.name} className="flex items-center gap-1">
            <span className={`inline-block size-2 ${s.swatch}`} aria-hidden /> {sum(s.values)} {s.name}
          </span>
        ))}
        {compact ? null : <span>last {dates.length} days</span>}
      </figcaption>
    </figure>
  );
}
