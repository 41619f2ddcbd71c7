'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';

/** Rotates the workspace's signing key, after a confirmation. */
export function RotateKeyButton({ action }: { action: (state: ActionState, form: FormData) => Promise<ActionState> }) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  return (
    <form
      action={formAction}
      className="flex flex-col items-start gap-1"
      onSubmit={(event) => {
        if (!window.confirm('Rotate the signing key? Clients that pinned the current key will see a signed key change.')) event.preventDefault();
      }}
    >
      <Button type="submit" size="sm" variant="outline" disabled={pending}>
        {pending ? 'Rotating…' : 'Rotate signing key'}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
