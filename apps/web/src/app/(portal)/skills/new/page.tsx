import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { SkillEditor } from '@/components/skills/skill-editor';
import { checkSkillMd, SKILL_MD_TEMPLATE } from '@/components/skills/skill-md-check';
import { UploadForm } from '@/components/skills/upload-form';
import { cn } from '@/lib/utils';
import { requireMember } from '@/server/session';
import { checkDuplicatesAction, createVariationAction, publishEditorAction, publishUploadAction } from '../actions';

export const metadata: Metadata = { title: 'Publish a skill' };

/** Publish a skill: upload its folder as an archive, or write its SKILL.md in the editor. */
export default async function NewSkillPage({ searchParams }: { searchParams: Promise<{ mode?: string }> }) {
  const { mode } = await searchParams;
  await requireMember('/skills/new');
  const upload = mode === 'upload';
  const tab = (active: boolean) =>
    cn('rounded-md px-3 py-1.5 text-sm font-medium', active ? 'bg-background shadow-xs' : 'text-muted-foreground hover:text-foreground');
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <h1 className="text-3xl font-bold tracking-tight">Publish a skill</h1>
        <p className="max-w-2xl text-sm text-muted-foreground">
          A skill is a folder with a <code>SKILL.md</code>: frontmatter with its <code>name</code> and <code>description</code>, then the
          instructions. Publishing the same name again adds a version.
        </p>
      </div>
      <nav aria-label="How to publish" className="flex gap-1 self-start rounded-lg bg-muted p-1">
        <Link href="/skills/new" className={tab(!upload)} aria-current={!upload ? 'page' : undefined}>
          Write SKILL.md
        </Link>
        <Link href="/skills/new?mode=upload" className={tab(upload)} aria-current={upload ? 'page' : undefined}>
          Upload .zip / .tar.gz
        </Link>
      </nav>
      {upload ? (
        <UploadForm action={publishUploadAction} />
      ) : (
        <SkillEditor
          publish={publishEditorAction}
          checkDuplicates={checkDuplicatesAction}
          createVariation={createVariationAction}
          initialSkillMd={SKILL_MD_TEMPLATE}
          initialCheck={checkSkillMd(SKILL_MD_TEMPLATE)}
        />
      )}
    </div>
  );
}
