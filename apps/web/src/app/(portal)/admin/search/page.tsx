import type { SearchQueryStat } from '@everyskill/contracts';
import { getSearchAnalytics } from '@everyskill/core/search/get-search-analytics';
import { getEmbeddingStatus } from '@everyskill/core/search/reembed-all-skills';
import { getSearchRuntime } from '@everyskill/core/search/search-runtime';
import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { TimeBarChart } from '@/components/charts/time-bar-chart';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { getAdminCtx } from '@/server/session';
import { reembedAllAction } from './actions';
import { ReembedButton } from './_components/reembed-button';

export const metadata: Metadata = { title: 'Search' };

const PERIODS = [7, 30, 90] as const;
const percent = (x: number) => `${Math.round(x * 100)}%`;

function QueryTable({ caption, rows, empty }: { caption: string; rows: SearchQueryStat[]; empty: string }) {
  if (rows.length === 0) return <p className="text-sm text-muted-foreground">{empty}</p>;
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-muted-foreground">
        <tr>
          <th scope="col" className="py-1 font-medium">Query</th>
          <th scope="col" className="py-1 text-right font-medium">Searches</th>
          <th scope="col" className="py-1 text-right font-medium">With a click</th>
          <th scope="col" className="py-1 text-right font-medium">Avg. results</th>
        </tr>
      </thead>
      <tbody className="divide-y">
        {rows.map((r) => (
          <tr key={r.query}>
            <td className="py-1 break-all">{r.query}</td>
            <td className="py-1 text-right tabular-nums">{r.searches}</td>
            <td className="py-1 text-right tabular-nums">{r.clicks}</td>
            <td className="py-1 text-right tabular-nums">{r.avgResults}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What people search for, whether they find it, and the state of the semantic index. */
export default async function SearchAdminPage({ searchParams }: { searchParams: Promise<{ days?: string }> }) {
  const ctx = await getAdminCtx('/admin/search');
  if (!ctx) return null; // the admin layout explains
  const requested = Number((await searchParams).days);
  const days = PERIODS.find((p) => p === requested) ?? 30;
  const [stats, index] = await Promise.all([getSearchAnalytics(ctx, { days }), getEmbeddingStatus(ctx, getSearchRuntime())]);
  const run = index.run;
  const running = run?.status === 'queued' || run?.status === 'running';

  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-3xl font-bold tracking-tight">Search</h1>
      <nav aria-label="Period" className="flex gap-3 text-sm">
        {PERIODS.map((p) => (
          <Link key={p} href={`/admin/search?days=${p}`} aria-current={p === days ? 'page' : undefined} className="underline-offset-4 hover:underline aria-[current=page]:font-semibold">
            Last {p} days
          </Link>
        ))}
      </nav>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Searches</CardTitle>
          <CardDescription>Queries are stored without who asked, with addresses and key-like text masked.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-6">
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="search-stats">
            <div>
              <dt className="text-sm text-muted-foreground">Searches</dt>
              <dd className="text-2xl font-semibold tabular-nums">{stats.searches}</dd>
            </div>
            <div>
              <dt className="text-sm text-muted-foreground">Click-through</dt>
              <dd className="text-2xl font-semibold tabular-nums">{percent(stats.clickThroughRate)}</dd>
            </div>
            <div>
              <dt className="text-sm text-muted-foreground">No results</dt>
              <dd className="text-2xl font-semibold tabular-nums">{stats.zeroResultSearches}</dd>
            </div>
            <div>
              <dt className="text-sm text-muted-foreground">Keywords only (embedder down)</dt>
              <dd className="text-2xl font-semibold tabular-nums">{stats.degradedSearches}</dd>
            </div>
          </dl>
          <TimeBarChart
            label="Searches per day"
            testId="searches-chart"
            dates={stats.perDay.map((d) => d.date)}
            series={[
              { name: 'with a click', values: stats.perDay.map((d) => d.withClick), fill: 'fill-sky-600', swatch: 'bg-sky-600' },
              { name: 'without a click', values: stats.perDay.map((d) => Math.max(0, d.searches - d.withClick - d.zeroResults)), fill: 'fill-primary/60', swatch: 'bg-primary/60' },
              { name: 'with no results', values: stats.perDay.map((d) => d.zeroResults), fill: 'fill-amber-500', swatch: 'bg-amber-500' },
            ]}
          />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Top queries</CardTitle>
        </CardHeader>
        <CardContent>
          <QueryTable caption="Top queries" rows={stats.topQueries} empty="Nobody has searched in this period." />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Queries with no results</CardTitle>
          <CardDescription>What people looked for and did not find: skills worth writing, or words worth adding.</CardDescription>
        </CardHeader>
        <CardContent>
          <QueryTable caption="Queries with no results" rows={stats.zeroResultQueries} empty="Every search found something." />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Semantic index</CardTitle>
          <CardDescription>
            Embeddings by {index.provider} <code>{index.model}</code> ({index.dimensions} dimensions).
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3 text-sm">
          <p data-testid="embedding-status">
            {index.current} of {index.skills} skills are embedded with this model
            {index.stale > 0 ? `; ${index.stale} only with another model (the model changed)` : ''}
            {index.missing > 0 ? `; ${index.missing} not yet` : ''}.
          </p>
          {index.stale > 0 ? (
            <p role="status">The embedding model changed: re-embed all skills so meaning-based search finds them again.</p>
          ) : null}
          {run ? (
            <p data-testid="reembed-run">
              Last re-embed: {run.status}, {run.done} of {run.total} done
              {run.failed > 0 ? `, ${run.failed} failed` : ''}
              {run.lastError ? ` — ${run.lastError}` : ''}.
            </p>
          ) : null}
          <ReembedButton action={reembedAllAction} disabled={running} />
        </CardContent>
      </Card>
    </div>
  );
}
