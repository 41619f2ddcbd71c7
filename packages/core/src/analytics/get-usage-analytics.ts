import { usageAnalyticsInput, type SkillCategory, type SkillUsageDay, type UsageAnalytics, type UsageAnalyticsInput, type UsageSeries } from '@everyskill/contracts';
import { rowsOf, sql, withTenant } from '@everyskill/db';
import type { Ctx } from '../context';
import { requireAdmin } from '../members/require-admin';
import { parseInput } from '../parse-input';
import { utcDaysBack } from './utc-days';

const TOP_SKILLS = 8;

interface EventRow {
  day: string;
  kind: 'install' | 'use';
  skill_id: string;
  slug: string;
  name: string;
  category: SkillCategory;
  deleted: boolean;
  n: number | string;
}

/** A running total per UTC day of the period. */
function emptySeries(dates: string[]): UsageSeries {
  return { installs: 0, uses: 0, perDay: dates.map((date): SkillUsageDay => ({ date, installs: 0, uses: 0 })) };
}

function add(series: UsageSeries, index: Map<string, number>, row: EventRow): void {
  const day = series.perDay[index.get(row.day) ?? -1];
  if (!day) return;
  const n = Number(row.n);
  if (row.kind === 'install') {
    day.installs += n;
    series.installs += n;
  } else {
    day.uses += n;
    series.uses += n;
  }
}

const byTotal = (a: UsageSeries, b: UsageSeries) => b.installs + b.uses - (a.installs + a.uses);

/** Installs and uses over the last days (UTC), in total, for the most used skills and by category; admins only. */
export async function getUsageAnalytics(ctx: Ctx, input: UsageAnalyticsInput = {}): Promise<UsageAnalytics> {
  const { days } = parseInput(usageAnalyticsInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, 'see usage analytics');
    const rows = rowsOf<EventRow>(
      await tx.execute(sql`
        SELECT to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, e.kind, e.skill_id,
               s.slug, s.name, s.category, (s.deleted_at IS NOT NULL) AS deleted, count(*)::int AS n
        FROM skill_usage_events e
        JOIN skills s ON s.id = e.skill_id
        WHERE e.created_at >= (date_trunc('day', now() AT TIME ZONE 'UTC') - make_interval(days => ${days - 1})) AT TIME ZONE 'UTC'
        GROUP BY 1, 2, 3, 4, 5, 6, 7`),
    );
    const dates = utcDaysBack(days);
    const index = new Map(dates.map((date, i) => [date, i]));
    const total = emptySeries(dates);
    const skills = new Map<string, UsageAnalytics['topSkills'][number]>();
    const categories = new Map<SkillCategory, UsageAnalytics['categories'][number]>();
    for (const row of rows) {
      add(total, index, row);
      let skill = skills.get(row.skill_id);
      if (!skill) skills.set(row.skill_id, (skill = { slug: row.slug, name: row.name, deleted: Boolean(row.deleted), ...emptySeries(dates) }));
      add(skill, index, row);
      let category = categories.get(row.category);
      if (!category) categories.set(row.category, (category = { category: row.category, ...emptySeries(dates) }));
      add(category, index, row);
    }
    return {
      days,
      ...total,
      topSkills: [...skills.values()].sort((a, b) => byTotal(a, b) || a.slug.localeCompare(b.slug)).slice(0, TOP_SKILLS),
      categories: [...categories.values()].sort((a, b) => byTotal(a, b) || a.category.localeCompare(b.category)),
    };
  });
}
