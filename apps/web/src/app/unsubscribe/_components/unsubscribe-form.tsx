'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';

/** One button: turn the digest off. */
export function UnsubscribeForm({
  token,
  alreadyOff,
  action,
}: {
  token: string;
  alreadyOff: boolean;
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
}) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  if (state.status === 'ok') return <FormMessage state={state} />;
  return (
    <form action={formAction} className="flex flex-col gap-3">
      <input type="hidden" name="token" value={token} />
      {alreadyOff ? <p className="text-sm text-muted-foreground">Digest emails are already off for this address.</p> : null}
      <FormMessage state={state} />
      <Button type="submit" className="self-start" disabled={pending}>
        {pending ? 'Unsubscribing…' : 'Unsubscribe'}
      </Button>
    </form>
  );
}
