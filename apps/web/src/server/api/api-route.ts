import 'server-only';
import type { ApiKeyScope } from '@everyskill/contracts';
import { requireScope } from '@everyskill/core/skills/skill-access';
import { authenticateApiKey, type AuthenticatedKey } from '@everyskill/core/api-keys/authenticate-api-key';
import type { RateLimitState } from '@everyskill/core/rate-limits/consume-rate-limit';
import { authenticateRequest, chargeKey, keyOfRequest, type AuthenticatedRequest, type PresentedKey } from './authenticate-request';
import { decorate, errorAnswer, errorResponse, jsonAnswer, rateLimitHeaders, requestIdOf, responseOf, type ApiAnswer, type HeaderSource } from './api-response';

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

/** A GET handler that can also answer from the request's headers alone, which the direct dispatcher calls without building Web objects. */
export interface AnsweringHandler<P> {
  (request: Request, context: { params: Promise<P> }): Promise<Response>;
  answer(headers: HeaderSource, requestId: string, params: P): Promise<ApiAnswer>;
}

/**
 * For a read that checks the API key inside its own statement (GET a skill: one statement, where
 * apiRoute's key lookup and tenant transaction would be three more round trips). The read must
 * check the key (checkApiKeyRow) and call `admit` (rate limits, then `scope`) before it uses
 * anything it read; what it returns is the JSON body. Input the route cannot parse is refused
 * after the key, as apiRoute would. The read only needs headers, so the handler also answers
 * without Web objects (`answer`), which is how the direct dispatcher serves it.
 */
export function apiReadRoute<P extends RouteParams, I>(
  options: { scope: ApiKeyScope; input: (params: P) => I },
  read: (keyed: KeyedRead, input: I) => Promise<unknown>,
): AnsweringHandler<P> {
  const answer = async (headers: HeaderSource, requestId: string, params: P): Promise<ApiAnswer> => {
    let rateLimit: RateLimitState | undefined;
    try {
      const presented = await keyOfRequest(headers);
      const admit = async (key: AuthenticatedKey) => {
        rateLimit = await chargeKey(presented.db, key);
        requireScope({ tenantId: key.tenantId, actor: key.actor, db: presented.db, requestId }, options.scope);
      };
      let input: I;
      try {
        input = options.input(params);
      } catch (error) {
        await admit(await authenticateApiKey(presented.db, presented.secret, { hostTenant: presented.hostTenant }));
        throw error;
      }
      const body = await read({ ...presented, requestId, admit }, input);
      return jsonAnswer(body, rateLimit ? { 'x-request-id': requestId, ...rateLimitHeaders(rateLimit) } : { 'x-request-id': requestId });
    } catch (error) {
      return errorAnswer(error, requestId);
    }
  };
  const handler = async (request: Request, context: { params: Promise<P> }): Promise<Response> =>
    responseOf(await answer(request.headers, requestIdOf(request), await context.params));
  return Object.assign(handler, { answer });
}
