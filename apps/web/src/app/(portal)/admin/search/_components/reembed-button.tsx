'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';
import { ActionMessage } from '../../settings/_components/action-message';

/** Starts "re-embed all"; the outcome is announced next to the button. */
export function ReembedButton({ action, disabled }: { action: (state: ActionState) => Promise<ActionState>; disabled: boolean }) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  return (
    <form action={formAction} className="flex flex-col gap-2">
      <Button type="submit" variant="outline" disabled={disabled || pending} className="w-fit">
        {pending ? 'Starting…' : 'Re-embed all skills'}
      </Button>
      <ActionMessage state={state} />
    </form>
  );
}
