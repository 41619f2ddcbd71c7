import { skillCategoryLabels } from '@everyskill/contracts';
import { getUsageAnalytics } from '@everyskill/core/analytics/get-usage-analytics';
import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { UsageChart } from '@/components/skills/usage-chart';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { getAdminCtx } from '@/server/session';

export const metadata: Metadata = { title: 'Usage' };

const PERIODS = [7, 30, 90] as const;

/** Installs and uses over time: the whole workspace, its most used skills, and each category. */
export default async function UsageAdminPage({ searchParams }: { searchParams: Promise<{ days?: string }> }) {
  const ctx = await getAdminCtx('/admin/usage');
  if (!ctx) return null; // the admin layout explains
  const requested = Number((await searchParams).days);
  const days = PERIODS.find((p) => p === requested) ?? 30;
  const stats = await getUsageAnalytics(ctx, { days });

  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-3xl font-bold tracking-tight">Usage</h1>
      <nav aria-label="Period" className="flex gap-3 text-sm">
        {PERIODS.map((p) => (
          <Link key={p} href={`/admin/usage?days=${p}`} aria-current={p === days ? 'page' : undefined} className="underline-offset-4 hover:underline aria-[current=page]:font-semibold">
            Last {p} days
          </Link>
        ))}
      </nav>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Installs and uses</CardTitle>
          <CardDescription>Installs are downloads and agent fetches; uses are what agents report. Days are UTC.</CardDescription>
        </CardHeader>
        <CardContent>
          <UsageChart days={stats.perDay} label="Installs and uses in the workspace" testId="workspace-usage-chart" />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Most used skills</CardTitle>
        </CardHeader>
        <CardContent>
          {stats.topSkills.length === 0 ? (
            <p className="text-sm text-muted-foreground">No installs or uses in this period.</p>
          ) : (
            <ul className="grid gap-6 sm:grid-cols-2" data-testid="skill-usage-charts">
              {stats.topSkills.map((skill) => (
                <li key={skill.slug} className="flex min-w-0 flex-col gap-2">
                  <h3 className="truncate text-sm font-medium">
                    {skill.deleted ? (
                      `${skill.name} (deleted)`
                    ) : (
                      <Link href={`/skills/${skill.slug}`} className="underline-offset-4 hover:underline">
                        {skill.name}
                      </Link>
                    )}
                  </h3>
                  <UsageChart days={skill.perDay} label={`Installs and uses of ${skill.name}`} compact testId={`usage-${skill.slug}`} />
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">By category</CardTitle>
          <CardDescription>Skills grouped by the category their authors gave them.</CardDescription>
        </CardHeader>
        <CardContent>
          {stats.categories.length === 0 ? (
            <p className="text-sm text-muted-foreground">No installs or uses in this period.</p>
          ) : (
            <ul className="grid gap-6 sm:grid-cols-2" data-testid="category-usage-charts">
              {stats.categories.map((c) => (
                <li key={c.category} className="flex min-w-0 flex-col gap-2">
                  <h3 className="text-sm font-medium">{skillCategoryLabels[c.category]}</h3>
                  <UsageChart days={c.perDay} label={`Installs and uses of ${skillCategoryLabels[c.category]} skills`} compact testId={`usage-category-${c.category}`} />
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
