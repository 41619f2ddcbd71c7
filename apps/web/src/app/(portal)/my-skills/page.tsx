import { listSkillsInput, safeParseInput } from '@everyskill/contracts';
import { listSkills } from '@everyskill/core/skills/list-skills';
import { PackageOpenIcon, PlusIcon } from '@/components/ui/icons';
import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { EmptyState } from '@/components/empty-state';
import { SkillList } from '@/components/skills/skill-list';
import { buttonVariants } from '@/components/ui/button';
import { memberCtx, requireMember } from '@/server/session';

export const metadata: Metadata = { title: 'My skills' };

type Params = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** The skills the signed-in person published, private ones included. */
export default async function MySkillsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const member = await requireMember('/my-skills');
  const parsed = safeParseInput(listSkillsInput, { mine: true, sort: first(params.sort) ?? 'newest', page: first(params.page) });
  const result = await listSkills(await memberCtx(member), parsed.success ? parsed.data : { mine: true, sort: 'newest' });
  const deleted = first(params.deleted);
  return (
    <div className="flex flex-col gap-6">
      {deleted ? (
        <p role="status" className="rounded-md border bg-muted px-3 py-2 text-sm">
          Deleted {deleted}.
        </p>
      ) : null}
      <div className="flex items-end justify-between gap-4">
        <h1 className="text-3xl font-bold tracking-tight">My skills</h1>
        <Link href="/skills/new" className={buttonVariants()}>
          <PlusIcon aria-hidden /> Publish a skill
        </Link>
      </div>
      {result.items.length > 0 ? (
        <SkillList result={result} pageHref={(page) => (page > 1 ? `/my-skills?page=${page}` : '/my-skills')} />
      ) : (
        <EmptyState
          icon={PackageOpenIcon}
          title="You have not published a skill yet"
          action={
            <Link href="/skills/new" className={buttonVariants()}>
              Publish your first skill
            </Link>
          }
        >
          Upload a skill folder or write a SKILL.md; it shows here with its installs, uses and ratings.
        </EmptyState>
      )}
    </div>
  );
}
