import 'server-only';
import { AppError } from '@everyskill/core';
import { authenticateApiKey, type AuthenticatedKey } from '@everyskill/core/api-keys/authenticate-api-key';
import type { RateLimitState } from '@everyskill/core/rate-limits/consume-rate-limit';
import { consumeRateLimit, readRateLimitConfig } from '@everyskill/core/rate-limits/consume-rate-limit';
import { requireScope } from '@everyskill/core/skills/skill-access';
import { resolveTenantFromHost } from '@everyskill/core/tenants/resolve-tenant-from-host';
import { getDatabase, type Database } from '@everyskill/db';
import { readServerEnv } from '../../env';
import { decorate, errorAnswer, errorResponse, jsonAnswer, rateLimitHeaders, requestIdOf, responseOf, type ApiAnswer, type HeaderSource } from '../api-response';
import { authenticateRequest, chargeKey, keyOfRequest, type AuthenticatedRequest, type PresentedKey } from '../authenticate-request';
import type { HostOperation, KeyedReadOperation, KeyOperation, V1Operation } from './operation';

export type ApiCtx = AuthenticatedRequest['ctx'];

export interface HostTenantCtx {
  db: Database;
  tenantId: string;
  requestId: string;
  /** The portal's origin as the caller reached it (APP_URL's scheme, the request's host). */
  origin: string;
}

/** What a read that checks its own key gets: the presented key, and `admit` to call once it passed. */
export interface KeyedRead extends PresentedKey {
  requestId: string;
  /** Charges the request to the checked key's rate limits, then requires the operation's scope (throws `rate_limited`, `forbidden`). */
  admit(key: AuthenticatedKey): Promise<void>;
}

/** How the router calls an operation: the request and its decoded path parameters. */
export interface OperationHandler {
  (request: Request, params: Record<string, string>): Promise<Response>;
  /** For an operation that needs only the headers: the same answer as plain data, without Web objects. */
  answer?(headers: HeaderSource, requestId: string, params: Record<string, string>): Promise<ApiAnswer>;
}

/**
 * The one wrapper every /api/v1 operation is served through: request id, the key (or the host's
 * workspace) → ctx, rate limits, the operation's scope, checked here once, and any error mapped
 * to `{error: {code, message, details}}`.
 */
export function serveOperation(op: V1Operation): OperationHandler {
  if (op.access === 'key-in-read') return serveKeyedRead(op);
  if (op.access === 'host') return serveHostOperation(op);
  return serveKeyOperation(op);
}

function serveKeyOperation(op: KeyOperation): OperationHandler {
  return async (request, params) => {
    const requestId = requestIdOf(request);
    try {
      const { ctx, rateLimit } = await authenticateRequest(request, requestId);
      if (op.scope) requireScope(ctx, op.scope);
      return decorate(await op.handle(request, ctx, params), requestId, rateLimit);
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}

/** No key: the tenant is the request's host's, as for discovery, charged to its `device:<tenant>` bucket. */
function serveHostOperation(op: HostOperation): OperationHandler {
  return async (request, params) => {
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
      return decorate(await op.handle(request, { db, tenantId: resolved.tenant.id, requestId, origin }, params), requestId);
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}

/**
 * The read checks the key itself and calls `admit` (rate limits, then the scope) before it uses
 * anything it read; input it cannot parse is refused after the key, as for any other operation.
 */
function serveKeyedRead(op: KeyedReadOperation): OperationHandler {
  const answer = async (headers: HeaderSource, requestId: string, params: Record<string, string>): Promise<ApiAnswer> => {
    let rateLimit: RateLimitState | undefined;
    try {
      const presented = await keyOfRequest(headers);
      const admit = async (key: AuthenticatedKey) => {
        rateLimit = await chargeKey(presented.db, key);
        requireScope({ tenantId: key.tenantId, actor: key.actor, db: presented.db, requestId }, op.scope);
      };
      let input: unknown;
      try {
        input = op.input(params);
      } catch (error) {
        await admit(await authenticateApiKey(presented.db, presented.secret, { hostTenant: presented.hostTenant }));
        throw error;
      }
      const body = await op.read({ ...presented, requestId, admit }, input);
      return jsonAnswer(body, rateLimit ? { 'x-request-id': requestId, ...rateLimitHeaders(rateLimit) } : { 'x-request-id': requestId });
    } catch (error) {
      return errorAnswer(error, requestId);
    }
  };
  const handler = async (request: Request, params: Record<string, string>): Promise<Response> =>
    responseOf(await answer(request.headers, requestIdOf(request), params));
  return Object.assign(handler, { answer });
}
