'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';

const choices = [
  { value: 'daily', label: 'Daily', hint: 'each morning, about the day before' },
  { value: 'weekly', label: 'Weekly', hint: 'on Mondays, about the week before' },
  { value: 'off', label: 'Off', hint: 'no digest emails' },
] as const;

/** Off, daily or weekly. */
export function DigestFrequencyForm({
  digest,
  isDefault,
  action,
}: {
  digest: 'off' | 'daily' | 'weekly';
  isDefault: boolean;
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
}) {
  const [state, formAction, saving] = useActionState(action, { status: 'idle' } as ActionState);
  return (
    <form action={formAction} className="flex flex-col gap-4">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">How often</legend>
        {choices.map((choice) => (
          <label key={choice.value} className="flex items-start gap-2 text-sm">
            <input type="radio" name="digest" value={choice.value} defaultChecked={digest === choice.value} className="mt-1" />
            <span>
              <span className="font-medium">{choice.label}</span> — {choice.hint}
            </span>
          </label>
        ))}
        {isDefault ? <p className="text-xs text-muted-foreground">You have not chosen yet; this is the workspace default.</p> : null}
      </fieldset>
      <FormMessage state={state} />
      <Button type="submit" className="self-start" disabled={saving}>
        {saving ? 'Saving…' : 'Save digest setting'}
      </Button>
    </form>
  );
}
