import { safeParseInput, skillCategories, skillCategoryLabels, searchSkillsInput, type SearchSkillsResult } from '@everyskill/contracts';
import { isAppError } from '@everyskill/core';
import { searchSkills } from '@everyskill/core/search/search-skills';
import { CloudOffIcon, SearchIcon, SearchXIcon } from '@/components/ui/icons';
import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { EmptyState } from '@/components/empty-state';
import { buttonVariants } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { memberCtx, requireMember } from '@/server/session';
import { SearchResultItem } from './_components/search-result-item';

export const metadata: Metadata = { title: 'Search' };

type Params = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** Search results: hybrid ranking, highlighted snippets, filters, and a notice when only keywords ranked them. */
export default async function SearchPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const raw = { q: first(params.q), category: first(params.category), tag: first(params.tag), offset: first(params.offset) };
  const returnTo = `/search?${new URLSearchParams(Object.entries(raw).filter((e): e is [string, string] => !!e[1]))}`;
  const member = await requireMember(returnTo);
  const parsed = safeParseInput(searchSkillsInput, raw);

  let result: SearchSkillsResult | null = null;
  let problem: string | null = null;
  if (parsed.success) {
    try {
      result = await searchSkills(await memberCtx(member), parsed.data, { source: 'portal' });
    } catch (error) {
      if (!isAppError(error)) throw error;
      problem = error.message;
    }
  } else if (raw.q) {
    problem = parsed.issues[0]?.message ?? 'that search could not be read';
  }
  const q = raw.q ?? '';
  const pageLink = (offset: number) =>
    `/search?${new URLSearchParams({ q, ...(raw.category ? { category: raw.category } : {}), ...(raw.tag ? { tag: raw.tag } : {}), ...(offset ? { offset: String(offset) } : {}) })}`;
  const offset = parsed.success ? parsed.data.offset : 0;
  const limit = parsed.success ? parsed.data.limit : 20;

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">{q ? `Results for “${q}”` : 'Search skills'}</h1>
      <form action="/search" method="get" role="search" className="flex flex-col gap-2 sm:flex-row sm:items-end" aria-label="Search skills">
        <label className="flex flex-1 flex-col gap-1 text-sm font-medium">
          What do you need to do?
          <Input name="q" type="search" defaultValue={q} placeholder="turn my outline into slides" maxLength={200} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Category
          <select
            name="category"
            defaultValue={raw.category ?? ''}
            className="h-9 rounded-md border bg-background px-2 text-sm"
          >
            <option value="">Any</option>
            {skillCategories.map((c) => (
              <option key={c} value={c}>
                {skillCategoryLabels[c]}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Tag
          <Input name="tag" defaultValue={raw.tag ?? ''} placeholder="pdf" className="sm:w-32" maxLength={32} />
        </label>
        <button type="submit" className={buttonVariants()}>
          <SearchIcon aria-hidden /> Search
        </button>
      </form>

      {problem ? (
        <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/5 px-3 py-2 text-sm">
          {problem}
        </p>
      ) : null}

      {result?.degraded ? (
        <p role="status" data-testid="search-degraded" className="flex items-start gap-2 rounded-md border bg-muted px-3 py-2 text-sm">
          <CloudOffIcon className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span>
            These results match your words only: meaning-based search is unavailable right now ({result.degradedReason}).
          </span>
        </p>
      ) : null}

      {result && result.items.length === 0 ? (
        <EmptyState icon={SearchXIcon} title={`No skills match “${q}”`}>
          Try other words, fewer filters, or describe the task instead of naming a tool.
        </EmptyState>
      ) : null}

      {result && result.items.length > 0 ? (
        <section aria-label="Search results" className="flex flex-col gap-3">
          <ol className="flex flex-col gap-3" data-testid="search-results">
            {result.items.map((hit) => (
              <SearchResultItem key={hit.skill.id} hit={hit} queryId={result.queryId} />
            ))}
          </ol>
          <nav aria-label="Result pages" className="flex justify-between text-sm">
            {offset > 0 ? (
              <Link href={pageLink(Math.max(0, offset - limit))} className={buttonVariants({ variant: 'outline', size: 'sm' })}>
                Previous
              </Link>
            ) : (
              <span />
            )}
            {result.hasMore ? (
              <Link href={pageLink(offset + limit)} className={buttonVariants({ variant: 'outline', size: 'sm' })}>
                More results
              </Link>
            ) : null}
          </nav>
        </section>
      ) : null}
    </div>
  );
}
