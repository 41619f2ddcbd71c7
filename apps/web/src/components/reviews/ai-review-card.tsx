import { BotIcon } from '@/components/ui/icons';
import type { AiReviewView } from '@everyskill/core/ai-review/ai-review-views';
import type { AiFeatures } from '@everyskill/core/ai-review/get-ai-features';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';

const criteria = [
  ['quality', 'Quality'],
  ['clarity', 'Clarity'],
  ['completeness', 'Completeness'],
] as const;

/** Claude's 1-10 scores, compact, for lists. */
export function ScoreBadges({ review }: { review: AiReviewView | null }) {
  if (!review) return <span className="text-xs text-muted-foreground">No AI review</span>;
  if (!review.scores) return <Badge variant="outline">AI review {statusLabel(review)}</Badge>;
  return (
    <span className="flex flex-wrap gap-1" data-testid="ai-scores">
      {criteria.map(([key, label]) => (
        <Badge key={key} variant="secondary">
          {label} {review.scores![key]}/10
        </Badge>
      ))}
    </span>
  );
}

function statusLabel(review: AiReviewView): string {
  if (review.status === 'queued') return review.error ? 'retrying' : 'queued';
  return review.status;
}

/** The full AI review: status, scores with suggestions, summary and a suggested description. */
export function AiReviewCard({ review, features, hiddenFromMe = false }: { review: AiReviewView | null; features: AiFeatures; hiddenFromMe?: boolean }) {
  return (
    <Card data-testid="ai-review">
      <CardHeader>
        <CardTitle as="h2" className="flex items-center gap-2">
          <BotIcon className="size-5" aria-hidden /> AI review
          {review ? <Badge variant={review.status === 'failed' ? 'destructive' : 'outline'} data-testid="ai-review-status">{statusLabel(review)}</Badge> : null}
          {review?.hidden ? <Badge variant="outline">hidden from others</Badge> : null}
        </CardTitle>
        <CardDescription>
          {review
            ? `By ${review.model}${review.completedAt ? ` on ${review.completedAt.toISOString().slice(0, 10)}` : ''}; reviewed content ${review.contentSha256.slice(0, 12)}.`
            : features.enabled
              ? `Claude (${features.reviewModel}) reviews every new version.`
              : 'AI review is off: this server has no ANTHROPIC_API_KEY configured.'}
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm">
        {hiddenFromMe ? <p>The author has hidden this review.</p> : null}
        {!review && !hiddenFromMe ? (
          <p className="text-muted-foreground" data-testid="ai-review-empty">
            {features.enabled ? 'No review yet.' : 'Nothing to show while AI review is off.'}
          </p>
        ) : null}
        {review && (review.status === 'queued' || review.status === 'running') ? (
          <p role="status">
            {review.status === 'running' ? 'Claude is reviewing this now…' : 'Waiting for a worker…'}
            {review.error ? ` ${review.error}` : ''}
          </p>
        ) : null}
        {review?.status === 'failed' ? (
          <p role="alert" className="text-destructive" data-testid="ai-review-error">
            The review failed: {review.error}
          </p>
        ) : null}
        {review?.result && review.scores ? (
          <>
            <dl className="grid gap-3 sm:grid-cols-3">
              {criteria.map(([key, label]) => (
                <div key={key} className="rounded-lg border p-3">
                  <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
                  <dd className="text-2xl font-semibold" data-testid={`ai-score-${key}`}>
                    {review.scores![key]}
                    <span className="text-sm font-normal text-muted-foreground">/10</span>
                  </dd>
                  <dd>
                    <ul className="mt-1 list-disc pl-4 text-xs text-muted-foreground">
                      {review.result![key].suggestions.map((s, i) => (
                        <li key={i}>{s}</li>
                      ))}
                    </ul>
                  </dd>
                </div>
              ))}
            </dl>
            <div>
              <h3 className="font-medium">Summary</h3>
              <p data-testid="ai-review-summary">{review.result.summary}</p>
            </div>
            <div>
              <h3 className="font-medium">Suggested description</h3>
              <p className="text-muted-foreground">{review.result.suggestedDescription}</p>
            </div>
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}
