'use client';

import { BellIcon } from '@/components/ui/icons/bell';
import { BellOffIcon } from '@/components/ui/icons/bell-off';
import { useActionState } from 'react';
import { FormMessage } from '@/components/form-message';
import { buttonVariants } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/** Follow / unfollow a skill; a refusal (the skill is gone, say) shows next to the button. */
export function FollowButton({ slug, following, action }: { slug: string; following: boolean; action: Action }) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  return (
    <form action={formAction} className="inline-flex flex-wrap items-baseline gap-2">
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="follow" value={following ? 'false' : 'true'} />
      <button
        type="submit"
        disabled={pending}
        className={buttonVariants({ variant: following ? 'secondary' : 'outline', size: 'sm' })}
        aria-pressed={following}
      >
        {following ? <BellOffIcon aria-hidden /> : <BellIcon aria-hidden />} {following ? 'Following' : 'Follow'}
      </button>
      {state.status === 'error' ? <FormMessage state={state} /> : null}
    </form>
  );
}
