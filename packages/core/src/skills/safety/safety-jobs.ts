import { defineJobType, withHandler } from '@everyskill/jobs';
import { z } from 'zod';
import type { SkillBlobStore } from '../skill-blob-store';
import { rescanSkillSafety } from './rescan-skill-safety';

/** Rescans a tenant's latest versions under the current rules; queued with the tenant as singleton key. */
export const safetyRescanJobType = defineJobType({
  name: 'safety.rescan-tenant',
  payload: z.object({ tenantId: z.uuid() }),
  // Retries are safe: versions already scanned with the current rules are skipped.
  retry: { retryLimit: 3, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 3600 },
});

/** The rescan job with its handler: a batch per call until no version is left with older rules. */
export function safetyRescanJob(deps: { blobs: SkillBlobStore }) {
  return withHandler(safetyRescanJobType, async (payload, job) => {
    let result = await rescanSkillSafety(job.db, deps.blobs, payload.tenantId);
    while (result.remaining > 0 && !job.signal?.aborted) result = await rescanSkillSafety(job.db, deps.blobs, payload.tenantId);
  });
}
