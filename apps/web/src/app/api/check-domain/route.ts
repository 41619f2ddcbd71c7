import { createDomainChecker, type DomainChecker } from '@everyskill/core/tenants/check-domain';
import { getDatabase } from '@everyskill/db';
import { readServerEnv } from '@/server/env';
import { logger } from '@/server/logger';

export const dynamic = 'force-dynamic';

// One checker (and so one cache) per process; rebuilt only if ROOT_DOMAIN changes.
let checker: { rootDomain: string; instance: DomainChecker } | undefined;

function getChecker(rootDomain: string): DomainChecker {
  if (checker?.rootDomain !== rootDomain) {
    checker = { rootDomain, instance: createDomainChecker(async () => (await getDatabase()).db, { rootDomain }) };
  }
  return checker.instance;
}

const STATUS = { allowed: 200, unknown: 404, malformed: 400 } as const;

/**
 * Caddy's on-demand TLS asks here before it requests a certificate for a host name:
 * 200 = ours (issue it), 404 = not ours, 400 = not a host name.
 */
export async function GET(request: Request): Promise<Response> {
  const domain = new URL(request.url).searchParams.get('domain');
  try {
    const answer = await getChecker(readServerEnv().ROOT_DOMAIN).check(domain);
    return Response.json({ domain, answer }, { status: STATUS[answer], headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    logger.error('check-domain failed', { domain, error: (error as Error).message });
    return Response.json({ domain, answer: 'unavailable' }, { status: 503, headers: { 'cache-control': 'no-store' } });
  }
}
