'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import {
  duplicateCheckInput,
  feedbackKind,
  publishFromEditorInput,
  publishSkillOptions,
  skillVisibility,
  type DuplicateCheckInput,
  type DuplicateCheckResult,
} from '@everyskill/contracts';
import { invalidInput, isAppError } from '@everyskill/core';
import { parseInput } from '@everyskill/core/parse-input';
import { checkDuplicateSkills } from '@everyskill/core/search/check-duplicate-skills';
import { followSkill } from '@everyskill/core/notifications/notifications';
import { deleteSkill } from '@everyskill/core/skills/delete-skill';
import { forkSkill } from '@everyskill/core/skills/fork-skill';
import { publishSkill, type PublishSource } from '@everyskill/core/skills/publish-skill';
import { rateSkill } from '@everyskill/core/skills/rate-skill';
import { restoreSkillVersion } from '@everyskill/core/skills/restore-skill-version';
import { setSkillVisibility } from '@everyskill/core/skills/set-skill-visibility';
import { submitFeedback } from '@everyskill/core/skills/submit-feedback';
import { publishDetailsOf, type PublishState } from '@/components/skills/publish-state';
import { toActionState, type ActionState } from '@/server/action-state';
import { withBlobs } from '@/server/api/skills-ctx';
import { memberCtx, requireMember } from '@/server/session';

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
};

const skillCtx = async (returnTo: string) => withBlobs(await memberCtx(await requireMember(returnTo)));

/** toActionState, keeping the structured reasons a publish was refused: manifest issues and secrets. */
async function toPublishState(run: () => Promise<string>): Promise<PublishState> {
  let details: ReturnType<typeof publishDetailsOf> = {};
  const state = await toActionState(async () => {
    try {
      return await run();
    } catch (error) {
      if (isAppError(error)) details = publishDetailsOf(error.details);
      throw error;
    }
  });
  return { ...state, ...details };
}

function publishOptionsOf(form: FormData) {
  return {
    slug: text(form, 'slug'),
    visibility: text(form, 'visibility'),
    category: text(form, 'category'),
    tags: text(form, 'tags'),
    notes: text(form, 'notes'),
  };
}

/** Publishes an uploaded .zip / .tar.gz (a new skill, or a new version when `slug` is set). */
export async function publishUploadAction(_state: PublishState, form: FormData): Promise<PublishState> {
  let published: string | null = null;
  const state = await toPublishState(async () => {
    const options = parseInput(publishSkillOptions, publishOptionsOf(form));
    const bundle = form.get('bundle');
    if (!(bundle instanceof File) || bundle.size === 0) {
      throw invalidInput('choose a .zip or .tar.gz of the skill folder to upload', { issues: [{ field: 'bundle', message: 'choose a .zip or .tar.gz file' }] });
    }
    const source: PublishSource = { kind: 'archive', fileName: bundle.name, bytes: new Uint8Array(await bundle.arrayBuffer()) };
    const result = await publishSkill(await skillCtx('/skills/new'), { ...options, source });
    // An upload skips the editor's "this looks like X" check, so the new skill's page makes it.
    const check = result.newSkill ? '&check=duplicates' : '';
    published = `/skills/${result.skill.slug}?published=${encodeURIComponent(result.version.version)}${result.created ? '' : '&unchanged=1'}${check}`;
    revalidatePath('/skills', 'layout');
    return `Published ${result.skill.slug} ${result.version.version}.`;
  });
  if (published) redirect(published);
  return state;
}

/** Publishes SKILL.md written in the editor (a new version keeps the skill's other files). */
export async function publishEditorAction(_state: PublishState, form: FormData): Promise<PublishState> {
  let published: string | null = null;
  const state = await toPublishState(async () => {
    const { skillMd, ...options } = parseInput(publishFromEditorInput, { ...publishOptionsOf(form), skillMd: form.get('skillMd') ?? '' });
    const result = await publishSkill(await skillCtx('/skills/new'), { ...options, source: { kind: 'skill-md', skillMd } });
    published = `/skills/${result.skill.slug}?published=${encodeURIComponent(result.version.version)}${result.created ? '' : '&unchanged=1'}`;
    revalidatePath('/skills', 'layout');
    return `Published ${result.skill.slug} ${result.version.version}.`;
  });
  if (published) redirect(published);
  return state;
}

/** Publishes an earlier version's files again as the skill's new latest version (a rollback). */
export async function restoreVersionAction(_state: ActionState, form: FormData): Promise<ActionState> {
  const slug = String(form.get('slug') ?? '');
  let published: string | null = null;
  const state = await toActionState(async () => {
    const result = await restoreSkillVersion(await skillCtx(`/skills/${slug}`), { slug, version: String(form.get('version') ?? '') });
    published = `/skills/${result.skill.slug}?published=${encodeURIComponent(result.version.version)}${result.created ? '' : '&unchanged=1'}`;
    revalidatePath('/skills', 'layout');
    return `Published ${result.skill.slug} ${result.version.version}.`;
  });
  if (published) redirect(published);
  return state;
}

/** Existing skills very close to the draft in the editor; never throws (the check is advisory). */
export async function checkDuplicatesAction(input: DuplicateCheckInput): Promise<DuplicateCheckResult> {
  try {
    const ctx = await memberCtx(await requireMember('/skills/new'));
    return await checkDuplicateSkills(ctx, parseInput(duplicateCheckInput, input));
  } catch (error) {
    if (isAppError(error)) return { duplicates: [], semantic: false };
    throw error;
  }
}

/** "Create a variation": copies a skill under a new name owned by the actor, then opens it in the editor. */
export async function createVariationAction(_state: ActionState, form: FormData): Promise<ActionState> {
  let target: string | null = null;
  const slug = String(form.get('slug') ?? '');
  const state = await toActionState(async () => {
    const result = await forkSkill(await skillCtx(`/skills/${slug}`), {
      slug,
      name: String(form.get('name') ?? '').trim(),
      visibility: text(form, 'visibility') === undefined ? undefined : parseInput(skillVisibility, text(form, 'visibility')),
    });
    target = form.get('keepDraft') === '1' ? `/skills/${result.skill.slug}/edit?draft=1` : `/skills/${result.skill.slug}?forked=1`;
    revalidatePath('/skills', 'layout');
    return `Created ${result.skill.slug}.`;
  });
  if (target) redirect(target);
  return state;
}

/** Sets (or changes) the actor's 1–5 star rating with an optional comment. */
export async function rateSkillAction(_state: ActionState, form: FormData): Promise<ActionState> {
  const slug = String(form.get('slug') ?? '');
  return toActionState(async () => {
    const result = await rateSkill(await memberCtx(await requireMember(`/skills/${slug}`)), {
      slug,
      stars: Number(form.get('stars') ?? 0),
      comment: text(form, 'comment'),
    });
    revalidatePath(`/skills/${slug}`);
    return `Your rating is saved: ${result.stars} of 5.`;
  });
}

/** Thumbs up/down, a suggestion or a bug report. */
export async function submitFeedbackAction(_state: ActionState, form: FormData): Promise<ActionState> {
  const slug = String(form.get('slug') ?? '');
  return toActionState(async () => {
    const kind = parseInput(feedbackKind, form.get('kind'));
    await submitFeedback(await memberCtx(await requireMember(`/skills/${slug}`)), {
      slug,
      kind,
      body: text(form, 'body'),
      version: text(form, 'version'),
      source: 'portal',
    });
    revalidatePath(`/skills/${slug}`);
    return kind === 'bug_report' ? 'Bug report sent to the author.' : kind === 'suggestion' ? 'Suggestion sent to the author.' : 'Thanks for the feedback.';
  });
}

/** Who can see the skill: the company, only the author, or also the public index. */
export async function setVisibilityAction(_state: ActionState, form: FormData): Promise<ActionState> {
  const slug = String(form.get('slug') ?? '');
  return toActionState(async () => {
    const visibility = parseInput(skillVisibility, form.get('visibility'));
    await setSkillVisibility(await memberCtx(await requireMember(`/skills/${slug}`)), { slug, visibility });
    revalidatePath('/skills', 'layout');
    return `Visibility set to ${visibility}.`;
  });
}

/** Removes a skill from the catalogue (soft delete; its author or an admin). */
export async function deleteSkillAction(_state: ActionState, form: FormData): Promise<ActionState> {
  const slug = String(form.get('slug') ?? '');
  let deleted = false;
  const state = await toActionState(async () => {
    await deleteSkill(await memberCtx(await requireMember(`/skills/${slug}`)), { slug });
    deleted = true;
    revalidatePath('/skills', 'layout');
    return `Deleted ${slug}.`;
  });
  if (deleted) redirect(`/my-skills?deleted=${encodeURIComponent(slug)}`);
  return state;
}

/** Follows or unfollows a skill: its new versions then show in the person's notifications and digest. */
export async function followSkillAction(_state: ActionState, form: FormData): Promise<ActionState> {
  const slug = String(form.get('slug') ?? '');
  return toActionState(async () => {
    const { following } = await followSkill(await memberCtx(await requireMember(`/skills/${slug}`)), { slug, follow: form.get('follow') === 'true' });
    revalidatePath(`/skills/${slug}`);
    return following ? `Following ${slug}.` : `No longer following ${slug}.`;
  });
}
