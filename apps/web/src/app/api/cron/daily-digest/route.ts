import { cronDigestQuery } from '@everyskill/contracts';
import { parseInput } from '@everyskill/core/parse-input';
import { startDigestRun } from '@everyskill/core/digests/start-digest-run';
import { getDatabase } from '@everyskill/db';
import { cronRoute } from '../cron-route';

export const dynamic = 'force-dynamic';

/** Starts (once per day) the daily digest of the last complete UTC day, or of ?period=YYYY-MM-DD. */
const handler = cronRoute('daily-digest', async (url) => {
  const { period } = parseInput(cronDigestQuery, Object.fromEntries(url.searchParams));
  const run = await startDigestRun((await getDatabase()).db, { kind: 'daily', period });
  return { status: 202, body: run };
});

export { handler as GET, handler as POST };
