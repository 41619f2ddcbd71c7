'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';

export function CancelBenchmarkButton({
  slug,
  runId,
  action,
}: {
  slug: string;
  runId: string;
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
}) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  return (
    <form action={formAction} className="flex flex-col gap-1">
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="runId" value={runId} />
      <Button type="submit" variant="outline" size="sm" disabled={pending}>
        Cancel run
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
