import { AppError } from '@everyskill/core';
import { errorResponse, requestIdOf } from '@/server/api/api-response';

export const dynamic = 'force-dynamic';

/**
 * Any /api/v1 address no operation has: answered in the API's one error body (not the portal's HTML
 * 404 page), so a client reading `error.code` can tell a wrong path from a missing skill.
 */
function noSuchOperation(request: Request): Response {
  const { pathname } = new URL(request.url);
  return errorResponse(
    new AppError('not_found', `there is no API operation at ${request.method} ${pathname}; see /api/v1/openapi.json`),
    requestIdOf(request),
  );
}

export { noSuchOperation as GET, noSuchOperation as POST, noSuchOperation as PUT, noSuchOperation as PATCH, noSuchOperation as DELETE };
