import type { ClaudeClient } from '@everyskill/ai';
import type { Mailer } from '@everyskill/email';
import { JobRegistry, withHandler } from '@everyskill/jobs';
import { aiReviewJobType } from '../ai-review/ai-review-job';
import { runAiReview } from '../ai-review/run-ai-review';
import { digestJobs } from '../digests/digests-job-definitions';
import { benchmarkJobType } from '../benchmarks/benchmark-job';
import { runBenchmark } from '../benchmarks/run-benchmark';
import { autoApproveIfScoresAllow } from '../review-workflow/auto-approve-submission';
import { searchJobs } from '../search/search-jobs';
import type { SkillBlobStore } from '../skills/skill-blob-store';
import { safetyRescanJob } from '../skills/safety/safety-jobs';
import { safetySecondOpinionJob } from '../skills/safety/safety-second-opinion';

/** What job handlers need from the process that runs them. */
export interface JobDeps {
  /** Publishing an auto-approved submission writes its bundle. */
  blobs: SkillBlobStore;
  /** Overrides the Claude client built from the environment (tests). */
  claude?: ClaudeClient | null;
  /** Overrides the mailer built from the environment (tests). */
  mailer?: Mailer;
}

/**
 * The one place the product's job types meet their handlers: every worker (the web server's and
 * `pnpm jobs:work`) runs exactly these. A new job type is declared next to its feature and added here.
 */
export function createJobRegistry(deps: JobDeps): JobRegistry {
  return new JobRegistry([
    ...searchJobs,
    withHandler(aiReviewJobType(), (payload, job) =>
      runAiReview(payload, job, {
        client: deps.claude,
        afterRevisionReviewed: async (tenantId, review) => {
          await autoApproveIfScoresAllow({ db: job.db, blobs: deps.blobs }, tenantId, review);
        },
      }),
    ),
    withHandler(benchmarkJobType(), (payload, job) => runBenchmark(payload, job, { client: deps.claude })),
    ...digestJobs({ mailer: deps.mailer }),
    safetyRescanJob({ blobs: deps.blobs }),
    safetySecondOpinionJob({ blobs: deps.blobs, client: deps.claude }),
  ]);
}
