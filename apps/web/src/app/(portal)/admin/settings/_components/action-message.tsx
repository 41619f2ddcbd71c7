import type { ActionState } from '@/server/action-state';

/** A form's last outcome, announced to screen readers: errors as alerts, successes as status. */
export function ActionMessage({ state }: { state: ActionState }) {
  if (state.status === 'idle') return null;
  return (
    <p role={state.status === 'error' ? 'alert' : 'status'} className={state.status === 'error' ? 'text-sm text-destructive' : 'text-sm text-muted-foreground'}>
      {state.message}
    </p>
  );
}
