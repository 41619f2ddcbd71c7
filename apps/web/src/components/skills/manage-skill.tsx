'use client';

import type { SkillVisibility } from '@everyskill/contracts';
import { useActionState, useState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

// Type-only import from contracts: its schemas (zod) would otherwise ship to every skill page.
// The Record's type keeps this list complete when a visibility is added.
const visibilityLabels: Record<SkillVisibility, string> = {
  tenant: 'Everyone in the company',
  private: 'Only me (and admins)',
  public: 'Public (also listed for agents outside the company)',
};
const skillVisibilities = Object.keys(visibilityLabels) as SkillVisibility[];

/** The author's (or an admin's) controls: who can see the skill, and removing it. */
export function ManageSkill({ slug, visibility, setVisibility, remove }: { slug: string; visibility: SkillVisibility; setVisibility: Action; remove: Action }) {
  const [visState, visAction, visPending] = useActionState(setVisibility, { status: 'idle' } as ActionState);
  const [delState, delAction, delPending] = useActionState(remove, { status: 'idle' } as ActionState);
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="flex flex-col gap-4">
      <form action={visAction} className="flex flex-col gap-2">
        <input type="hidden" name="slug" value={slug} />
        <label className="flex flex-col gap-1 text-sm font-medium">
          Visibility
          <select name="visibility" defaultValue={visibility} className="h-9 rounded-md border bg-background px-2 text-sm font-normal">
            {skillVisibilities.map((v) => (
              <option key={v} value={v}>
                {visibilityLabels[v]}
              </option>
            ))}
          </select>
        </label>
        <FormMessage state={visState} />
        <Button type="submit" size="sm" variant="outline" className="self-start" disabled={visPending}>
          Save visibility
        </Button>
      </form>
      <form action={delAction} className="flex flex-col gap-2">
        <input type="hidden" name="slug" value={slug} />
        {confirming ? (
          <>
            <p className="text-sm">The skill leaves the catalogue and its install links stop working. Installed copies keep working.</p>
            <div className="flex gap-2">
              <Button type="submit" size="sm" variant="destructive" disabled={delPending}>
                Yes, delete {slug}
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </div>
          </>
        ) : (
          <Button size="sm" variant="outline" className="self-start" onClick={() => setConfirming(true)}>
            Delete skill…
          </Button>
        )}
        <FormMessage state={delState} />
      </form>
    </div>
  );
}
