import type { Metadata } from 'next';
import { getReviewSettings } from '@everyskill/core/review-workflow/review-settings';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { memberCtx, requireMember } from '@/server/session';
import { submitForReviewAction } from '../actions';
import { SubmissionForm } from '../_components/submission-form';

export const metadata: Metadata = { title: 'Submit a skill for review' };

const template = `---
name: my-skill
description: What this skill does and when an agent should use it.
---

# My skill

1. Step one.
2. Step two.
`;

/** Submits a new skill, or a new version of one of yours, for review. */
export default async function NewSubmissionPage() {
  const ctx = await memberCtx(await requireMember('/reviews/new'));
  const settings = await getReviewSettings(ctx);
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-3xl font-bold tracking-tight">Submit a skill for review</h1>
      <Card>
        <CardHeader>
          <CardTitle as="h2">SKILL.md</CardTitle>
          <CardDescription>
            {settings.reviewMode === 'approval'
              ? 'An admin or reviewer sees it with Claude’s review and approves it, asks for changes or rejects it. It is published once approved. Use the name of one of your skills to submit a new version of it.'
              : 'This workspace publishes skills directly; submitting for review is not needed.'}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <SubmissionForm action={submitForReviewAction} initialSkillMd={template} submitLabel="Submit for review" />
        </CardContent>
      </Card>
    </div>
  );
}
