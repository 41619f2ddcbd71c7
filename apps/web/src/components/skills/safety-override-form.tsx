'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/** An admin's release of a blocked version: a written reason is required and kept with the version. */
export function SafetyOverrideForm({ slug, version, action, held = false }: { slug: string; version: string; action: Action; held?: boolean }) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  return (
    <form action={formAction} className="flex flex-col gap-2 text-sm" data-testid="safety-override-form">
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="version" value={version} />
      <label className="flex flex-col gap-1 font-medium">
        {held
          ? `Why is version ${version} safe to use? (admins and reviewers; approving releases it to agents, audited and shown here)`
          : `Why is version ${version} safe to use? (admins only; audited and shown here)`}
        <textarea name="reason" required minLength={10} maxLength={2000} rows={2} className="rounded-md border px-2 py-1 font-normal" />
      </label>
      <Button type="submit" size="sm" variant="outline" disabled={pending} className="self-start">
        {held ? 'Approve and release this version' : 'Release this version'}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
