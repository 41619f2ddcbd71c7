import 'server-only';
import { AppError, isAppError } from '@everyskill/core';
import { consumeRateLimit, readRateLimitConfig } from '@everyskill/core/rate-limits/consume-rate-limit';
import { resolveTenantFromHost } from '@everyskill/core/tenants/resolve-tenant-from-host';
import { getDatabase, type Database } from '@everyskill/db';
import { readServerEnv } from '../env';
import { logger } from '../logger';
import { errorResponse, ifNoneMatchHits, requestIdOf } from './api-response';
import { getBlobStore } from './skills-ctx';
import type { BlobStore } from '@everyskill/storage';

const notFound = () => new AppError('not_found', 'no such skill here; see /.well-known/agent-skills/index.json');

/** Headers every discovery answer carries: public content, cacheable, readable from any origin. */
export const discoveryHeaders = (contentType: string, maxAge: number): Record<string, string> => ({
  'content-type': contentType,
  'cache-control': `public, max-age=${maxAge}`,
  'access-control-allow-origin': '*',
});

/**
 * Runs a discovery handler for the tenant of the request's host (anonymous: the `skills` CLI
 * sends no key), charged to that tenant's discovery rate limit. GET and HEAD share it; HEAD
 * drops the body; an If-None-Match naming the answer's ETag gets 304. Unknown hosts and names are 404.
 */
export async function serveDiscovery(
  request: Request,
  handle: (args: { db: Database; blobs: BlobStore; tenantId: string }) => Promise<Response | null>,
): Promise<Response> {
  const requestId = requestIdOf(request);
  try {
    const env = readServerEnv();
    const { db } = await getDatabase();
    const resolved = await resolveTenantFromHost(
      db,
      { host: request.headers.get('host'), sessionTenantId: null },
      { rootDomain: env.ROOT_DOMAIN, production: env.APP_ENV === 'production', devTenantSlug: env.DEV_TENANT_SLUG },
    );
    if (resolved.kind !== 'tenant') throw notFound();
    const limits = readRateLimitConfig();
    await consumeRateLimit(
      db,
      [{ bucket: `discovery:${resolved.tenant.id}`, limit: limits.API_RATE_LIMIT_PER_TENANT }],
      limits.API_RATE_LIMIT_WINDOW_SECONDS,
    );
    const response = await handle({ db, blobs: getBlobStore(), tenantId: resolved.tenant.id });
    if (!response) throw notFound();
    response.headers.set('x-request-id', requestId);
    // A cache (or the CLI) that already holds this version gets 304 and no body.
    const etag = response.headers.get('etag');
    if (etag && ifNoneMatchHits(request.headers.get('if-none-match'), etag)) {
      await response.body?.cancel();
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(null, { status: 304, headers });
    }
    return request.method === 'HEAD' ? new Response(null, { status: response.status, headers: response.headers }) : response;
  } catch (error) {
    if (!isAppError(error)) logger.error('discovery request failed', { requestId, error: (error as Error).message });
    const response = errorResponse(error, requestId);
    return request.method === 'HEAD' ? new Response(null, { status: response.status, headers: response.headers }) : response;
  }
}
