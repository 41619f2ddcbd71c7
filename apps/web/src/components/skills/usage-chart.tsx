import type { SkillUsageDay } from '@everyskill/contracts';
import { TimeBarChart } from '@/components/charts/time-bar-chart';

/** Installs and uses per day as stacked bars (rendered on the server), with a text summary for screen readers. */
export function UsageChart({ days, label = 'Installs and uses', compact = false, testId = 'usage-chart' }: { days: SkillUsageDay[]; label?: string; compact?: boolean; testId?: string }) {
  return (
    <TimeBarChart
      label={label}
      testId={testId}
      compact={compact}
      dates={days.map((d) => d.date)}
      series={[
        { name: 'uses', values: days.map((d) => d.uses), fill: 'fill-primary/70', swatch: 'bg-primary/70' },
        { name: 'installs', values: days.map((d) => d.installs), fill: 'fill-sky-600', swatch: 'bg-sky-600' },
      ]}
    />
  );
}
