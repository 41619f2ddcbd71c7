'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import type { ActionState } from '@/server/action-state';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/**
 * "Create a variation": a copy of `slug` under a new name that the actor owns. With `keepDraft`
 * the editor's draft (kept in sessionStorage by the editor) opens as the variation's next version.
 */
export function VariationForm({ slug, action, defaultName, keepDraft = false, label = 'Create a variation' }: { slug: string; action: Action; defaultName: string; keepDraft?: boolean; label?: string }) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  return (
    <form action={formAction} className="flex flex-col gap-2" aria-label={`${label} of ${slug}`}>
      <input type="hidden" name="slug" value={slug} />
      {keepDraft ? <input type="hidden" name="keepDraft" value="1" /> : null}
      <label className="flex flex-col gap-1 text-sm font-medium">
        Name of the variation
        <Input name="name" defaultValue={defaultName} required pattern="[a-z0-9]+(-[a-z0-9]+)*" maxLength={64} />
      </label>
      <FormMessage state={state} />
      <Button type="submit" size="sm" variant="outline" className="self-start" disabled={pending}>
        {pending ? 'Creating…' : label}
      </Button>
    </form>
  );
}
