import { isAppError } from '@everyskill/core';
import { getSkillFile } from '@everyskill/core/skills/get-skill-file';
import { getSkillVersion } from '@everyskill/core/skills/get-skill-version';
import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { notFound } from 'next/navigation';
import { CodeView } from '@/components/skills/code-view';
import { FileTree } from '@/components/skills/file-tree';
import { withBlobs } from '@/server/api/skills-ctx';
import { memberCtx, requireMember } from '@/server/session';

export const metadata: Metadata = { title: 'Files' };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** The file viewer: a version's file tree beside one file's text (shown escaped, lightly highlighted). */
export default async function SkillFilesPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const query = await searchParams;
  const path = first(query.path) ?? 'SKILL.md';
  const version = first(query.version);
  const member = await requireMember(`/skills/${slug}/files?path=${encodeURIComponent(path)}`);
  const ctx = withBlobs(await memberCtx(member));
  const found = await Promise.all([getSkillVersion(ctx, { slug, version }), getSkillFile(ctx, { slug, version, path })]).catch((error: unknown) => {
    if (isAppError(error) && (error.code === 'not_found' || error.code === 'invalid_input')) notFound();
    throw error;
  });
  const [{ version: detail }, file] = found;
  return (
    <div className="flex flex-col gap-4">
      <Link href={`/skills/${slug}`} className="text-sm text-muted-foreground underline-offset-4 hover:underline">
        ← {slug}
      </Link>
      <h1 className="text-2xl font-bold tracking-tight">
        {path} <span className="text-base font-normal text-muted-foreground">in {slug} {file.version}</span>
      </h1>
      <div className="grid gap-4 md:grid-cols-[16rem_minmax(0,1fr)]">
        <FileTree files={detail.files} current={path} hrefOf={(p) => `/skills/${slug}/files?path=${encodeURIComponent(p)}&version=${detail.version}`} />
        <div className="flex min-w-0 flex-col gap-2">
          {file.text === null ? (
            <p className="rounded-md border px-3 py-2 text-sm text-muted-foreground">
              {file.truncated ? 'This file is too large to show here.' : 'This is a binary file.'} Download the skill to see it ({file.size} bytes).
            </p>
          ) : (
            <>
              <CodeView path={path} text={file.text} />
              {file.truncated ? <p className="text-xs text-muted-foreground">Only the beginning of this file is shown.</p> : null}
            </>
          )}
          <p className="text-xs text-muted-foreground">sha256 {file.sha256}</p>
        </div>
      </div>
    </div>
  );
}
