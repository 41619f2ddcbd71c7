import 'server-only';
import type { ApiKeyScope } from '@everyskill/contracts';
import { requireScope } from '@everyskill/core/skills/skill-access';
import { authenticateApiKey, type AuthenticatedKey } from '@everyskill/core/api-keys/authenticate-api-key';
import type { RateLimitState } from '@everyskill/core/rate-limits/consume-rate-limit';
import { authenticateRequest, chargeKey, keyOfRequest, type AuthenticatedRequest, type PresentedKey } from './authenticate-request';
import { decorate, errorResponse, requestIdOf } from './api-response';

export type ApiCtx = AuthenticatedRequest['ctx'];

type RouteParams = Record<string, string | string[] | undefined>;
type Handler<P extends RouteParams> = (request: Request, ctx: ApiCtx, params: P) => Promise<Response>;

/**
 * The one wrapper every `/api/v1` handler goes through: request id, bearer key → ctx (tenant from
 * the key), rate limits, the route's scope, and any error mapped to `{error: {code, message, details}}`.
 */
export function apiRoute<P extends RouteParams = Record<string, never>>(options: { scope?: ApiKeyScope }, handler: Handler<P>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = requestIdOf(request);
    try {
      const { ctx, rateLimit } = await authenticateRequest(request, requestId);
      if (options.scope) requireScope(ctx, options.scope);
      return decorate(await handler(request, ctx, await context.params), requestId, rateLimit);
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}

/** What a read that checks its own key gets: the presented key, and `admit` to call once it passed. */
export interface KeyedRead extends PresentedKey {
  requestId: string;
  /** Charges the request to the checked key's rate limits, then requires the route's scope (throws `rate_limited`, `forbidden`). */
  admit(key: AuthenticatedKey): Promise<void>;
}

/**
 * For a read that checks the API key inside its own statement (GET a skill: one statement, where
 * apiRoute's key lookup and tenant transaction would be three more round trips). The read must
 * check the key (checkApiKeyRow) and call `admit` (rate limits, then `scope`) before it uses
 * anything it read. Input the route cannot parse is refused after the key, as apiRoute would.
 */
export function apiReadRoute<P extends RouteParams, I>(
  options: { scope: ApiKeyScope; input: (params: P) => I },
  read: (keyed: KeyedRead, input: I) => Promise<Response>,
) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = requestIdOf(request);
    let rateLimit: RateLimitState | undefined;
    try {
      const presented = await keyOfRequest(request);
      const admit = async (key: AuthenticatedKey) => {
        rateLimit = await chargeKey(presented.db, key);
        requireScope({ tenantId: key.tenantId, actor: key.actor, db: presented.db, requestId }, options.scope);
      };
      let input: I;
      try {
        input = options.input(await context.params);
      } catch (error) {
        await admit(await authenticateApiKey(presented.db, presented.secret, { hostTenant: presented.hostTenant }));
        throw error;
      }
      return decorate(await read({ ...presented, requestId, admit }, input), requestId, rateLimit);
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}
