import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { notFound } from 'next/navigation';
import { isAppError } from '@everyskill/core';
import { getAiReview } from '@everyskill/core/ai-review/get-ai-review';
import { AiReviewCard } from '@/components/reviews/ai-review-card';
import { AutoRefresh } from '@/components/reviews/auto-refresh';
import { memberCtx, requireMember } from '@/server/session';
import { requestAiReviewAction, setAiReviewHiddenAction } from './actions';
import { AiReviewControls } from './ai-review-controls';

export const metadata: Metadata = { title: 'AI review' };

/** Claude's review of a skill's version (its latest, or ?version=), with re-review and hiding for its author. */
export default async function SkillAiReviewPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ version?: string }> }) {
  const { slug } = await params;
  const { version } = await searchParams;
  const member = await requireMember(`/skills/${slug}/ai-review`);
  const panel = await getAiReview(await memberCtx(member), { slug, version }).catch((error: unknown) => {
    if (isAppError(error) && (error.code === 'not_found' || error.code === 'invalid_input')) notFound();
    throw error;
  });
  const busy = panel.review?.status === 'queued' || panel.review?.status === 'running';
  return (
    <div className="flex flex-col gap-4">
      <AutoRefresh active={busy} />
      <div className="flex flex-col gap-1">
        <Link href={`/skills/${slug}`} className="text-sm text-muted-foreground underline-offset-4 hover:underline">
          ← {slug}
        </Link>
        <h1 className="text-3xl font-bold tracking-tight">
          AI review of {slug} {panel.version.version}
        </h1>
      </div>
      <AiReviewCard review={panel.review} features={panel.features} hiddenFromMe={panel.hiddenFromMe} />
      {panel.canManage && panel.features.enabled ? (
        <AiReviewControls
          slug={slug}
          version={panel.version.version}
          hidden={panel.review?.hidden ?? false}
          canHide={panel.review !== null && panel.canHide}
          busy={busy}
          requestAction={requestAiReviewAction}
          hideAction={setAiReviewHiddenAction}
        />
      ) : null}
      <p>
        <Link href={`/skills/${slug}/benchmark`} className="text-sm underline-offset-4 hover:underline">
          Benchmark this skill →
        </Link>
      </p>
    </div>
  );
}
