'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';
import { ActionMessage } from '../../settings/_components/action-message';

/** Queues a rescan of the latest versions under the current safety rules; the outcome is announced next to the button. */
export function SafetyRescanButton({ action }: { action: (state: ActionState) => Promise<ActionState> }) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  return (
    <form action={formAction} className="flex flex-col gap-2">
      <Button type="submit" variant="outline" disabled={pending} className="w-fit">
        {pending ? 'Queuing…' : 'Rescan all skills now'}
      </Button>
      <ActionMessage state={state} />
    </form>
  );
}
