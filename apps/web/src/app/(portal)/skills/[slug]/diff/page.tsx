import { isAppError } from '@everyskill/core';
import { diffSkillVersions } from '@everyskill/core/skills/diff-skill-versions';
import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { DiffView } from '@/components/reviews/diff-view';
import { Badge } from '@/components/ui/badge';
import { withBlobs } from '@/server/api/skills-ctx';
import { memberCtx, requireMember } from '@/server/session';

export const metadata: Metadata = { title: 'Compare versions' };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** What changed between two versions of a skill (or a variation and its original): SKILL.md and every file. */
export default async function SkillDiffPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const query = await searchParams;
  const input = { slug, from: first(query.from) ?? '', to: first(query.to) ?? '', fromSlug: first(query.fromSlug) };
  const member = await requireMember(`/skills/${slug}/diff?${new URLSearchParams(Object.entries(input).filter((e): e is [string, string] => !!e[1]))}`);
  let problem: string | null = null;
  let diff: Awaited<ReturnType<typeof diffSkillVersions>> | null = null;
  try {
    diff = await diffSkillVersions(withBlobs(await memberCtx(member)), input);
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="flex flex-col gap-4">
      <Link href={`/skills/${slug}`} className="text-sm text-muted-foreground underline-offset-4 hover:underline">
        ← {slug}
      </Link>
      <h1 className="text-3xl font-bold tracking-tight">
        {diff ? `${diff.from.slug === slug ? '' : `${diff.from.slug} `}${diff.from.version} → ${diff.to.version}` : 'Compare versions'}
      </h1>
      {problem ? (
        <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/5 px-3 py-2 text-sm">
          {problem}
        </p>
      ) : null}
      {diff ? (
        <>
          <p className="text-sm text-muted-foreground" data-testid="diff-summary">
            <span className="text-green-700 dark:text-green-300">+{diff.additions}</span>{' '}
            <span className="text-red-700 dark:text-red-300">−{diff.deletions}</span> lines ·{' '}
            {diff.files.filter((f) => f.change !== 'unchanged').length} file(s) changed
          </p>
          <section aria-labelledby="skill-md-diff" className="flex flex-col gap-2">
            <h2 id="skill-md-diff" className="text-lg font-semibold">
              SKILL.md
            </h2>
            {diff.skillMd ? <DiffView diff={diff.skillMd} label="SKILL.md changes" testId="skill-md-diff" /> : <p className="text-sm text-muted-foreground">No changes.</p>}
          </section>
          <section aria-labelledby="files-diff" className="flex flex-col gap-3">
            <h2 id="files-diff" className="text-lg font-semibold">
              Files
            </h2>
            <ul className="flex flex-col gap-3">
              {diff.files
                .filter((f) => f.path !== 'SKILL.md')
                .map((f) => (
                  <li key={f.path} className="flex flex-col gap-1" data-testid={`file-change-${f.path}`}>
                    <span className="flex items-center gap-2 text-sm">
                      <code>{f.path}</code>
                      <Badge variant={f.change === 'unchanged' ? 'outline' : 'secondary'}>{f.change}</Badge>
                    </span>
                    {f.diff ? <DiffView diff={f.diff} label={`${f.path} changes`} /> : null}
                  </li>
                ))}
            </ul>
          </section>
        </>
      ) : null}
    </div>
  );
}
