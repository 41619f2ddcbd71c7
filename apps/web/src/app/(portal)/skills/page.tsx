import { listSkillsInput, safeParseInput, skillCategoryLabels, skillSortLabels, skillSorts } from '@everyskill/contracts';
import { listSkills } from '@everyskill/core/skills/list-skills';
import { LogInIcon, PackageOpenIcon, PlusIcon, SearchXIcon } from '@/components/ui/icons';
import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { EmptyState } from '@/components/empty-state';
import { SearchForm } from '@/components/layout/search-form';
import { SkillList } from '@/components/skills/skill-list';
import { buttonVariants } from '@/components/ui/button';
import { getSessionCheck, memberCtx, requireMember } from '@/server/session';

export const metadata: Metadata = { title: 'Skills', alternates: { canonical: '/skills' } };

type Params = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
const selectClass = 'h-9 rounded-md border bg-background px-2 text-sm';

/** Browse the workspace's skills: filter by category, tag and author, sort, page through. */
export default async function SkillsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const raw = {
    q: first(params.q),
    category: first(params.category),
    tag: first(params.tag),
    author: first(params.author),
    sort: first(params.sort),
    page: first(params.page),
  };
  const check = await getSessionCheck();
  // A deactivated person (or a switched-off workspace) is told why, not shown the signed-out page.
  const member = check && check.status !== 'unknown' ? await requireMember('/skills') : null;
  if (!member) {
    return (
      <div className="flex flex-col gap-6">
        <h1 className="text-3xl font-bold tracking-tight">Skills</h1>
        <EmptyState
          icon={LogInIcon}
          title="Sign in to see your company's skills"
          action={
            <Link href="/sign-in?callbackUrl=%2Fskills" className={buttonVariants()}>
              Sign in
            </Link>
          }
        >
          Skills are private to your company. Once you are signed in you can browse, install and publish them.
        </EmptyState>
      </div>
    );
  }

  // A hand-edited address with a bad filter shows everything rather than an error page.
  const parsed = safeParseInput(listSkillsInput, raw);
  const input = parsed.success ? parsed.data : listSkillsInput.parse({});
  const result = await listSkills(await memberCtx(member), input);
  const filtered = Boolean(input.q || input.category || input.tag || input.author);
  const href = (page: number) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...raw, sort: input.sort, page: page > 1 ? String(page) : undefined })) {
      if (value && !(key === 'sort' && value === 'most_used')) query.set(key, value);
    }
    const s = query.toString();
    return s ? `/skills?${s}` : '/skills';
  };

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <h1 className="text-3xl font-bold tracking-tight">Skills</h1>
        <div className="flex gap-2">
          <SearchForm id="skills-search" className="sm:w-72" />
          <Link href="/skills/new" className={buttonVariants()}>
            <PlusIcon aria-hidden /> Publish a skill
          </Link>
        </div>
      </div>

      <form method="get" action="/skills" aria-label="Filter skills" className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium">
          Category
          <select name="category" defaultValue={input.category ?? ''} className={selectClass}>
            <option value="">All categories</option>
            {result.facets.categories.map((c) => (
              <option key={c.category} value={c.category}>
                {skillCategoryLabels[c.category]} ({c.count})
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Tag
          <select name="tag" defaultValue={input.tag ?? ''} className={selectClass}>
            <option value="">All tags</option>
            {result.facets.tags.map((t) => (
              <option key={t.tag} value={t.tag}>
                {t.tag} ({t.count})
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Author
          <select name="author" defaultValue={input.author ?? ''} className={selectClass}>
            <option value="">Anyone</option>
            {result.facets.authors.map((a) => (
              <option key={a.author.id} value={a.author.id}>
                {a.author.name ?? a.author.email} ({a.count})
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Sort by
          <select name="sort" defaultValue={input.sort} className={selectClass}>
            {skillSorts.map((s) => (
              <option key={s} value={s}>
                {skillSortLabels[s]}
              </option>
            ))}
          </select>
        </label>
        {input.q ? <input type="hidden" name="q" value={input.q} /> : null}
        <button type="submit" className={buttonVariants({ variant: 'outline' })}>
          Apply
        </button>
        {filtered ? (
          <Link href="/skills" className="text-sm underline underline-offset-4">
            Clear filters
          </Link>
        ) : null}
      </form>

      {result.items.length > 0 ? (
        <SkillList result={result} pageHref={href} />
      ) : filtered ? (
        <EmptyState icon={SearchXIcon} title="No skills match these filters" action={<Link href="/skills" className={buttonVariants({ variant: 'outline' })}>Show all skills</Link>}>
          Try another category, tag or author.
        </EmptyState>
      ) : (
        <EmptyState
          icon={PackageOpenIcon}
          title="No skills yet"
          action={
            <Link href="/skills/new" className={buttonVariants()}>
              Publish the first skill
            </Link>
          }
        >
          Nobody in {member.tenant.name} has published a skill yet. Upload a skill folder or write a SKILL.md to start the catalogue.
        </EmptyState>
      )}
    </div>
  );
}
