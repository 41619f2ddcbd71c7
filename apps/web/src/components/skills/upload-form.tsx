'use client';

import { DEFAULT_BUNDLE_LIMITS, formatBytes } from '@everyskill/core/skills/bundle/bundle-limits';
import { UploadIcon } from '@/components/ui/icons/upload';
import { useActionState, type ChangeEvent } from 'react';
import { Button } from '@/components/ui/button';
import { PublishFeedback } from './publish-feedback';
import { PublishOptions } from './publish-options';
import type { PublishState } from './publish-state';

type Action = (state: PublishState, form: FormData) => Promise<PublishState>;

const MAX_BYTES = DEFAULT_BUNDLE_LIMITS.maxCompressedBytes;

/** Refuses a file over the limit before it is sent (the server checks again). */
function checkSize(event: ChangeEvent<HTMLInputElement>) {
  const input = event.currentTarget;
  const file = input.files?.[0];
  input.setCustomValidity(
    file && file.size > MAX_BYTES ? `${file.name} is ${formatBytes(file.size)}; an archive may be at most ${formatBytes(MAX_BYTES)}.` : '',
  );
  input.reportValidity();
}

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
          onChange={checkSize}
          accept=".zip,.tar.gz,.tgz,application/zip,application/gzip"
          className="rounded-md border bg-background p-2 text-sm font-normal file:mr-3 file:rounded file:border-0 file:bg-muted file:px-2 file:py-1"
        />
        <span className="text-xs font-normal text-muted-foreground">
          The skill folder with SKILL.md at its top (up to {formatBytes(MAX_BYTES)}). Files are checked for secrets before anything is stored.
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
