'use client';

import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { useActionStateKeepingInput } from '@/components/use-action-state-keeping-input';
import type { ActionState } from '@/server/action-state';
import { ActionMessage } from './action-message';

/** Name, logo URL and API-key lifetime of the workspace. */
export function SettingsForm({
  settings,
  action,
}: {
  settings: { name: string; logoUrl: string | null; apiKeyExpiryDays: number };
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
}) {
  const [state, formAction, saving, kept] = useActionStateKeepingInput(action, { status: 'idle' } as ActionState);
  return (
    <form action={formAction} className="flex flex-col gap-4">
      <label className="flex flex-col gap-1 text-sm font-medium">
        Workspace name
        <Input name="name" required maxLength={200} defaultValue={kept?.name ?? settings.name} />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Logo URL
        <Input name="logoUrl" type="url" maxLength={2000} placeholder="https://…/logo.png" defaultValue={kept?.logoUrl ?? settings.logoUrl ?? ''} />
        <span className="text-xs font-normal text-muted-foreground">An https:// image; leave empty to show the initial.</span>
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        API keys expire after (days)
        <Input name="apiKeyExpiryDays" type="number" min={1} max={3650} required defaultValue={kept?.apiKeyExpiryDays ?? settings.apiKeyExpiryDays} className="w-32" />
        <span className="text-xs font-normal text-muted-foreground">
          New keys get this lifetime. A shorter one also applies to existing keys at their next request.
        </span>
      </label>
      <ActionMessage state={state} />
      <Button type="submit" className="self-start" disabled={saving}>
        {saving ? 'Saving…' : 'Save settings'}
      </Button>
    </form>
  );
}
