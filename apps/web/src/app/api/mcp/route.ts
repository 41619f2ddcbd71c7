import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { authenticateRequest, chargeMore } from '@/server/api/authenticate-request';
import { decorate, errorResponse, requestIdOf } from '@/server/api/api-response';
import { readBodyUpTo } from '@/server/api/request-input';
import { createMcpServer } from '@/server/mcp/create-mcp-server';

export const dynamic = 'force-dynamic';

/**
 * MCP over Streamable HTTP, stateless: every POST carries the bearer key, gets its own server and
 * transport bound to the key's ctx, and is answered with JSON (no session, no server-sent stream),
 * so any app instance can serve any request.
 */
export async function POST(request: Request): Promise<Response> {
  const requestId = requestIdOf(request);
  let auth: Awaited<ReturnType<typeof authenticateRequest>>;
  try {
    auth = await authenticateRequest(request, requestId);
  } catch (error) {
    return errorResponse(error, requestId);
  }
  // A batch of n JSON-RPC calls is n requests to the rate limits, not one.
  const body = await readJsonBody(request);
  if (body.kind === 'too-large') return decorate(jsonRpcError(413, -32000, `the request body is larger than ${MAX_BODY_BYTES} bytes`), requestId);
  if (body.kind === 'invalid') return decorate(jsonRpcError(400, -32700, 'Parse error: Invalid JSON'), requestId);
  let rateLimit = auth.rateLimit;
  if (Array.isArray(body.value) && body.value.length > 1) {
    try {
      rateLimit = await chargeMore(auth, body.value.length - 1);
    } catch (error) {
      return errorResponse(error, requestId);
    }
  }
  const server = createMcpServer(auth.ctx);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  try {
    await server.connect(transport);
    return decorate(await transport.handleRequest(request, { parsedBody: body.value }), requestId, rateLimit);
  } catch (error) {
    return errorResponse(error, requestId);
  } finally {
    await server.close();
  }
}

const MAX_BODY_BYTES = 4 * 1024 * 1024; // the SDK's own default

function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });
}

/** The request body as JSON, read up to MAX_BODY_BYTES (a declared or actual larger body is refused unread). */
async function readJsonBody(request: Request): Promise<{ kind: 'json'; value: unknown } | { kind: 'invalid' } | { kind: 'too-large' }> {
  const bytes = await readBodyUpTo(request, MAX_BODY_BYTES);
  if (bytes === null) return { kind: 'too-large' };
  try {
    return { kind: 'json', value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { kind: 'invalid' };
  }
}

/** Stateless: no server-to-client stream to open (GET) and no session to end (DELETE). */
function methodNotAllowed(request: Request): Response {
  const response = jsonRpcError(405, -32000, 'Method not allowed: this MCP server is stateless; send POST requests');
  response.headers.set('allow', 'POST');
  return decorate(response, requestIdOf(request));
}

export { methodNotAllowed as GET, methodNotAllowed as DELETE };
