'use client';

import { UploadIcon } from 'lucide-react';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { PublishFeedback } from './publish-feedback';
import { PublishOptions } from './publish-options';
import type { PublishState } from './publish-state';

type Action = (state: PublishState, form: FormData) => Promise<PublishState>;

/** Publish a skill folder packed as .zip or .tar.gz (a new skill, or a new version of `slug`). */
export function UploadForm({ action, slug }: { action: Action; slug?: string }) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as PublishState);
  return (
    <form action={formAction} className="flex flex-col gap-4" aria-label="Upload a skill">
      {slug ? <input type="hidden" name="slug" value={slug} /> : null}
      <label className="flex flex-col gap-1 text-sm font-medium">
        Skill archive (.zip or .tar.gz)
        <input
          type="file"
          name="bundle"
          required
          accept=".zip,.tar.gz,.tgz,application/zip,application/gzip"
          className="rounded-md border bg-background p-2 text-sm font-normal file:mr-3 file:rounded file:border-0 file:bg-muted file:px-2 file:py-1"
        />
        <span className="text-xs font-normal text-muted-foreground">
          The skill folder with SKILL.md at its top (up to 10 MB). Files are checked for secrets before anything is stored.
        </span>
      </label>
      <PublishOptions newVersion={Boolean(slug)} />
      <PublishFeedback state={state} />
      <Button type="submit" className="self-start" disabled={pending}>
        <UploadIcon aria-hidden /> {pending ? 'Publishing…' : 'Publish upload'}
      </Button>
    </form>
  );
}
