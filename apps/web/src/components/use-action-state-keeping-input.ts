'use client';

import { useActionState } from 'react';

type Outcome = { status: string };

/**
 * useActionState for a form whose typed text must survive a refusal. React resets a form after
 * every action, which puts uncontrolled fields back to their defaultValue: after an error this hook
 * hands back what was submitted (`kept`), for the fields' defaultValue, so the reset restores the
 * person's text instead of wiping it. After a success `kept` is null and the form starts afresh.
 */
export function useActionStateKeepingInput<S extends Outcome>(action: (state: S, form: FormData) => Promise<S>, initial: S) {
  const [current, dispatch, pending] = useActionState(
    async (previous: { state: S; kept: Record<string, string> | null }, form: FormData) => {
      const state = await action(previous.state, form);
      const kept = state.status === 'error' ? Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string')) : null;
      return { state, kept };
    },
    { state: initial, kept: null },
  );
  return [current.state, dispatch, pending, current.kept] as const;
}
