import 'server-only';
import { AppError } from '@everyskill/core';
import { consumeRateLimit, readRateLimitConfig } from '@everyskill/core/rate-limits/consume-rate-limit';
import { resolveTenantFromHost } from '@everyskill/core/tenants/resolve-tenant-from-host';
import { getDatabase, type Database } from '@everyskill/db';
import { readServerEnv } from '../env';
import { decorate, errorResponse, requestIdOf } from './api-response';

export interface HostTenantCtx {
  db: Database;
  tenantId: string;
  requestId: string;
  /** The portal's origin as the caller reached it (APP_URL's scheme, the request's host). */
  origin: string;
}

/**
 * For the /api/v1 operations that come before any key (the command's device sign-in): the tenant
 * is the request's host's, as for discovery, and each request is charged to the tenant's
 * `device:<tenant>` bucket. Errors get the API's one body.
 */
export function hostTenantRoute(handler: (request: Request, ctx: HostTenantCtx) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    const requestId = requestIdOf(request);
    try {
      const env = readServerEnv();
      const { db } = await getDatabase();
      const host = request.headers.get('host');
      const resolved = await resolveTenantFromHost(
        db,
        { host, sessionTenantId: null },
        { rootDomain: env.ROOT_DOMAIN, production: env.APP_ENV === 'production', devTenantSlug: env.DEV_TENANT_SLUG },
      );
      if (resolved.kind !== 'tenant') {
        throw new AppError('not_found', 'no workspace is served at this address; sign in at your workspace’s own address');
      }
      const limits = readRateLimitConfig();
      await consumeRateLimit(db, [{ bucket: `device:${resolved.tenant.id}`, limit: limits.API_RATE_LIMIT_PER_KEY }], limits.API_RATE_LIMIT_WINDOW_SECONDS);
      const origin = `${new URL(env.APP_URL).protocol}//${host}`;
      return decorate(await handler(request, { db, tenantId: resolved.tenant.id, requestId, origin }), requestId);
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}
