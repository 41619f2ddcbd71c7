import type { Metadata } from 'next';
import { getAiFeatures } from '@everyskill/core/ai-review/get-ai-features';
import { getReviewSettings } from '@everyskill/core/review-workflow/review-settings';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { getAdminCtx } from '@/server/session';
import { updateReviewSettingsAction } from './actions';
import { ReviewSettingsForm } from './_components/review-settings-form';

export const metadata: Metadata = { title: 'Review settings' };

/** The workspace's review workflow and whether AI review and benchmarks are available. */
export default async function ReviewSettingsPage() {
  const ctx = await getAdminCtx('/admin/reviews');
  if (!ctx) return null; // the admin layout explains
  const [settings, ai] = [await getReviewSettings(ctx), getAiFeatures()];
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-3xl font-bold tracking-tight">Reviews</h1>
      <Card>
        <CardHeader>
          <CardTitle as="h2">Review workflow</CardTitle>
          <CardDescription>Every decision is kept with who made it, and the author is notified.</CardDescription>
        </CardHeader>
        <CardContent>
          <ReviewSettingsForm settings={settings} aiEnabled={ai.enabled} action={updateReviewSettingsAction} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle as="h2" className="flex items-center gap-2">
            AI review and benchmarks <Badge variant={ai.enabled ? 'secondary' : 'outline'} data-testid="ai-status">{ai.enabled ? 'on' : 'off'}</Badge>
          </CardTitle>
          <CardDescription>
            {ai.enabled
              ? `Reviews by ${ai.reviewModel}; benchmarks on ${ai.benchmarkModels.join(', ')}, judged by ${ai.judgeModel}.`
              : 'Off: the server has no ANTHROPIC_API_KEY. Skills publish and work as usual, without AI scores or benchmarks.'}
          </CardDescription>
        </CardHeader>
      </Card>
    </div>
  );
}
