'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/** Re-review and hide/show, for the skill's author, admins and reviewers. */
export function AiReviewControls({
  slug,
  version,
  hidden,
  canHide,
  busy,
  requestAction,
  hideAction,
}: {
  slug: string;
  version: string;
  hidden: boolean;
  canHide: boolean;
  busy: boolean;
  requestAction: Action;
  hideAction: Action;
}) {
  const [requested, request, requesting] = useActionState(requestAction, { status: 'idle' } as ActionState);
  const [toggled, toggle, toggling] = useActionState(hideAction, { status: 'idle' } as ActionState);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        <form action={request}>
          <input type="hidden" name="slug" value={slug} />
          <input type="hidden" name="version" value={version} />
          <Button type="submit" variant="outline" disabled={requesting || busy}>
            {busy ? 'Review in progress…' : 'Review again'}
          </Button>
        </form>
        {canHide ? (
          <form action={toggle}>
            <input type="hidden" name="slug" value={slug} />
            <input type="hidden" name="version" value={version} />
            <input type="hidden" name="hidden" value={hidden ? 'false' : 'true'} />
            <Button type="submit" variant="outline" disabled={toggling}>
              {hidden ? 'Show to everyone' : 'Hide from others'}
            </Button>
          </form>
        ) : null}
      </div>
      <FormMessage state={requested} />
      <FormMessage state={toggled} />
    </div>
  );
}
