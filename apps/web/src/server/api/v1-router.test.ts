import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.LOG_LEVEL = 'silent';
});
vi.mock('server-only', () => ({}));
import { buildOpenApiDocument } from '@everyskill/contracts';
import { compileRoutes } from './direct-dispatch';
import { v1Operations } from './operations/v1-operations';
import { serveV1Request, v1Routes } from './v1-router';

const call = (method: string, path: string, headers: Record<string, string> = {}) =>
  serveV1Request(new Request(`http://localhost${path}`, { method, headers: { 'x-request-id': 'req-1', ...headers } }));

describe('the /api/v1 operation table', () => {
  it('holds each operation once, and the router and the OpenAPI document serve exactly it', () => {
    const ids = v1Operations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(() => compileRoutes(v1Routes)).not.toThrow();
    const routed = v1Routes.flatMap((route) => Object.keys(route.handlers).map((method) => `${method} ${route.pattern}`)).sort();
    const operations = v1Operations.map((op) => `${op.method.toUpperCase()} /api/v1${op.path}`);
    expect(routed).toEqual([...operations, 'GET /api/v1/openapi.json'].sort());
    const document = buildOpenApiDocument(v1Operations, { serverUrl: 'http://localhost', version: '0' }) as { paths: Record<string, Record<string, { operationId: string; 'x-required-scope'?: string }>> };
    const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => `${method} ${path} ${op.operationId} ${op['x-required-scope'] ?? '-'}`));
    expect(documented.sort()).toEqual(v1Operations.map((op) => `${op.method} ${op.path} ${op.operationId} ${op.scope ?? '-'}`).sort());
  });

  it('refuses a request without a key in the one wrapper, before any database work', async () => {
    const refused = await call('GET', '/api/v1/whoami');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(refused.headers.get('x-request-id')).toBe('req-1');
    expect((await refused.json()).error.code).toBe('unauthorized');
    const read = await call('GET', '/api/v1/skills/pdf-forms@1.0.0');
    expect(read.status).toBe(401);
  });
});

describe('Next’s catch-all, serving the table as the direct dispatcher does', () => {
  it('answers an address no operation has with the API’s 404 body', async () => {
    const missing = await call('GET', '/api/v1/skills/pdf-forms/versions');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { code: 'not_found', message: 'there is no API operation at GET /api/v1/skills/pdf-forms/versions; see /api/v1/openapi.json' },
    });
  });

  it('answers OPTIONS with 204 and Allow, a missing method with 405, and a malformed escape with 400', async () => {
    const options = await call('OPTIONS', '/api/v1/usage-events');
    expect([options.status, options.headers.get('allow')]).toEqual([204, 'OPTIONS, POST']);
    const refused = await call('DELETE', '/api/v1/skills/pdf-forms?x=1');
    expect([refused.status, refused.headers.get('allow')]).toEqual([405, 'GET, HEAD, OPTIONS']);
    expect(await refused.json()).toEqual({
      error: { code: 'method_not_allowed', message: '/api/v1/skills/pdf-forms does not answer DELETE; it allows GET, HEAD, OPTIONS (see /api/v1/openapi.json)' },
    });
    const malformed = await call('GET', '/api/v1/skills/pdf%forms/download');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.message).toContain("a '%' must start an escape");
  });

  it('runs GET for HEAD and answers its headers only', async () => {
    const head = await call('HEAD', '/api/v1/whoami');
    expect(head.status).toBe(401);
    expect(head.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(head.body).toBeNull();
  });
});
