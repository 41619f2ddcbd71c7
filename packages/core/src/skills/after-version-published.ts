import type { Transaction } from '@everyskill/db';
import type { JobQueue } from '@everyskill/jobs';
import { queueAiReviewOfNewVersion } from '../ai-review/queue-ai-review';
import { onSkillVersionPublished } from '../search/on-skill-version-published';
import { queueSafetySecondOpinionIfFlagged } from './safety/safety-second-opinion';
import type { VersionPublishedEvent } from './skill-blob-store';

/**
 * The one publish hook of the app (portal, REST, MCP, review approvals, seed): in the publishing
 * transaction, queues the skill's search embedding and, when AI is on, Claude's review of the new
 * version and, for a version the safety rules flag, Claude's safety second opinion. None can fail
 * the publish; the jobs exist only if the publish commits.
 */
export async function afterVersionPublished(tx: Transaction, event: VersionPublishedEvent, queue?: JobQueue): Promise<void> {
  await onSkillVersionPublished(tx, { tenantId: event.tenantId, skillId: event.skillId }, queue);
  await queueAiReviewOfNewVersion(tx, event, queue);
  await queueSafetySecondOpinionIfFlagged(tx, event, queue);
}
