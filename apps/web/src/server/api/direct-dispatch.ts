import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '@everyskill/core';
import { logger } from '../logger';
import { errorResponse, type ApiAnswer, type HeaderSource } from './api-response';
import { sendAnswer, sendWebResponse } from './send-web-response';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** How the router calls a method of an address: the request and its decoded path parameters. */
export interface RouteHandler {
  (request: Request, params: Record<string, string>): Response | Promise<Response>;
  /** For a handler that needs only the headers: the same answer as plain data, which the dispatcher writes without Web objects. */
  answer?(headers: HeaderSource, requestId: string, params: Record<string, string>): Promise<ApiAnswer>;
}

/** An address the router serves: its path template (`/api/v1/skills/{ref}`) and a handler per method. */
export interface DirectRoute {
  pattern: string;
  handlers: Partial<Record<HttpMethod, RouteHandler>>;
}

/**
 * Serves a request itself and returns true, or returns false and leaves it to Next. Until the
 * route table has loaded it takes every /api/v1 request, and hands the ones no route matches to
 * `toNext` once it knows.
 */
export type DirectDispatch = (req: IncomingMessage, res: ServerResponse, requestId: string, toNext: () => void) => boolean;

interface CompiledRoute {
  route: DirectRoute;
  /** null for a path without dynamic segments (looked up by exact path). */
  regex: RegExp | null;
  paramNames: string[];
  allow: string;
}

export interface RouteTable {
  exact: Map<string, CompiledRoute>;
  dynamic: CompiledRoute[];
}

interface Match {
  compiled: CompiledRoute;
  /** null when a segment is not valid percent-encoding (answered 400). */
  params: Record<string, string> | null;
}

const PREFIX = '/api/v1/';
const DYNAMIC_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
// `.` and `..` are left to Next, which normalises them away (another route, or a redirect).
const PARAM_SOURCE = '((?!\\.\\.?(?:/|$))[^/]+)';
const EMPTY_TABLE: RouteTable = { exact: new Map(), dynamic: [] };

/** The dispatcher for `loadRoutes`' table, loaded on the first /api/v1 request (or never, when none comes). */
export function createDirectDispatcher(loadRoutes: () => Promise<readonly DirectRoute[]>): DirectDispatch {
  let table: RouteTable | null = null;
  let loading: Promise<RouteTable> | null = null;
  const load = async (): Promise<RouteTable> => {
    try {
      table = compileRoutes(await loadRoutes());
    } catch (error) {
      // Next still serves every route: this path only makes them faster.
      logger.error('the /api/v1 route table did not load; Next serves /api/v1', { error: error instanceof Error ? error.message : String(error) });
      table = EMPTY_TABLE;
    }
    return table;
  };

  return function serveDirectly(req, res, requestId, toNext) {
    const url = req.url;
    if (url === undefined || !url.startsWith(PREFIX)) return false;
    if (table) {
      const match = matchRoute(table, url);
      if (!match) return false;
      void serve(req, res, requestId, match);
      return true;
    }
    loading ??= load();
    void loading.then((loaded) => {
      const match = matchRoute(loaded, url);
      if (match) return serve(req, res, requestId, match);
      try {
        toNext();
      } catch (error) {
        void sendSafely(req, res, errorResponse(error, requestId), false);
      }
    });
    return true;
  };
}

/** Precompiles the patterns: exact paths in a map, dynamic ones as anchored expressions. */
export function compileRoutes(routes: readonly DirectRoute[]): RouteTable {
  const table: RouteTable = { exact: new Map(), dynamic: [] };
  for (const route of routes) {
    if (!route.pattern.startsWith(PREFIX)) throw new Error(`route ${route.pattern} is not under ${PREFIX}`);
    const paramNames: string[] = [];
    const source = route.pattern
      .split('/')
      .map((segment) => {
        const name = DYNAMIC_SEGMENT.exec(segment)?.[1];
        if (name) {
          paramNames.push(name);
          return PARAM_SOURCE;
        }
        if (/[{}[\]]/.test(segment)) throw new Error(`route ${route.pattern}: only {name} segments are supported, not '${segment}'`);
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    const compiled: CompiledRoute = { route, regex: paramNames.length ? new RegExp(`^${source}$`) : null, paramNames, allow: allowOf(route.handlers) };
    if (compiled.regex) table.dynamic.push(compiled);
    else table.exact.set(route.pattern, compiled);
  }
  return table;
}

/** The route a request target names (query string ignored), exact paths before dynamic ones, as Next does. */
function matchRoute(table: RouteTable, url: string): Match | null {
  const query = url.indexOf('?');
  const pathname = query === -1 ? url : url.slice(0, query);
  const exact = table.exact.get(pathname);
  if (exact) return { compiled: exact, params: {} };
  for (const compiled of table.dynamic) {
    const found = compiled.regex!.exec(pathname);
    if (!found) continue;
    const params: Record<string, string> = {};
    for (let i = 0; i < compiled.paramNames.length; i++) {
      const value = decodeSegment(found[i + 1]!);
      if (value === null) return { compiled, params: null };
      params[compiled.paramNames[i]!] = value;
    }
    return { compiled, params };
  }
  return null;
}

function decodeSegment(raw: string): string | null {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** The `Allow` of an address: its methods, HEAD with GET, and OPTIONS, sorted (as Next answered). */
function allowOf(handlers: DirectRoute['handlers']): string {
  const allowed = new Set<string>(HTTP_METHODS.filter((method) => handlers[method]));
  if (allowed.has('GET')) allowed.add('HEAD');
  allowed.add('OPTIONS');
  return [...allowed].sort().join(', ');
}

/**
 * What a matched request gets: its operation's handler (GET's for HEAD), or an answer of the
 * router's own: OPTIONS 204 with Allow, 405 with Allow, 400 for a malformed escape in the path.
 */
function routed({ compiled, params }: Match, method: string, pathname: string, requestId: string): { handler: RouteHandler; params: Record<string, string> } | Response {
  const handlers = compiled.route.handlers;
  const handler = handlers[method as HttpMethod] ?? (method === 'HEAD' ? handlers.GET : undefined);
  if (!handler) {
    return method === 'OPTIONS' ? new Response(null, { status: 204, headers: { allow: compiled.allow, 'x-request-id': requestId } }) : methodNotAllowed(method, pathname, compiled.allow, requestId);
  }
  if (params === null) {
    return errorResponse(new AppError('invalid_input', `the path '${pathname}' is not valid: a '%' must start an escape such as %40`), requestId);
  }
  return { handler, params };
}

async function serve(req: IncomingMessage, res: ServerResponse, requestId: string, match: Match): Promise<void> {
  const method = req.method ?? 'GET';
  const headOnly = method === 'HEAD';
  try {
    const target = routed(match, method, req.url!.split('?')[0]!, requestId);
    if (target instanceof Response) {
      await sendWebResponse(req, res, target, headOnly);
    } else if (target.handler.answer) {
      // Reads that need only the headers: no Web Request or Response is built.
      await sendAnswer(req, res, await target.handler.answer(nodeHeaders(req), requestId, target.params), headOnly);
    } else {
      await sendWebResponse(req, res, await target.handler(toWebRequest(req, res, method, requestId), target.params), headOnly);
    }
  } catch (error) {
    await sendSafely(req, res, errorResponse(error, requestId), headOnly);
  }
}

/**
 * The same routing for a Web Request (Next's catch-all, under `next dev` and for what the direct
 * dispatcher leaves to Next); null when no route matches. HEAD answers GET's headers only.
 */
export async function serveWebRequest(table: RouteTable, request: Request, requestId: string): Promise<Response | null> {
  const { pathname, search } = new URL(request.url);
  const match = matchRoute(table, pathname + search);
  if (!match) return null;
  const target = routed(match, request.method, pathname, requestId);
  const response = target instanceof Response ? target : await target.handler(request, target.params);
  return request.method === 'HEAD' ? new Response(null, { status: response.status, headers: response.headers }) : response;
}

/** Sends an error answer unless the response has started, in which case the connection is cut. */
async function sendSafely(req: IncomingMessage, res: ServerResponse, response: Response, headOnly: boolean): Promise<void> {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Whatever a failed answer had set (its type, its ETag) is not the error's.
  for (const name of res.getHeaderNames()) if (name !== 'x-request-id') res.removeHeader(name);
  try {
    await sendWebResponse(req, res, response, headOnly);
  } catch (error) {
    logger.error('an /api/v1 error answer could not be sent', { error: error instanceof Error ? error.message : String(error) });
    res.destroy();
  }
}

/** 405 in the API's one error body, with the methods the operation has. */
function methodNotAllowed(method: string, pathname: string, allow: string, requestId: string): Response {
  const response = errorResponse(
    new AppError('method_not_allowed', `${pathname} does not answer ${method}; it allows ${allow} (see /api/v1/openapi.json)`),
    requestId,
  );
  response.headers.set('allow', allow);
  return response;
}

/**
 * The request's headers behind a Headers-like `get`, read from the raw headers as toWebRequest
 * copies them: every repeat kept and joined with ', ' (Node's own `req.headers` drops a second
 * Authorization or Host, which a Web Request would show).
 */
function nodeHeaders(req: IncomingMessage): HeaderSource {
  const raw = req.rawHeaders;
  return {
    get(name) {
      const wanted = name.toLowerCase();
      let value: string | null = null;
      for (let i = 0; i < raw.length; i += 2) {
        const key = raw[i]!;
        if (key.length !== wanted.length || key.toLowerCase() !== wanted) continue;
        value = value === null ? raw[i + 1]! : `${value}, ${raw[i + 1]!}`;
      }
      return value;
    },
  };
}

const SANE_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The Web Request a route handler expects: every header as sent (repeats kept), the body streamed, aborted with the client. */
function toWebRequest(req: IncomingMessage, res: ServerResponse, method: string, requestId: string): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  headers.set('x-request-id', requestId); // the id this request is logged under, also when the caller's was refused
  const host = req.headers.host;
  const origin = host && SANE_HOST.test(host) ? `http://${host}` : 'http://localhost';
  const aborted = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) aborted.abort();
  });
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: aborted.signal };
  if (method !== 'GET' && method !== 'HEAD' && hasBody(req)) {
    init.body = bodyStreamOf(req, res);
    init.duplex = 'half';
  }
  return new Request(origin + req.url, init);
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * The request body as a Web stream, read only as the handler pulls. A handler that stops early
 * (a body over its limit) or never reads leaves the rest to be discarded, not the socket cut,
 * so its answer reaches the client and the connection stays usable.
 */
function bodyStreamOf(req: IncomingMessage, res: ServerResponse): ReadableStream<Uint8Array> {
  let open = true;
  const discardRest = () => {
    open = false;
    if (req.complete) return;
    req.removeAllListeners('data');
    req.resume();
  };
  res.once('finish', discardRest);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const end = (error?: Error) => {
        if (!open) return;
        open = false;
        if (error) controller.error(error);
        else controller.close();
      };
      req.pause();
      req.on('data', (chunk: Buffer) => {
        if (!open) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once('end', () => end());
      req.once('error', end);
      req.once('close', () => end(req.complete ? undefined : new Error('the client closed the connection before the body ended')));
    },
    pull() {
      req.resume();
    },
    cancel() {
      discardRest();
    },
  });
}
