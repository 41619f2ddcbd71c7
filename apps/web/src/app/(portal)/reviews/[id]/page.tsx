import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { notFound } from 'next/navigation';
import { isAppError } from '@everyskill/core';
import { getAiFeatures } from '@everyskill/core/ai-review/get-ai-features';
import { getSubmission } from '@everyskill/core/review-workflow/get-submission';
import { AiReviewCard } from '@/components/reviews/ai-review-card';
import { AutoRefresh } from '@/components/reviews/auto-refresh';
import { DiffView } from '@/components/reviews/diff-view';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { memberCtx, requireMember } from '@/server/session';
import { decideAction, submitForReviewAction } from '../actions';
import { DecisionForm } from '../_components/decision-form';
import { SubmissionStatusBadge } from '../_components/status-badge';
import { SubmissionForm } from '../_components/submission-form';

export const metadata: Metadata = { title: 'Submission' };

const decisionLabels: Record<string, string> = {
  submitted: 'submitted',
  revised: 'revised',
  approved: 'approved',
  auto_approved: 'approved automatically',
  changes_requested: 'requested changes',
  rejected: 'rejected',
  withdrawn: 'withdrew',
};

/** One submission: Claude's review, the diff to the published version and to the last revision, the history, and the decision. */
export default async function SubmissionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await memberCtx(await requireMember(`/reviews/${id}`));
  const submission = await getSubmission(ctx, { submissionId: id }).catch((error: unknown) => {
    if (isAppError(error) && (error.code === 'not_found' || error.code === 'invalid_input')) notFound();
    throw error;
  });
  const reviewing = submission.aiReview?.status === 'queued' || submission.aiReview?.status === 'running';
  return (
    <div className="flex flex-col gap-6">
      <AutoRefresh active={reviewing} />
      <div className="flex flex-col gap-2">
        <h1 className="flex flex-wrap items-center gap-3 text-3xl font-bold tracking-tight">
          {submission.slug} <SubmissionStatusBadge status={submission.status} />
        </h1>
        <p className="text-sm text-muted-foreground">
          {submission.isNewSkill ? 'A new skill' : `A new version (published: ${submission.publishedVersion ?? '—'})`} · revision {submission.revision} · by{' '}
          {submission.author.name ?? submission.author.email}
        </p>
        {submission.notes ? <p className="text-sm">Notes: {submission.notes}</p> : null}
        {submission.publishedAs ? (
          <p className="text-sm" data-testid="published-as">
            Published as{' '}
            <Link href={`/skills/${submission.slug}`} className="font-medium underline underline-offset-4">
              {submission.slug} {submission.publishedAs}
            </Link>
            .
          </p>
        ) : null}
      </div>

      <AiReviewCard review={submission.aiReview} features={getAiFeatures()} />

      {submission.canDecide ? (
        <Card>
          <CardHeader>
            <CardTitle as="h2">Your decision</CardTitle>
            <CardDescription>Approving publishes this revision in the author&apos;s name.</CardDescription>
          </CardHeader>
          <CardContent>
            <DecisionForm submissionId={submission.id} action={decideAction} />
          </CardContent>
        </Card>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle as="h2">Changes</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          {submission.isNewSkill ? (
            <p className="text-sm text-muted-foreground">A new skill: there is no published version to compare with.</p>
          ) : submission.diffToPublished ? (
            <div className="flex flex-col gap-1">
              <h3 className="text-sm font-medium">Against the published version {submission.publishedVersion}</h3>
              <DiffView diff={submission.diffToPublished} label="Diff to the published version" testId="diff-to-published" />
            </div>
          ) : (
            <p className="text-sm text-muted-foreground">SKILL.md is the same as the published version.</p>
          )}
          {submission.diffToPreviousRevision ? (
            <div className="flex flex-col gap-1">
              <h3 className="text-sm font-medium">Against revision {submission.revision - 1}</h3>
              <DiffView diff={submission.diffToPreviousRevision} label="Diff to the previous revision" testId="diff-to-previous" />
            </div>
          ) : null}
        </CardContent>
      </Card>

      {submission.canRevise ? (
        <Card>
          <CardHeader>
            <CardTitle as="h2">Revise</CardTitle>
            <CardDescription>Submitting again adds a revision and puts it back in the review queue.</CardDescription>
          </CardHeader>
          <CardContent>
            <SubmissionForm action={submitForReviewAction} initialSkillMd={submission.skillMd} submitLabel="Submit revision" />
          </CardContent>
        </Card>
      ) : (
        <Card>
          <CardHeader>
            <CardTitle as="h2">SKILL.md (revision {submission.revision})</CardTitle>
          </CardHeader>
          <CardContent>
            <pre tabIndex={0} className="max-h-[32rem] overflow-auto rounded-lg border bg-muted/40 p-3 text-xs whitespace-pre-wrap">{submission.skillMd}</pre>
          </CardContent>
        </Card>
      )}

      <Card>
        <CardHeader>
          <CardTitle as="h2">History</CardTitle>
        </CardHeader>
        <CardContent>
          <ol className="flex flex-col gap-2 text-sm" data-testid="review-history">
            {submission.decisions.map((d, i) => (
              <li key={i}>
                <span className="font-medium">{d.actor}</span> {decisionLabels[d.decision] ?? d.decision} (revision {d.revision}) ·{' '}
                <span className="text-muted-foreground">{d.at.toISOString().slice(0, 16).replace('T', ' ')} UTC</span>
                {d.comment ? <p className="text-muted-foreground">“{d.comment}”</p> : null}
              </li>
            ))}
          </ol>
        </CardContent>
      </Card>
    </div>
  );
}
