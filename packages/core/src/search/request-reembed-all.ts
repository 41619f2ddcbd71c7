import type { ReembedRunView } from '@everyskill/contracts';
import { getJobQueue } from '@everyskill/jobs';
import type { Ctx } from '../context';
import { startReembedAll } from './reembed-all-skills';
import { reembedAllJob } from './search-jobs';
import { getSearchRuntime } from './search-runtime';

/** An admin's "re-embed all" with the configured model, queued on the app's job queue. */
export async function requestReembedAll(ctx: Ctx): Promise<ReembedRunView> {
  return startReembedAll(ctx, getSearchRuntime(), async (payload) => {
    const queue = await getJobQueue();
    await queue.enqueue(reembedAllJob, payload, { singletonKey: payload.tenantId });
  });
}
