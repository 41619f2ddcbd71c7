'use client';

import { useActionState } from 'react';
import { AutoRefresh } from '@/components/reviews/auto-refresh';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/** What the page knows of Claude's second opinion on a version (core's SafetySecondOpinionStatus). */
export interface SecondOpinionView {
  version: string;
  aiEnabled: boolean;
  state: 'none' | 'queued' | 'running' | 'failed' | 'done';
  error: string | null;
}

function stateText(status: SecondOpinionView): string {
  const of = `Claude's second opinion on version ${status.version}`;
  switch (status.state) {
    case 'queued':
      return `${of} is queued; this page updates when it is done.`;
    case 'running':
      return `${of} is being written; this page updates when it is done.`;
    case 'failed':
      return `${of} failed: ${status.error ?? 'no reason given'}.${status.aiEnabled ? ' You can ask again.' : ''}`;
    case 'done':
      return `${of} is shown above.`;
    case 'none':
      return status.aiEnabled
        ? 'Claude can read this version as data and give a second opinion: it may raise the verdict, never clear a block.'
        : "Claude's second opinion needs AI, which is off on this server (no ANTHROPIC_API_KEY is configured).";
  }
}

/** For admins: where Claude's second opinion on the version stands, and the button that asks for it. */
export function SafetySecondOpinion({ slug, status, action }: { slug: string; status: SecondOpinionView; action: Action }) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  const busy = status.state === 'queued' || status.state === 'running';
  const canAsk = status.aiEnabled && (status.state === 'none' || status.state === 'failed');
  return (
    <div className="flex flex-col gap-2 border-t pt-3 text-sm" data-testid="safety-second-opinion" data-state={status.state}>
      <AutoRefresh active={busy} />
      <p className="text-xs" data-testid="safety-second-opinion-state">
        {stateText(status)}
      </p>
      {canAsk ? (
        <form action={formAction}>
          <input type="hidden" name="slug" value={slug} />
          <input type="hidden" name="version" value={status.version} />
          <Button type="submit" size="sm" variant="outline" disabled={pending}>
            {pending ? 'Asking…' : 'Ask Claude for a second opinion'}
          </Button>
        </form>
      ) : null}
      <FormMessage state={state} />
    </div>
  );
}
