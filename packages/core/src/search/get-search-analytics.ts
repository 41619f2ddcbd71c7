import { searchAnalyticsInput, type SearchAnalytics, type SearchAnalyticsInput, type SearchQueryStat } from '@everyskill/contracts';
import { rowsOf, sql, withTenant } from '@everyskill/db';
import type { Ctx } from '../context';
import { utcDaysBack } from '../analytics/utc-days';
import { requireAdmin } from '../members/require-admin';
import { parseInput } from '../parse-input';

interface StatRow {
  query: string;
  searches: number;
  clicks: number;
  avg_results: number;
}

const toStat = (r: StatRow): SearchQueryStat => ({
  query: r.query,
  searches: Number(r.searches),
  clicks: Number(r.clicks),
  avgResults: Math.round(Number(r.avg_results) * 10) / 10,
});

/** What people searched for over the last days: volume, click-through, top and zero-result queries; admins only. */
export async function getSearchAnalytics(ctx: Ctx, input: SearchAnalyticsInput = {}): Promise<SearchAnalytics> {
  const { days } = parseInput(searchAnalyticsInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, 'see search analytics');
    const since = sql`now() - make_interval(days => ${days})`;
    const [totals] = rowsOf<{ searches: number; with_click: number; zero: number; degraded: number }>(
      await tx.execute(sql`
        SELECT count(*)::int AS searches,
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM search_clicks c WHERE c.query_id = q.id))::int AS with_click,
               count(*) FILTER (WHERE q.result_count = 0)::int AS zero,
               count(*) FILTER (WHERE q.degraded)::int AS degraded
        FROM search_queries q
        WHERE q.created_at >= ${since}`),
    );
    const grouped = (where: ReturnType<typeof sql>) =>
      tx.execute(sql`
        SELECT min(q.query) AS query, count(*)::int AS searches,
               count(c.query_id)::int AS clicks, avg(q.result_count)::float8 AS avg_results
        FROM search_queries q
        LEFT JOIN (SELECT DISTINCT query_id FROM search_clicks) c ON c.query_id = q.id
        WHERE q.created_at >= ${since} AND ${where}
        GROUP BY q.normalized
        ORDER BY searches DESC, min(q.query)
        LIMIT 20`);
    const daily = rowsOf<{ day: string; searches: number; zero: number; with_click: number }>(
      await tx.execute(sql`
        SELECT to_char(q.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS searches,
               count(*) FILTER (WHERE q.result_count = 0)::int AS zero,
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM search_clicks c WHERE c.query_id = q.id))::int AS with_click
        FROM search_queries q
        WHERE q.created_at >= (date_trunc('day', now() AT TIME ZONE 'UTC') - make_interval(days => ${days - 1})) AT TIME ZONE 'UTC'
        GROUP BY 1`),
    );
    const byDay = new Map(daily.map((r) => [r.day, r]));
    const top = rowsOf<StatRow>(await grouped(sql`true`));
    const zero = rowsOf<StatRow>(await grouped(sql`q.result_count = 0`));
    const searches = Number(totals?.searches ?? 0);
    const withClick = Number(totals?.with_click ?? 0);
    return {
      days,
      searches,
      searchesWithClick: withClick,
      clickThroughRate: searches === 0 ? 0 : withClick / searches,
      zeroResultSearches: Number(totals?.zero ?? 0),
      degradedSearches: Number(totals?.degraded ?? 0),
      topQueries: top.map(toStat),
      zeroResultQueries: zero.map(toStat),
      // Calendar days (the chart's bars) start at midnight UTC; the totals above cover the last days × 24 h.
      perDay: utcDaysBack(days).map((date) => {
        const row = byDay.get(date);
        return { date, searches: Number(row?.searches ?? 0), zeroResults: Number(row?.zero ?? 0), withClick: Number(row?.with_click ?? 0) };
      }),
    };
  });
}
