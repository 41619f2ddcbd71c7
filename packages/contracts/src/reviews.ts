import { z } from 'zod';
import { skillSlug } from './skills';

/** Which version of a skill: its latest unless a version number is given. */
export const skillVersionRef = z.object({ slug: skillSlug, version: z.string().trim().min(1).max(100).optional() });

/** Ask Claude to (re-)review a version. */
export const requestAiReviewInput = skillVersionRef;

/** Hide a version's AI review from everyone but its author, admins and reviewers (or show it again). */
export const setAiReviewHiddenInput = skillVersionRef.extend({ hidden: z.boolean() });

export const reviewModeSchema = z.enum(['direct', 'approval'], { error: "review mode must be 'direct' or 'approval'" });
export type ReviewModeInput = z.infer<typeof reviewModeSchema>;

/** A workspace's review workflow: publish directly, or only after approval (optionally automatic). */
export const updateReviewSettingsInput = z
  .object({
    reviewMode: reviewModeSchema,
    autoApproveThreshold: z
      .number({ error: 'the auto-approve threshold must be a whole number from 1 to 10, or empty' })
      .int('the auto-approve threshold must be a whole number from 1 to 10, or empty')
      .min(1, 'the auto-approve threshold must be from 1 to 10')
      .max(10, 'the auto-approve threshold must be from 1 to 10')
      .nullable(),
    /** What a blocking safety finding does; unchanged when left out. */
    safetyBlockPolicy: z.enum(['refuse', 'hold'], { error: "the safety policy must be 'refuse' or 'hold'" }).optional(),
  })
  .strict();

/** Submit a skill (or a new version of one) for review, as SKILL.md text. */
export const submitSkillForReviewInput = z.object({
  skillMd: z.string().min(1, 'SKILL.md is empty').max(200_000, 'SKILL.md is longer than 200 000 characters'),
  notes: z.string().trim().max(2000, 'notes are longer than 2000 characters').optional(),
});

export const submissionIdInput = z.object({ submissionId: z.uuid({ error: 'submission id must be a uuid' }) });

export const reviewDecisionSchema = z.enum(['approve', 'request_changes', 'reject'], {
  error: "decision must be 'approve', 'request_changes' or 'reject'",
});

/** A reviewer's decision; asking for changes or rejecting needs a comment saying why. */
export const decideSubmissionInput = submissionIdInput
  .extend({
    decision: reviewDecisionSchema,
    comment: z.string().trim().max(5000, 'the comment is longer than 5000 characters').optional(),
  })
  .refine((v) => v.decision === 'approve' || (v.comment?.length ?? 0) > 0, {
    message: 'say what should change (or why it is rejected) in the comment',
    path: ['comment'],
  });

const benchmarkText = (what: string, max: number) =>
  z.string().trim().min(1, `${what} is empty`).max(max, `${what} is longer than ${max} characters`);

export const BENCHMARK_MAX_TASKS = 5;

/** Up to 5 test tasks, each with the outcome a good answer achieves. */
export const startBenchmarkInput = z.object({
  slug: skillSlug,
  tasks: z
    .array(z.object({ task: benchmarkText('a task', 4000), expectedOutcome: benchmarkText('an expected outcome', 2000) }).strict())
    .min(1, 'give at least one test task')
    .max(BENCHMARK_MAX_TASKS, `give at most ${BENCHMARK_MAX_TASKS} test tasks`),
});

export const benchmarkRunRef = z.object({ slug: skillSlug, runId: z.uuid({ error: 'run id must be a uuid' }) });

export const jobStateSchema = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);
export const listJobsInput = z.object({ state: jobStateSchema.optional() });
export const jobIdInput = z.object({ jobId: z.uuid({ error: 'job id must be a uuid' }) });
