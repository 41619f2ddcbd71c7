import 'server-only';
import { buildOpenApiDocument } from '@everyskill/contracts';
import { AppError } from '@everyskill/core';
import { getBuildInfo } from '../build-info';
import { readServerEnv } from '../env';
import { errorResponse, requestIdOf } from './api-response';
import { compileRoutes, serveWebRequest, type DirectRoute, type HttpMethod, type RouteTable } from './direct-dispatch';
import type { V1Operation } from './operations/operation';
import { v1Operations } from './operations/v1-operations';
import { serveOperation } from './operations/serve-operation';

// The document depends only on the configuration and the build: generated once per process.
let openApiCache: { key: string; body: string } | null = null;

/** The OpenAPI 3.1 document of /api/v1, generated from the operation table; public (it describes, it does not reveal). */
export function openApiDocumentResponse(): Response {
  const serverUrl = readServerEnv().APP_URL;
  const { version } = getBuildInfo();
  const key = `${serverUrl} ${version}`;
  if (openApiCache?.key !== key) openApiCache = { key, body: JSON.stringify(buildOpenApiDocument(v1Operations, { serverUrl, version })) };
  return new Response(openApiCache.body, {
    headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' },
  });
}

/** Every address under /api/v1: the document, and the table's operations by path, each behind the one wrapper. */
export const v1Routes: readonly DirectRoute[] = routesOf(v1Operations);

function routesOf(operations: readonly V1Operation[]): DirectRoute[] {
  const byPath = new Map<string, DirectRoute>([['/openapi.json', { pattern: '/api/v1/openapi.json', handlers: { GET: async () => openApiDocumentResponse() } }]]);
  for (const op of operations) {
    let route = byPath.get(op.path);
    if (!route) byPath.set(op.path, (route = { pattern: `/api/v1${op.path}`, handlers: {} }));
    const method = op.method.toUpperCase() as HttpMethod;
    if (route.handlers[method]) throw new Error(`two operations answer ${method} /api/v1${op.path}`);
    route.handlers[method] = serveOperation(op);
  }
  return [...byPath.values()];
}

let compiled: RouteTable | null = null;

/**
 * Next's catch-all (app/api/v1/[...path]/route.ts): what `next dev` serves, and in production what
 * the direct dispatcher leaves to Next. An address no operation has gets the API's 404 body.
 */
export async function serveV1Request(request: Request): Promise<Response> {
  const requestId = requestIdOf(request);
  compiled ??= compileRoutes(v1Routes);
  const served = await serveWebRequest(compiled, request, requestId);
  if (served) return served;
  const { pathname } = new URL(request.url);
  return errorResponse(new AppError('not_found', `there is no API operation at ${request.method} ${pathname}; see /api/v1/openapi.json`), requestId);
}
