import 'server-only';
import type { ApiKeyScope } from '@everyskill/contracts';
import { requireScope } from '@everyskill/core/skills/skill-access';
import { authenticateRequest, type AuthenticatedRequest } from './authenticate-request';
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
