'use client';

import { useActionState, useState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/** Rolls the skill back to an earlier version: asks once, then publishes that version's files as the new latest. */
export function RestoreVersionButton({ slug, version, latest, action }: { slug: string; version: string; latest: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  const [confirming, setConfirming] = useState(false);
  return (
    <form action={formAction} className="inline-flex flex-wrap items-baseline gap-2">
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="version" value={version} />
      {confirming ? (
        <>
          <span>
            Publish the files of {version} as a new version after {latest}?
          </span>
          <Button type="submit" size="sm" disabled={pending}>
            Yes, restore {version}
          </Button>
          <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </>
      ) : (
        <Button type="button" size="sm" variant="outline" onClick={() => setConfirming(true)} aria-label={`Restore version ${version}`}>
          Restore
        </Button>
      )}
      <FormMessage state={state} />
    </form>
  );
}
