'use client';

import { ThumbsDownIcon } from '@/components/ui/icons/thumbs-down';
import { ThumbsUpIcon } from '@/components/ui/icons/thumbs-up';
import { useActionState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';
import { useActionStateKeepingInput } from '@/components/use-action-state-keeping-input';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/** Thumbs up or down on a version, and a written suggestion or bug report for the author. */
export function FeedbackForm({ slug, version, action, myThumb }: { slug: string; version: string | null; action: Action; myThumb: 'thumbs_up' | 'thumbs_down' | null }) {
  const [thumbState, thumbAction, thumbPending] = useActionState(action, { status: 'idle' } as ActionState);
  const [state, formAction, pending, kept] = useActionStateKeepingInput(action, { status: 'idle' } as ActionState);
  return (
    <div className="flex flex-col gap-4">
      <form action={thumbAction} className="flex flex-col gap-2" aria-label="Was this skill useful?">
        <input type="hidden" name="slug" value={slug} />
        {version ? <input type="hidden" name="version" value={version} /> : null}
        <span className="text-sm font-medium">Was it useful?</span>
        <div className="flex gap-2">
          <Button type="submit" name="kind" value="thumbs_up" size="sm" variant={myThumb === 'thumbs_up' ? 'default' : 'outline'} disabled={thumbPending} aria-pressed={myThumb === 'thumbs_up'}>
            <ThumbsUpIcon aria-hidden /> Thumbs up
          </Button>
          <Button type="submit" name="kind" value="thumbs_down" size="sm" variant={myThumb === 'thumbs_down' ? 'default' : 'outline'} disabled={thumbPending} aria-pressed={myThumb === 'thumbs_down'}>
            <ThumbsDownIcon aria-hidden /> Thumbs down
          </Button>
        </div>
        <FormMessage state={thumbState} />
      </form>
      <form action={formAction} className="flex flex-col gap-2" aria-label="Suggestion or bug report">
        <input type="hidden" name="slug" value={slug} />
        {version ? <input type="hidden" name="version" value={version} /> : null}
        <label className="flex flex-col gap-1 text-sm font-medium">
          Kind
          <select name="kind" defaultValue={kept?.kind ?? 'suggestion'} className="h-9 rounded-md border bg-background px-2 text-sm font-normal">
            <option value="suggestion">Suggestion</option>
            <option value="bug_report">Bug report</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          What did you find?
          <textarea name="body" rows={3} maxLength={5000} defaultValue={kept?.body ?? ''} className="rounded-md border bg-background p-2 text-sm font-normal" />
        </label>
        <FormMessage state={state} />
        <Button type="submit" size="sm" variant="outline" className="self-start" disabled={pending}>
          Send feedback
        </Button>
      </form>
    </div>
  );
}
