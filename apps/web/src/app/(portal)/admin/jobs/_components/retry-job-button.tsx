'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';

/** Puts one failed job back in the queue. */
export function RetryJobButton({ jobId, action }: { jobId: string; action: (state: ActionState, form: FormData) => Promise<ActionState> }) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  return (
    <form action={formAction} className="flex flex-col items-start gap-1">
      <input type="hidden" name="jobId" value={jobId} />
      <Button type="submit" size="sm" variant="outline" disabled={pending}>
        {pending ? 'Retrying…' : 'Retry'}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
