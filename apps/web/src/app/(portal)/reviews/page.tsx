import { InboxIcon } from '@/components/ui/icons';
import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import type { SubmissionSummary } from '@everyskill/core/review-workflow/submission-views';
import { listMySubmissions, listReviewQueue } from '@everyskill/core/review-workflow/list-review-queue';
import { listReviewNotifications } from '@everyskill/core/review-workflow/review-notifications';
import { getReviewSettings } from '@everyskill/core/review-workflow/review-settings';
import { listHeldVersions } from '@everyskill/core/skills/safety/list-held-versions';
import { EmptyState } from '@/components/empty-state';
import { ScoreBadges } from '@/components/reviews/ai-review-card';
import { AutoRefresh } from '@/components/reviews/auto-refresh';
import { Button, buttonVariants } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { memberCtx, requireMember } from '@/server/session';
import { markNotificationsReadAction } from './actions';
import { SubmissionStatusBadge } from './_components/status-badge';

export const metadata: Metadata = { title: 'Reviews' };

/** Skills waiting for review (admins and reviewers), your own submissions and what was decided on them. */
export default async function ReviewsPage() {
  const member = await requireMember('/reviews');
  const ctx = await memberCtx(member);
  const reviewer = member.role === 'admin' || member.role === 'reviewer';
  const [settings, queue, held, mine, notifications] = await Promise.all([
    getReviewSettings(ctx),
    reviewer ? listReviewQueue(ctx) : Promise.resolve([]),
    reviewer ? listHeldVersions(ctx) : Promise.resolve([]),
    listMySubmissions(ctx),
    listReviewNotifications(ctx),
  ]);
  const unread = notifications.filter((n) => !n.readAt);
  const pendingAi = [...queue, ...mine].some((s) => s.aiReview && (s.aiReview.status === 'queued' || s.aiReview.status === 'running'));
  return (
    <div className="flex flex-col gap-6">
      <AutoRefresh active={pendingAi} everyMs={3000} />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-bold tracking-tight">Reviews</h1>
        {settings.reviewMode === 'approval' ? (
          <Link href="/reviews/new" className={buttonVariants()}>
            Submit a skill for review
          </Link>
        ) : (
          <p className="text-sm text-muted-foreground">This workspace publishes skills directly, without review.</p>
        )}
      </div>

      {unread.length > 0 ? (
        <Card data-testid="review-notifications">
          <CardHeader>
            <CardTitle as="h2">{unread.length === 1 ? '1 new decision' : `${unread.length} new decisions`}</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-3">
            <ul className="flex flex-col gap-2 text-sm">
              {unread.map((n) => (
                <li key={n.id}>
                  <Link href={`/reviews/${n.submissionId}`} className="underline-offset-4 hover:underline">
                    {n.message}
                  </Link>
                </li>
              ))}
            </ul>
            <form action={markNotificationsReadAction}>
              <Button type="submit" size="sm" variant="outline">
                Mark as read
              </Button>
            </form>
          </CardContent>
        </Card>
      ) : null}

      {reviewer ? (
        <Card>
          <CardHeader>
            <CardTitle as="h2">Waiting for review</CardTitle>
            <CardDescription>Oldest first, with Claude&apos;s scores. Open one to see its diff and decide.</CardDescription>
          </CardHeader>
          <CardContent>
            {queue.length === 0 ? <p className="text-sm text-muted-foreground">Nothing waits for review.</p> : <SubmissionList items={queue} testId="review-queue" />}
          </CardContent>
        </Card>
      ) : null}

      {reviewer && (held.length > 0 || settings.safetyBlockPolicy === 'hold') ? (
        <Card>
          <CardHeader>
            <CardTitle as="h2">Held by the safety scan</CardTitle>
            <CardDescription>Published versions the safety scan blocks, withheld from agents until someone approves them on their page.</CardDescription>
          </CardHeader>
          <CardContent>
            {held.length === 0 ? (
              <p className="text-sm text-muted-foreground">No version is held.</p>
            ) : (
              <ul className="divide-y" data-testid="held-versions">
                {held.map((h) => (
                  <li key={`${h.slug}@${h.version}`} className="flex flex-col gap-1 py-3">
                    <Link href={`/skills/${h.slug}#safety-heading`} className="font-medium underline-offset-4 hover:underline">
                      {h.name} {h.version}
                    </Link>
                    <span className="text-xs text-muted-foreground">
                      {h.blocking === 1 ? '1 blocking finding' : `${h.blocking} blocking findings`} · rules {h.rulesVersion} · held since {h.heldAt.toISOString().slice(0, 10)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle as="h2">Your submissions</CardTitle>
        </CardHeader>
        <CardContent>
          {mine.length === 0 ? (
            <EmptyState icon={InboxIcon} title="You have not submitted anything" headingLevel="h3">
              {settings.reviewMode === 'approval' ? 'Skills you submit for review appear here with their status.' : 'Publish skills from the Skills page.'}
            </EmptyState>
          ) : (
            <SubmissionList items={mine} testId="my-submissions" />
          )}
        </CardContent>
      </Card>
    </div>
  );
}

function SubmissionList({ items, testId }: { items: SubmissionSummary[]; testId: string }) {
  return (
    <ul className="divide-y" data-testid={testId}>
      {items.map((s) => (
        <li key={s.id} className="flex flex-col gap-1 py-3 sm:flex-row sm:items-center sm:justify-between">
          <div className="flex flex-col gap-1">
            <Link href={`/reviews/${s.id}`} className="font-medium underline-offset-4 hover:underline">
              {s.slug}
            </Link>
            <span className="text-xs text-muted-foreground">
              {s.isNewSkill ? 'New skill' : 'New version'} · revision {s.revision} · by {s.author.name ?? s.author.email} ·{' '}
              {s.updatedAt.toISOString().slice(0, 10)}
            </span>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <ScoreBadges review={s.aiReview} />
            <SubmissionStatusBadge status={s.status} />
          </div>
        </li>
      ))}
    </ul>
  );
}
