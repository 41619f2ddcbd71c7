'use client';

import { useActionState } from 'react';

/**
 * One action state for several forms, each naming its action in a hidden `op` field, so what is
 * shown is always the outcome of the form submitted last (two separate states would keep showing
 * the first one's message after the other ran). The forms share one pending flag.
 */
export function useLatestActionState<S>(actions: Record<string, (state: Awaited<S>, form: FormData) => Promise<S>>, initial: Awaited<S>) {
  return useActionState((previous: Awaited<S>, form: FormData) => {
    const op = String(form.get('op') ?? '');
    const action = actions[op];
    if (!action) throw new Error(`no action for op '${op}'`);
    return action(previous, form);
  }, initial);
}
