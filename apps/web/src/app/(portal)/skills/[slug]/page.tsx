import { parseSkillMarkdown, skillCategoryLabels, type SkillDetail } from '@everyskill/contracts';
import { isAppError } from '@everyskill/core';
import type { Ctx } from '@everyskill/core';
import { isFollowingSkill } from '@everyskill/core/notifications/notifications';
import { getVersionAttestation } from '@everyskill/core/provenance/get-version-attestation';
import { checkDuplicateSkills } from '@everyskill/core/search/check-duplicate-skills';
import { getSkill } from '@everyskill/core/skills/get-skill';
import { getSafetySecondOpinion } from '@everyskill/core/skills/safety/safety-second-opinion';
import { listSkillSafetyHistory } from '@everyskill/core/skills/safety/skill-safety-history';
import { BotIcon, GaugeIcon, GitCompareIcon, GitForkIcon, PencilIcon, StarIcon } from '@/components/ui/icons';
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from '@/components/ui/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { SimilarSkills } from '@/components/search/similar-skills';
import { FeedbackForm } from '@/components/skills/feedback-form';
import { FileTree } from '@/components/skills/file-tree';
import { FollowButton } from '@/components/skills/follow-button';
import { InstallPanel } from '@/components/skills/install-panel';
import { ManageSkill } from '@/components/skills/manage-skill';
import { ProvenancePanel } from '@/components/skills/provenance-panel';
import { Markdown } from '@/components/skills/markdown';
import { RatingForm } from '@/components/skills/rating-form';
import { RestoreVersionButton } from '@/components/skills/restore-version-button';
import { personName } from '@/components/skills/skill-card';
import { UsageChart } from '@/components/skills/usage-chart';
import { VariationForm } from '@/components/skills/variation-form';
import { VersionCompare } from '@/components/skills/version-compare';
import { Badge } from '@/components/ui/badge';
import { buttonVariants } from '@/components/ui/button';
import { memberCtx, requireMember } from '@/server/session';
import { VersionSafetyPanel } from '@/components/skills/version-safety-panel';
import { SafetyOverrideForm } from '@/components/skills/safety-override-form';
import { SafetyHistory } from '@/components/skills/safety-history';
import { SafetySecondOpinion } from '@/components/skills/safety-second-opinion';
import { overrideSafetyAction, requestSafetyOpinionAction } from './safety-actions';
import {
  createVariationAction,
  deleteSkillAction,
  followSkillAction,
  rateSkillAction,
  restoreVersionAction,
  setVisibilityAction,
  submitFeedbackAction,
} from '../actions';

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await params).slug };
}

const when = (iso: string) => new Date(iso).toISOString().slice(0, 10);

function Section({ title, id, children, actions }: { title: string; id: string; children: React.ReactNode; actions?: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="flex flex-col gap-3 rounded-lg border p-4">
      <div className="flex items-center justify-between gap-2">
        <h2 id={id} className="text-lg font-semibold">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** The existing skill most like this one, for the notice after an upload; null when none is close or the check fails. */
async function closestOtherSkill(ctx: Ctx, skill: SkillDetail, body: string) {
  try {
    const result = await checkDuplicateSkills(ctx, { name: skill.name, description: skill.description, body, excludeSlug: skill.slug });
    return result.duplicates[0] ?? null;
  } catch {
    return null; // advisory: the page shows without it
  }
}

/** A skill: its instructions, files, versions, install, usage, ratings, feedback, lineage and management. */
export default async function SkillPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const query = await searchParams;
  const member = await requireMember(`/skills/${slug}`);
  const ctx = await memberCtx(member);
  let skill: SkillDetail;
  try {
    skill = await getSkill(ctx, { slug });
  } catch (error) {
    if (isAppError(error) && (error.code === 'not_found' || error.code === 'invalid_input')) notFound();
    throw error;
  }
  const following = await isFollowingSkill(ctx, slug);
  const attestation = skill.latestVersion ? await getVersionAttestation(ctx, { slug, version: skill.latestVersion }) : null;
  const h = await headers();
  const origin = `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost'}`;
  const latest = skill.latest;
  const parsed = latest ? parseSkillMarkdown(latest.skillMd) : null;
  const body = parsed?.ok ? parsed.body : (latest?.skillMd ?? '');
  const published = typeof query.published === 'string' ? query.published : null;
  const duplicate = published && query.check === 'duplicates' && latest ? await closestOtherSkill(ctx, skill, body) : null;
  // Admins see where Claude's second opinion stands (for a scanned version) and the audited safety events.
  const safetyAdmin =
    member.role === 'admin' && latest
      ? {
          opinion: latest.safety ? await getSafetySecondOpinion(ctx, { slug, version: latest.version }) : null,
          history: await listSkillSafetyHistory(ctx, { slug }),
        }
      : null;

  return (
    <div className="flex flex-col gap-6">
      {published ? (
        <p role="status" className="rounded-md border border-green-600/30 bg-green-500/10 px-3 py-2 text-sm">
          {query.unchanged
            ? published === skill.latestVersion || !skill.permissions.canRestoreVersion
              ? `Nothing changed: version ${published} already has this content.`
              : `Nothing changed: the earlier version ${published} already has this content. To make it the latest again, restore it under Versions.`
            : `Published version ${published}.`}
        </p>
      ) : null}
      {duplicate ? (
        <p role="status" className="rounded-md border border-amber-500/40 bg-amber-500/10 px-3 py-2 text-sm" data-testid="duplicate-notice">
          This looks like{' '}
          <Link href={`/skills/${duplicate.skill.slug}`} className="font-medium underline underline-offset-2">
            {duplicate.skill.name}
          </Link>{' '}
          ({Math.round(duplicate.similarity * 100)}% alike). If they are the same skill, publish your changes as a new version of it and delete
          this one.
        </p>
      ) : null}
      {query.forked ? (
        <p role="status" className="rounded-md border border-green-600/30 bg-green-500/10 px-3 py-2 text-sm">
          Variation created. Edit it to make it your own.
        </p>
      ) : null}

      <header className="flex flex-col gap-3">
        <div className="flex flex-wrap items-baseline gap-3">
          <h1 className="text-3xl font-bold tracking-tight">{skill.name}</h1>
          {skill.latestVersion ? <span className="text-muted-foreground" data-testid="latest-version">v{skill.latestVersion}</span> : null}
          <Badge variant="outline">{skill.visibility}</Badge>
        </div>
        <p className="max-w-3xl text-muted-foreground">{skill.description}</p>
        <div className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
          <span>by {personName(skill.author)}</span>
          <span aria-hidden>·</span>
          <Link href={`/skills?category=${skill.category}`} className="hover:underline">
            {skillCategoryLabels[skill.category]}
          </Link>
          {skill.tags.map((tag) => (
            <Link key={tag} href={`/skills?tag=${encodeURIComponent(tag)}`}>
              <Badge variant="secondary">{tag}</Badge>
            </Link>
          ))}
        </div>
        <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm" data-testid="skill-counters">
          <div className="flex gap-1">
            <dt className="text-muted-foreground">Uses</dt>
            <dd>{skill.usesCount}</dd>
          </div>
          <div className="flex gap-1">
            <dt className="text-muted-foreground">Installs</dt>
            <dd data-testid="installs-count">{skill.installsCount}</dd>
          </div>
          <div className="flex gap-1">
            <dt className="text-muted-foreground">Rating</dt>
            <dd data-testid="rating-summary">
              {skill.ratingCount > 0 ? `${skill.ratingAvg.toFixed(1)} / 5 (${skill.ratingCount})` : 'not rated yet'}
            </dd>
          </div>
          <div className="flex gap-1">
            <dt className="text-muted-foreground">Thumbs up</dt>
            <dd data-testid="feedback-summary">
              {skill.feedbackPositive} of {skill.feedbackTotal}
            </dd>
          </div>
        </dl>
        <div className="flex flex-wrap gap-2">
          {skill.permissions.canPublishVersion ? (
            <Link href={`/skills/${slug}/edit`} className={buttonVariants({ variant: 'outline', size: 'sm' })}>
              <PencilIcon aria-hidden /> Edit (new version)
            </Link>
          ) : null}
          <Link href={`/skills/${slug}/ai-review`} className={buttonVariants({ variant: 'outline', size: 'sm' })}>
            <BotIcon aria-hidden /> AI review
          </Link>
          <Link href={`/skills/${slug}/benchmark`} className={buttonVariants({ variant: 'outline', size: 'sm' })}>
            <GaugeIcon aria-hidden /> Benchmark
          </Link>
          <FollowButton slug={slug} following={following} action={followSkillAction} />
        </div>
        {skill.fork ? (
          <p className="flex flex-wrap items-center gap-1 text-sm" data-testid="fork-lineage">
            <GitForkIcon aria-hidden className="size-4" /> Variation of{' '}
            {skill.fork.parent.deleted ? (
              <span>{skill.fork.parent.name} (deleted)</span>
            ) : (
              <Link href={`/skills/${skill.fork.parent.slug}`} className="underline underline-offset-2">
                {skill.fork.parent.name}
              </Link>
            )}{' '}
            {skill.fork.forkedFromVersion}.{' '}
            {skill.fork.newerParentVersions > 0 ? (
              <span>
                The original has {skill.fork.newerParentVersions} newer version{skill.fork.newerParentVersions === 1 ? '' : 's'} (latest{' '}
                {skill.fork.parentLatestVersion}).{' '}
                {skill.fork.parentLatestVersion && skill.latestVersion && !skill.fork.parent.deleted ? (
                  <Link
                    className="underline underline-offset-2"
                    href={`/skills/${slug}/diff?fromSlug=${skill.fork.parent.slug}&from=${skill.fork.parentLatestVersion}&to=${skill.latestVersion}`}
                  >
                    Compare with the original
                  </Link>
                ) : null}
              </span>
            ) : (
              <span>Up to date with the original.</span>
            )}
          </p>
        ) : null}
      </header>

      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="flex min-w-0 flex-col gap-6">
          <Section title="Instructions" id="instructions-heading">
            {latest ? <Markdown source={body} /> : <p className="text-sm text-muted-foreground">No version published.</p>}
            {latest && latest.warnings.length > 0 ? (
              <ul className="flex flex-col gap-1 text-xs text-muted-foreground">
                {latest.warnings.map((w, i) => (
                  <li key={i}>
                    ⚠ <code>{w.path}</code>: {w.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </Section>

          {latest ? (
            <Section title="Safety" id="safety-heading">
              <VersionSafetyPanel safety={latest.safety} />
              {latest.safety?.verdict === 'blocked' &&
              !latest.safety.override &&
              (member.role === 'admin' || (latest.safety.heldAt && member.role === 'reviewer')) ? (
                <SafetyOverrideForm slug={slug} version={latest.version} action={overrideSafetyAction} held={Boolean(latest.safety.heldAt)} />
              ) : null}
              {safetyAdmin?.opinion ? <SafetySecondOpinion slug={slug} status={safetyAdmin.opinion} action={requestSafetyOpinionAction} /> : null}
              {safetyAdmin ? <SafetyHistory entries={safetyAdmin.history} /> : null}
            </Section>
          ) : null}

          {latest ? (
            <Section title={`Files (${latest.fileCount})`} id="files-heading">
              <FileTree files={latest.files} hrefOf={(path) => `/skills/${slug}/files?path=${encodeURIComponent(path)}&version=${latest.version}`} />
            </Section>
          ) : null}

          <Section title="Versions" id="versions-heading">
            <ol className="flex flex-col gap-2 text-sm" data-testid="versions">
              {skill.versions.map((v) => (
                <li key={v.id} className="flex flex-wrap items-baseline gap-2">
                  <span className="font-medium">{v.version}</span>
                  <span className="text-muted-foreground">
                    {when(v.createdAt)} by {personName(v.publishedBy)}
                  </span>
                  {v.notes ? <span className="text-muted-foreground">— {v.notes}</span> : null}
                  {skill.permissions.canRestoreVersion && skill.latestVersion && v.version !== skill.latestVersion ? (
                    <RestoreVersionButton slug={slug} version={v.version} latest={skill.latestVersion} action={restoreVersionAction} />
                  ) : null}
                </li>
              ))}
            </ol>
            {skill.versions.length > 1 ? <VersionCompare slug={slug} versions={skill.versions.map((v) => v.version)} /> : null}
          </Section>

          <Section title="Ratings" id="ratings-heading">
            <RatingForm slug={slug} action={rateSkillAction} mine={skill.myRating} />
            {skill.ratings.length > 0 ? (
              <ul className="flex flex-col gap-2 text-sm" data-testid="ratings">
                {skill.ratings.map((r, i) => (
                  <li key={i} className="flex flex-col border-t pt-2">
                    <span className="flex items-center gap-1">
                      <StarIcon aria-hidden className="size-4 fill-amber-400 text-amber-500" /> {r.stars}/5 · {personName(r.author)} · {when(r.updatedAt)}
                    </span>
                    {r.comment ? <span className="text-muted-foreground">{r.comment}</span> : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-muted-foreground">No ratings yet.</p>
            )}
          </Section>

          <Section title="Feedback" id="feedback-heading">
            <FeedbackForm slug={slug} version={skill.latestVersion} action={submitFeedbackAction} myThumb={skill.myThumb} />
            {skill.feedback.length > 0 ? (
              <ul className="flex flex-col gap-2 text-sm" data-testid="feedback-list">
                {skill.feedback.map((f) => (
                  <li key={f.id} className="flex flex-col border-t pt-2">
                    <span className="text-xs text-muted-foreground">
                      {f.kind === 'bug_report' ? 'Bug report' : 'Suggestion'}
                      {f.version ? ` on ${f.version}` : ''} · {personName(f.author)} · {when(f.createdAt)}
                    </span>
                    <span className="whitespace-pre-wrap">{f.body}</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </Section>
        </div>

        <aside className="flex flex-col gap-6">
          <Section title="Install" id="install-heading">
            <InstallPanel slug={slug} version={skill.latestVersion} origin={origin} isPublic={skill.visibility === 'public'} />
          </Section>
          {attestation ? (
            <Section title="Provenance" id="provenance-heading">
              <ProvenancePanel slug={slug} attestation={attestation} />
            </Section>
          ) : null}
          <Section title="Usage" id="usage-heading">
            <UsageChart days={skill.usage} />
          </Section>
          <Suspense fallback={null}>
            <SimilarSkills ctx={ctx} slug={slug} />
          </Suspense>
          {skill.variations.length > 0 ? (
            <Section title="Variations" id="variations-heading">
              <ul className="flex flex-col gap-1 text-sm">
                {skill.variations.map((v) => (
                  <li key={v.slug}>
                    <Link href={`/skills/${v.slug}`} className="underline underline-offset-2">
                      {v.name}
                    </Link>{' '}
                    <span className="text-muted-foreground">by {personName(v.author)}</span>
                  </li>
                ))}
              </ul>
            </Section>
          ) : null}
          <Section title="Make it your own" id="variation-heading">
            <p className="text-sm text-muted-foreground">A variation is your own copy under a new name; it remembers this skill as its original.</p>
            <VariationForm slug={slug} action={createVariationAction} defaultName={`${slug}-variation`.slice(0, 64)} />
          </Section>
          {skill.permissions.canManage ? (
            <Section title="Manage" id="manage-heading">
              <ManageSkill slug={slug} visibility={skill.visibility} setVisibility={setVisibilityAction} remove={deleteSkillAction} />
            </Section>
          ) : null}
          {latest ? (
            <p className="flex items-center gap-1 text-xs text-muted-foreground">
              <GitCompareIcon aria-hidden className="size-3" /> content sha256 <code className="truncate">{latest.contentSha256.slice(0, 16)}…</code>
            </p>
          ) : null}
        </aside>
      </div>
    </div>
  );
}
