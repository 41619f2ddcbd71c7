'use client';

import type { DuplicateCheckInput, DuplicateCheckResult } from '@everyskill/contracts';
import { AlertTriangleIcon } from '@/components/ui/icons/alert-triangle';
import { CheckCircle2Icon } from '@/components/ui/icons/check-circle2';
import { CopyIcon } from '@/components/ui/icons/copy';
import { SendIcon } from '@/components/ui/icons/send';
import Link from '@/components/ui/link';
import { useActionState, useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';
import { PublishFeedback } from './publish-feedback';
import { PublishOptions } from './publish-options';
import type { PublishState } from './publish-state';
import type { checkSkillMd, SkillMdCheck } from './skill-md-check';
import { VariationForm } from './variation-form';

type PublishAction = (state: PublishState, form: FormData) => Promise<PublishState>;
type VariationAction = (state: ActionState, form: FormData) => Promise<ActionState>;

/** Where the editor keeps a draft while "create as a variation" makes the copy it will become. */
export const VARIATION_DRAFT_KEY = 'everyskill:variation-draft';

/**
 * SKILL.md in a text editor, validated as you type with the same parser the server uses; the
 * category and tags fields follow the frontmatter until you change them. For a new skill it also
 * warns when a very similar skill exists and offers to make this a variation of it.
 *
 * The parser (zod and yaml, most of the editor's weight) is not in the page's first load: the
 * server checks the text the page opens with (`initialCheck`, from `checkSkillMd`), and the editor
 * loads the parser when the field gets focus or the text changes, showing "Checking…" (and keeping
 * Publish disabled) for the moment until it arrives. If it cannot be loaded, publishing (which
 * checks again on the server) stays possible.
 */
export function SkillEditor({
  publish,
  checkDuplicates,
  createVariation,
  slug,
  initialSkillMd,
  initialCheck,
  loadDraft = false,
}: {
  publish: PublishAction;
  checkDuplicates: (input: DuplicateCheckInput) => Promise<DuplicateCheckResult>;
  createVariation: VariationAction;
  slug?: string;
  initialSkillMd: string;
  /** `checkSkillMd(initialSkillMd, slug)`, run by the server. */
  initialCheck: SkillMdCheck;
  loadDraft?: boolean;
}) {
  const [state, formAction, pending] = useActionState(publish, { status: 'idle' } as PublishState);
  const [text, setText] = useState(initialSkillMd);
  const [category, setCategory] = useState('');
  const [categoryTouched, setCategoryTouched] = useState(false);
  const [tags, setTags] = useState('');
  const [tagsTouched, setTagsTouched] = useState(false);
  const [duplicates, setDuplicates] = useState<DuplicateCheckResult['duplicates']>([]);
  const [draftLoaded, setDraftLoaded] = useState(false);

  const [check, setCheck] = useState<{ run: typeof checkSkillMd } | null>(null);
  // The parser could not be loaded (the network went away): publishing still checks everything.
  const [checkUnavailable, setCheckUnavailable] = useState(false);
  const loadCheck = useCallback(() => {
    if (check) return;
    import('./skill-md-check').then(
      (module) => {
        setCheck({ run: module.checkSkillMd });
        setCheckUnavailable(false);
      },
      () => setCheckUnavailable(true),
    );
  }, [check]);

  const deferred = useDeferredValue(text);
  // Null while the parser is loading for a text the server did not check.
  const result = useMemo(
    () => (check ? check.run(deferred, slug) : deferred === initialSkillMd ? initialCheck : null),
    [check, deferred, slug, initialSkillMd, initialCheck],
  );
  const fields = result?.fields ?? null;
  const errors = result?.errors ?? [];
  useEffect(() => {
    if (text !== initialSkillMd) loadCheck();
  }, [text, initialSkillMd, loadCheck]);

  // The draft the person was writing before "create as a variation" made this skill.
  useEffect(() => {
    if (!loadDraft || !slug) return;
    const draft = window.sessionStorage.getItem(VARIATION_DRAFT_KEY);
    if (!draft) return;
    window.sessionStorage.removeItem(VARIATION_DRAFT_KEY);
    setText(draft.replace(/^name[ \t]*:.*$/m, `name: ${slug}`));
    setDraftLoaded(true);
  }, [loadDraft, slug]);

  useEffect(() => {
    if (!fields) return;
    if (!categoryTouched) setCategory(fields.category ?? '');
    if (!tagsTouched) setTags(fields.tags);
  }, [fields, categoryTouched, tagsTouched]);

  const name = fields?.name ?? '';
  const description = fields?.description ?? '';
  useEffect(() => {
    if (slug || !name || !description) {
      setDuplicates([]);
      return;
    }
    let current = true;
    const timer = window.setTimeout(() => {
      checkDuplicates({ name, description, body: deferred }).then(
        (result) => current && setDuplicates(result.duplicates),
        () => current && setDuplicates([]),
      );
    }, 600);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [checkDuplicates, slug, name, description, deferred]);

  const problems = [...errors, ...(result?.warnings ?? []).map((w) => ({ ...w, warning: true as const }))];
  const duplicate = duplicates[0];

  return (
    <div className="flex flex-col gap-4">
      {draftLoaded ? (
        <p role="status" className="rounded-md border bg-muted px-3 py-2 text-sm">
          Your draft is loaded with its name set to <code>{slug}</code>. Publish it as this variation&apos;s next version.
        </p>
      ) : null}
      <form action={formAction} className="flex flex-col gap-4" aria-label="Skill editor">
        {slug ? <input type="hidden" name="slug" value={slug} /> : null}
        <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_18rem]">
          {/* Not wrapped in the label: the label's text would then include everything typed. */}
          <div className="flex flex-col gap-1 text-sm font-medium">
            <label htmlFor="skill-md">SKILL.md</label>
            <textarea
              id="skill-md"
              name="skillMd"
              value={text}
              onChange={(e) => setText(e.target.value)}
              onFocus={loadCheck}
              rows={24}
              spellCheck={false}
              aria-describedby="skill-md-problems"
              aria-invalid={errors.length > 0}
              className="rounded-md border bg-background p-3 font-mono text-xs leading-5"
            />
          </div>
          <div className="flex flex-col gap-3 text-sm">
            <h2 className="font-semibold">From the frontmatter</h2>
            <dl className="flex flex-col gap-2" data-testid="detected-fields">
              <div>
                <dt className="text-xs text-muted-foreground">Name</dt>
                <dd className="font-mono" data-testid="detected-name">
                  {name || '—'}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">Description</dt>
                <dd className="line-clamp-4" data-testid="detected-description">
                  {description || '—'}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">Version</dt>
                <dd data-testid="detected-version">{fields ? (fields.version ?? 'next version number') : '—'}</dd>
              </div>
            </dl>
            <div id="skill-md-problems" aria-live="polite" className="flex flex-col gap-1" data-testid="live-validation">
              {!result ? (
                <p className="text-muted-foreground">
                  {checkUnavailable ? 'SKILL.md could not be checked here; publishing checks it.' : 'Checking SKILL.md…'}
                </p>
              ) : problems.length === 0 ? (
                <p className="flex items-center gap-1 text-green-700 dark:text-green-300">
                  <CheckCircle2Icon aria-hidden className="size-4" /> SKILL.md is valid
                </p>
              ) : (
                <ul className="flex flex-col gap-1">
                  {problems.map((p, i) => (
                    <li key={i} className={'warning' in p ? 'text-amber-700 dark:text-amber-300' : 'text-destructive'} data-field={p.path}>
                      {'warning' in p ? 'Warning · ' : ''}
                      <code className="font-semibold">{p.path}</code>
                      {p.line ? ` (line ${p.line})` : ''}: {p.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </div>

        {duplicate ? (
          <section aria-label="Similar skill exists" className="flex flex-col gap-2 rounded-md border border-amber-500/40 bg-amber-500/10 px-3 py-2 text-sm" data-testid="duplicate-warning">
            <p className="flex items-center gap-2">
              <AlertTriangleIcon aria-hidden className="size-4" />
              This looks like{' '}
              <Link href={`/skills/${duplicate.skill.slug}`} className="font-medium underline underline-offset-2">
                {duplicate.skill.name}
              </Link>{' '}
              ({Math.round(duplicate.similarity * 100)}% alike). Publish anyway, or create yours as a variation of it.
            </p>
          </section>
        ) : null}

        <PublishOptions
          newVersion={Boolean(slug)}
          category={category}
          onCategory={(v) => {
            setCategoryTouched(true);
            setCategory(v);
          }}
          tags={tags}
          onTags={(v) => {
            setTagsTouched(true);
            setTags(v);
          }}
        />
        <PublishFeedback state={state} />
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={pending || (!result && !checkUnavailable) || errors.length > 0}>
            <SendIcon aria-hidden /> {pending ? 'Publishing…' : slug ? 'Publish new version' : 'Publish skill'}
          </Button>
          {errors.length > 0 ? <span className="text-xs text-muted-foreground">Fix the problems above to publish.</span> : null}
        </div>
      </form>

      {duplicate ? (
        <div
          className="flex flex-col gap-2 rounded-md border px-3 py-2"
          onSubmitCapture={() => window.sessionStorage.setItem(VARIATION_DRAFT_KEY, text)}
          data-testid="create-variation"
        >
          <p className="flex items-center gap-2 text-sm">
            <CopyIcon aria-hidden className="size-4" /> Create as a variation of {duplicate.skill.name}: your copy keeps a link to the original, and your
            draft opens as its next version.
          </p>
          <VariationForm
            slug={duplicate.skill.slug}
            action={createVariation}
            defaultName={name && name !== duplicate.skill.slug ? name : `${duplicate.skill.slug}-variation`.slice(0, 64)}
            keepDraft
            label="Create as a variation"
          />
        </div>
      ) : null}
    </div>
  );
}
