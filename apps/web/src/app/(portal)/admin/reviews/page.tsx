import type { Metadata } from 'next';
import { getAiFeatures } from '@everyskill/core/ai-review/get-ai-features';
import { getReviewSettings } from '@everyskill/core/review-workflow/review-settings';
import { getSafetyScanStatus } from '@everyskill/core/skills/safety/safety-rescans';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { getAdminCtx } from '@/server/session';
import { requestSafetyRescanAction, updateReviewSettingsAction } from './actions';
import { ReviewSettingsForm } from './_components/review-settings-form';
import { SafetyRescanButton } from './_components/safety-rescan-button';

export const metadata: Metadata = { title: 'Review settings' };

/** The workspace's review workflow and whether AI review and benchmarks are available. */
export default async function ReviewSettingsPage() {
  const ctx = await getAdminCtx('/admin/reviews');
  if (!ctx) return null; // the admin layout explains
  const [settings, safety, ai] = [await getReviewSettings(ctx), await getSafetyScanStatus(ctx), getAiFeatures()];
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
          <CardTitle as="h2">Safety scan</CardTitle>
          <CardDescription>
            Every published version is scanned for threats to agents. When the rules change, the latest version of every skill is
            rescanned in the background; a version the new rules block is withheld from agents and its author and the admins are notified.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3 text-sm">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1" data-testid="safety-scan-status">
            <dt className="text-muted-foreground">Rules</dt>
            <dd>{safety.rulesVersion}</dd>
            <dt className="text-muted-foreground">Scanned with these rules</dt>
            <dd data-testid="safety-scan-progress">
              {safety.current} of {safety.total} skills{safety.current < safety.total ? ' (rescan pending or running)' : ''}
            </dd>
            <dt className="text-muted-foreground">Withheld from agents</dt>
            <dd>
              {safety.withheld}
              {safety.held > 0 ? ` (${safety.held} held for review)` : ''}
            </dd>
          </dl>
          <SafetyRescanButton action={requestSafetyRescanAction} />
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
