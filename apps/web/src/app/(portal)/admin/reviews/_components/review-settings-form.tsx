'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import type { ActionState } from '@/server/action-state';

/** Publish directly or after approval, and the optional auto-approve threshold. */
export function ReviewSettingsForm({
  settings,
  aiEnabled,
  action,
}: {
  settings: { reviewMode: 'direct' | 'approval'; autoApproveThreshold: number | null; safetyBlockPolicy: 'refuse' | 'hold' };
  aiEnabled: boolean;
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
}) {
  const [state, formAction, saving] = useActionState(action, { status: 'idle' } as ActionState);
  return (
    <form action={formAction} className="flex flex-col gap-4">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">How skills are published</legend>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="reviewMode" value="direct" defaultChecked={settings.reviewMode === 'direct'} className="mt-1" />
          <span>
            <span className="font-medium">Directly</span> — a published skill is available at once.
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="reviewMode" value="approval" defaultChecked={settings.reviewMode === 'approval'} className="mt-1" />
          <span>
            <span className="font-medium">After approval</span> — authors submit skills for review; an admin or reviewer approves,
            requests changes or rejects them.
          </span>
        </label>
      </fieldset>
      <fieldset className="flex flex-col gap-2" data-testid="safety-block-policy">
        <legend className="mb-1 text-sm font-medium">When the safety scan blocks a version</legend>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="safetyBlockPolicy" value="refuse" defaultChecked={settings.safetyBlockPolicy === 'refuse'} className="mt-1" />
          <span>
            <span className="font-medium">Refuse the publish</span> — the author sees every finding with its file and line; nothing is stored.
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="safetyBlockPolicy" value="hold" defaultChecked={settings.safetyBlockPolicy === 'hold'} className="mt-1" />
          <span>
            <span className="font-medium">Hold it for review</span> — the version is stored but agents cannot use it until an admin or reviewer
            approves it from the review queue.
          </span>
        </label>
      </fieldset>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Auto-approve when every AI score is at least
        <Input
          name="autoApproveThreshold"
          type="number"
          min={1}
          max={10}
          placeholder="never"
          defaultValue={settings.autoApproveThreshold ?? ''}
          className="w-32"
        />
        <span className="text-xs font-normal text-muted-foreground">
          1–10; leave empty to always have a person decide.{aiEnabled ? '' : ' AI review is off on this server, so nothing is approved automatically.'}
        </span>
      </label>
      <FormMessage state={state} />
      <Button type="submit" className="self-start" disabled={saving}>
        {saving ? 'Saving…' : 'Save review settings'}
      </Button>
    </form>
  );
}
