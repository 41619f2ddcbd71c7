import type { SkillUsageDay } from '@everyskill/contracts';

/** Installs and uses per day for the last 30 days as stacked SVG bars, with a text summary for screen readers. */
export function UsageChart({ days }: { days: SkillUsageDay[] }) {
  const max = Math.max(1, ...days.map((d) => d.installs + d.uses));
  const totals = days.reduce((t, d) => ({ installs: t.installs + d.installs, uses: t.uses + d.uses }), { installs: 0, uses: 0 });
  const width = 300;
  const height = 80;
  const bar = width / Math.max(1, days.length);
  return (
    <figure className="flex flex-col gap-2" data-testid="usage-chart">
      <svg viewBox={`0 0 ${width} ${height}`} className="h-24 w-full" role="img" aria-label={`Last ${days.length} days: ${totals.installs} installs, ${totals.uses} uses`}>
        {days.map((day, i) => {
          const installH = (day.installs / max) * (height - 4);
          const useH = (day.uses / max) * (height - 4);
          return (
            <g key={day.date}>
              <title>{`${day.date}: ${day.installs} installs, ${day.uses} uses`}</title>
              <rect x={i * bar + 1} y={height - useH} width={bar - 2} height={useH} className="fill-primary/70" />
              <rect x={i * bar + 1} y={height - useH - installH} width={bar - 2} height={installH} className="fill-sky-500/70" />
              <rect x={i * bar} y={0} width={bar} height={height} fill="transparent" />
            </g>
          );
        })}
        <line x1={0} y1={height - 0.5} x2={width} y2={height - 0.5} className="stroke-border" />
      </svg>
      <figcaption className="flex gap-4 text-xs text-muted-foreground">
        <span className="flex items-center gap-1">
          <span className="inline-block size-2 bg-sky-500/70" aria-hidden /> {totals.installs} installs
        </span>
        <span className="flex items-center gap-1">
          <span className="inline-block size-2 bg-primary/70" aria-hidden /> {totals.uses} uses
        </span>
        <span>last {days.length} days</span>
      </figcaption>
    </figure>
  );
}
