import { isAppError } from '@everyskill/core';
import { getSkill } from '@everyskill/core/skills/get-skill';
import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { notFound } from 'next/navigation';
import { SkillEditor } from '@/components/skills/skill-editor';
import { checkSkillMd } from '@/components/skills/skill-md-check';
import { UploadForm } from '@/components/skills/upload-form';
import { memberCtx, requireMember } from '@/server/session';
import { checkDuplicatesAction, createVariationAction, publishEditorAction, publishUploadAction } from '../../actions';

export const metadata: Metadata = { title: 'New version' };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ draft?: string }> };

/** Edit a skill: its SKILL.md (other files are kept) or a whole new archive, published as its next version. */
export default async function EditSkillPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { draft } = await searchParams;
  const member = await requireMember(`/skills/${slug}/edit`);
  const skill = await getSkill(await memberCtx(member), { slug }).catch((error: unknown) => {
    if (isAppError(error) && (error.code === 'not_found' || error.code === 'invalid_input')) notFound();
    throw error;
  });
  return (
    <div className="flex flex-col gap-6">
      <Link href={`/skills/${slug}`} className="text-sm text-muted-foreground underline-offset-4 hover:underline">
        ← {skill.name}
      </Link>
      <h1 className="text-3xl font-bold tracking-tight">New version of {skill.name}</h1>
      {skill.permissions.canPublishVersion ? (
        <>
          <p className="max-w-2xl text-sm text-muted-foreground">
            The latest version is {skill.latestVersion ?? 'none'}. Raise <code>metadata.version</code> (or leave it out to get the next patch number);
            the other files of the skill are kept.
          </p>
          <SkillEditor
            slug={slug}
            publish={publishEditorAction}
            checkDuplicates={checkDuplicatesAction}
            createVariation={createVariationAction}
            initialSkillMd={skill.latest?.skillMd ?? ''}
            initialCheck={checkSkillMd(skill.latest?.skillMd ?? '', slug)}
            loadDraft={draft === '1'}
          />
          <details className="rounded-lg border p-4">
            <summary className="cursor-pointer text-sm font-medium">Or upload the whole folder as a new version</summary>
            <div className="mt-4">
              <UploadForm action={publishUploadAction} slug={slug} />
            </div>
          </details>
        </>
      ) : (
        <p role="alert" className="rounded-md border px-3 py-2 text-sm">
          Only the author of {skill.name} or an admin can publish its versions. To change it for yourself,{' '}
          <Link href={`/skills/${slug}`} className="underline underline-offset-2">
            create a variation
          </Link>
          .
        </p>
      )}
    </div>
  );
}
