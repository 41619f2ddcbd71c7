import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { authenticateRequest } from '@/server/api/authenticate-request';
import { decorate, errorResponse, requestIdOf } from '@/server/api/api-response';
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
  const server = createMcpServer(auth.ctx);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  try {
    await server.connect(transport);
    return decorate(await transport.handleRequest(request), requestId, auth.rateLimit);
  } catch (error) {
    return errorResponse(error, requestId);
  } finally {
    await server.close();
  }
}

/** Stateless: no server-to-client stream to open (GET) and no session to end (DELETE). */
function methodNotAllowed(): Response {
  return Response.json(
    { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP server is stateless; send POST requests' }, id: null },
    { status: 405, headers: { allow: 'POST' } },
  );
}

export { methodNotAllowed as GET, methodNotAllowed as DELETE };
