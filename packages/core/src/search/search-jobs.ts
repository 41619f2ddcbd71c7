import { defineJob } from '@everyskill/jobs';
import { z } from 'zod';
import { embedSkills } from './embed-skills';
import { runReembedAll } from './reembed-all-skills';
import { getSearchRuntime } from './search-runtime';

/** Embeds one skill's current text with the configured model (queued by every publish). */
export const embedSkillJob = defineJob({
  name: 'search.embed-skill',
  payload: z.object({ tenantId: z.uuid(), skillId: z.uuid() }),
  // An embedding service that is down for a while gets 5 tries over about 2.5 minutes.
  retry: { retryLimit: 5, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 300 },
  handler: (payload, job) => embedSkills(job.db, getSearchRuntime(), payload.tenantId, [payload.skillId], job.signal),
});

/** An admin's "re-embed all" run (see startReembedAll). */
export const reembedAllJob = defineJob({
  name: 'search.reembed-all',
  payload: z.object({ tenantId: z.uuid(), runId: z.uuid() }),
  retry: { retryLimit: 3, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 3600 },
  handler: (payload, job) => runReembedAll(job.db, getSearchRuntime(), payload, job),
});

/** Search's job types, for the app's job registry. */
export const searchJobs = [embedSkillJob, reembedAllJob];
