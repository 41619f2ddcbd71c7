import { getJobQueue, type JobQueue } from '@everyskill/jobs';
import type { Transaction } from '@everyskill/db';
import { embedSkillJob } from './search-jobs';

export interface SkillPublishedEvent {
  tenantId: string;
  skillId: string;
}

/**
 * The publish hook: queues the skill's embedding in the publishing transaction (the job exists
 * only if the publish commits). It never throws: a queue failure is logged and the publish goes
 * on; keyword search already sees the skill, and an admin's re-embed fills the gap.
 */
export async function onSkillVersionPublished(
  tx: Transaction,
  event: SkillPublishedEvent,
  queue?: JobQueue,
): Promise<void> {
  try {
    const jobs = queue ?? (await getJobQueue());
    // A savepoint: a failed insert into the queue must not abort the publishing transaction.
    await tx.transaction((savepoint) =>
      jobs.enqueue(embedSkillJob, event, { tx: savepoint, singletonKey: event.skillId }),
    );
  } catch (error) {
    console.error(
      JSON.stringify({
        level: 'warn',
        time: new Date().toISOString(),
        msg: 'skill embedding not queued; keyword search still finds it',
        tenantId: event.tenantId,
        skillId: event.skillId,
        error: (error as Error).message,
      }),
    );
  }
}
