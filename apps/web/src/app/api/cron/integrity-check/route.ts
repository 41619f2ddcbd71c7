import { cronIntegrityQuery } from '@everyskill/contracts';
import { parseInput } from '@everyskill/core/parse-input';
import { runIntegrityCheck } from '@everyskill/core/integrity/check-integrity';
import { getDatabase } from '@everyskill/db';
import { getBlobStore } from '@/server/api/skills-ctx';
import { cronRoute } from '../cron-route';

export const dynamic = 'force-dynamic';

/** Checks every tenant (JSON report); ?repair=true also fixes what is safe and audits it. */
const handler = cronRoute('integrity-check', async (url, requestId) => {
  const { repair } = parseInput(cronIntegrityQuery, Object.fromEntries(url.searchParams));
  const report = await runIntegrityCheck((await getDatabase()).db, {
    blobs: getBlobStore(),
    repair,
    actor: { kind: 'system', label: 'cron:integrity-check' },
    requestId,
  });
  return { status: 200, body: report };
});

export { handler as GET, handler as POST };
