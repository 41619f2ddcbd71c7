'use client';

import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';
import { useActionStateKeepingInput } from '@/components/use-action-state-keeping-input';

/** Approve, request changes or reject, with a comment (required unless approving). */
export function DecisionForm({ submissionId, action }: { submissionId: string; action: (state: ActionState, form: FormData) => Promise<ActionState> }) {
  const [state, formAction, pending, kept] = useActionStateKeepingInput(action, { status: 'idle' } as ActionState);
  return (
    <form action={formAction} className="flex flex-col gap-3">
      <input type="hidden" name="submissionId" value={submissionId} />
      <label className="flex flex-col gap-1 text-sm font-medium">
        Comment for the author
        <textarea name="comment" rows={3} maxLength={5000} defaultValue={kept?.comment ?? ''} className="rounded-md border bg-background p-2 text-sm" />
      </label>
      <FormMessage state={state} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" name="decision" value="approve" disabled={pending}>
          Approve and publish
        </Button>
        <Button type="submit" name="decision" value="request_changes" variant="outline" disabled={pending}>
          Request changes
        </Button>
        <Button type="submit" name="decision" value="reject" variant="destructive" disabled={pending}>
          Reject
        </Button>
      </div>
    </form>
  );
}
