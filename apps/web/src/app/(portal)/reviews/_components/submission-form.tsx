'use client';

import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import { useActionStateKeepingInput } from '@/components/use-action-state-keeping-input';
import type { ActionState } from '@/server/action-state';

/** SKILL.md text (and notes) submitted for review: a first submission or a revision. */
export function SubmissionForm({
  action,
  initialSkillMd,
  submitLabel,
}: {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  initialSkillMd: string;
  submitLabel: string;
}) {
  const [state, formAction, pending, kept] = useActionStateKeepingInput(action, { status: 'idle' } as ActionState);
  return (
    <form action={formAction} className="flex flex-col gap-3">
      <label className="flex flex-col gap-1 text-sm font-medium">
        SKILL.md
        <textarea
          name="skillMd"
          required
          rows={18}
          defaultValue={kept?.skillMd ?? initialSkillMd}
          spellCheck={false}
          className="rounded-md border bg-background p-3 font-mono text-xs"
        />
        <span className="text-xs font-normal text-muted-foreground">
          Frontmatter with <code>name</code> and <code>description</code>, then the instructions. A new version of a skill keeps its other files.
        </span>
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Notes for the reviewer
        <textarea name="notes" rows={2} maxLength={2000} defaultValue={kept?.notes ?? ''} className="rounded-md border bg-background p-2 text-sm" />
      </label>
      <FormMessage state={state} />
      <Button type="submit" className="self-start" disabled={pending}>
        {pending ? 'Submitting…' : submitLabel}
      </Button>
    </form>
  );
}
