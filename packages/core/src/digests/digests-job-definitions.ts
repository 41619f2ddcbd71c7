import { withHandler, type JobDefinition } from '@everyskill/jobs';
import type { Mailer } from '@everyskill/email';
import { getMailer } from './digest-mailer';
import { planDigestJobType, sendDigestJobType } from './digest-jobs';
import { planDigestRun } from './plan-digest-run';
import { sendDigest } from './send-digest';

/** Digest job types with their handlers, for the app's job registry. */
export function digestJobs(deps: { mailer?: Mailer } = {}): JobDefinition[] {
  return [
    withHandler(planDigestJobType(), (payload, job) => planDigestRun(job.db, payload.runId)),
    withHandler(sendDigestJobType(), (payload, job) => sendDigest(payload, job, { mailer: deps.mailer ?? getMailer() })),
  ];
}
