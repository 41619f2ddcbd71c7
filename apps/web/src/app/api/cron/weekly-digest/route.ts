import { cronDigestQuery } from '@everyskill/contracts';
import { parseInput } from '@everyskill/core/parse-input';
import { startDigestRun } from '@everyskill/core/digests/start-digest-run';
import { getDatabase } from '@everyskill/db';
import { cronRoute } from '../cron-route';

export const dynamic = 'force-dynamic';

/** Starts (once per week) the weekly digest of the last complete ISO week (UTC), or of ?period=YYYY-Www. */
const handler = cronRoute('weekly-digest', async (url) => {
  const { period } = parseInput(cronDigestQuery, Object.fromEntries(url.searchParams));
  const run = await startDigestRun((await getDatabase()).db, { kind: 'weekly', period });
  return { status: 202, body: run };
});

export { handler as GET, handler as POST };
