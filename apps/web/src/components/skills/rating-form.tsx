'use client';

import { StarIcon } from '@/components/ui/icons/star';
import { useActionState, useState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/** One rating per person: 1–5 stars and an optional comment; sending again changes it. */
export function RatingForm({ slug, action, mine }: { slug: string; action: Action; mine: { stars: number; comment: string | null } | null }) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  const [stars, setStars] = useState(mine?.stars ?? 0);
  return (
    <form action={formAction} className="flex flex-col gap-2" aria-label="Your rating">
      <input type="hidden" name="slug" value={slug} />
      <fieldset className="flex items-center gap-1">
        <legend className="mb-1 text-sm font-medium">{mine ? 'Your rating' : 'Rate this skill'}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className="cursor-pointer" title={`${n} star${n === 1 ? '' : 's'}`}>
            <input type="radio" name="stars" value={n} checked={stars === n} onChange={() => setStars(n)} className="peer sr-only" />
            <span className="sr-only">{`${n} star${n === 1 ? '' : 's'}`}</span>
            <StarIcon aria-hidden className={`size-6 rounded peer-focus-visible:outline-2 peer-focus-visible:outline-ring ${n <= stars ? 'fill-amber-400 text-amber-500' : 'text-muted-foreground'}`} />
          </label>
        ))}
      </fieldset>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Comment (optional)
        <textarea name="comment" rows={2} maxLength={2000} defaultValue={mine?.comment ?? ''} className="rounded-md border bg-background p-2 text-sm font-normal" />
      </label>
      <FormMessage state={state} />
      <Button type="submit" size="sm" className="self-start" disabled={pending || stars === 0}>
        {mine ? 'Update rating' : 'Save rating'}
      </Button>
    </form>
  );
}
