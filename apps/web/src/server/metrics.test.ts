import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createJsonLogger } from './logger';
import { v1Operations } from './api/operations/v1-operations';
import { getMetrics, installHttpInstrumentation, routeLabelOf } from './metrics';
import { acceptOrCreateRequestId, currentRequestId } from './request-context';

vi.mock('server-only', () => ({}));

describe('routeLabelOf', () => {
  it.each([
    ['/', '/'],
    ['/api/v1/skills/pdf-tools', '/api/v1/skills/:ref'],
    ['/api/v1/skills/pdf-tools@1.2.0/download?format=zip', '/api/v1/skills/:ref/download'],
    ['/api/v1/skills/x/versions/2.0.0', '/api/v1/skills/:ref/versions/:version'],
    ['/api/v1/openapi.json', '/api/v1/openapi.json'],
    ['/api/health', '/api/health'],
    ['/.well-known/agent-skills/pdf-tools/SKILL.md', '/.well-known/agent-skills/:name/SKILL.md'],
    ['/skills/pdf-tools', '/skills/:slug'],
    ['/skills/pdf-tools/benchmark', '/skills/:slug/benchmark'],
    ['/_next/static/chunks/abc.js', '/_next/static'],
    ['/wp-login.php', 'other'],
    ['/skills/a/b/c/d', 'other'],
  ])('%s → %s', (url, label) => {
    expect(routeLabelOf(url)).toBe(label);
  });
});

describe('routeLabelOf and the /api/v1 operation table', () => {
  it('labels every operation by its path template, never as other', () => {
    for (const op of v1Operations) {
      const concrete = op.path.replace(/\{(slug|ref)\}/, 'pdf-tools').replace('{version}', '1.2.0');
      const template = op.path.replace(/\{(slug|ref)\}/, ':ref').replace('{version}', ':version');
      expect(routeLabelOf(`/api/v1${concrete}?x=1`), `${op.method} ${op.path}`).toBe(`/api/v1${template}`);
    }
  });
});

describe('acceptOrCreateRequestId', () => {
  it('keeps a sane id and replaces a hostile one', () => {
    expect(acceptOrCreateRequestId('abc-123')).toBe('abc-123');
    expect(acceptOrCreateRequestId('bad id\n')).toMatch(/^[0-9a-f-]{36}$/);
    expect(acceptOrCreateRequestId('x'.repeat(101))).toMatch(/^[0-9a-f-]{36}$/);
    expect(acceptOrCreateRequestId(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('HTTP instrumentation', () => {
  let server: http.Server;
  let base: string;
  const seen: Array<{ requestId: string | undefined; header: string | undefined }> = [];
  const servedDirectly: Array<{ requestId: string; current: string | undefined }> = [];
  const lines: string[] = [];
  const log = createJsonLogger({ write: (line: string) => void lines.push(line) });

  beforeAll(async () => {
    // Takes /api/v1/whoami before the server's own listener, as the /api/v1 dispatcher does in production.
    installHttpInstrumentation({
      serveDirectly: (req, res, requestId) => {
        if (req.url !== '/api/v1/whoami') return false;
        servedDirectly.push({ requestId, current: currentRequestId() });
        res.end('direct');
        return true;
      },
    });
    server = http.createServer((req, res) => {
      // what a handler sees after awaiting something: the context survives the await
      void Promise.resolve().then(() => {
        seen.push({ requestId: currentRequestId(), header: req.headers['x-request-id'] as string | undefined });
        log.info({ path: req.url }, 'handled');
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('returns the caller’s X-Request-ID, or a new one, and exposes it to the handler', async () => {
    const given = await fetch(`${base}/api/v1/skills/pdf-tools`, { headers: { 'x-request-id': 'trace-42' } });
    expect(given.headers.get('x-request-id')).toBe('trace-42');
    const fresh = await fetch(`${base}/skills/anything`);
    const freshId = fresh.headers.get('x-request-id');
    expect(freshId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen).toEqual([
      { requestId: 'trace-42', header: 'trace-42' },
      { requestId: freshId, header: freshId },
    ]);
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; requestId?: string; level: string });
    expect(logged.map((l) => [l.msg, l.level, l.requestId])).toEqual([
      ['handled', 'info', 'trace-42'],
      ['handled', 'info', freshId],
    ]);
    log.info('outside any request');
    expect(JSON.parse(lines.at(-1)!)).not.toHaveProperty('requestId');
  });

  it('lets the direct dispatcher take a request, with its request id set, before the listener sees it', async () => {
    const before = seen.length;
    const direct = await fetch(`${base}/api/v1/whoami`, { headers: { 'x-request-id': 'trace-7' } });
    expect(await direct.text()).toBe('direct');
    expect(direct.headers.get('x-request-id')).toBe('trace-7');
    expect(servedDirectly).toEqual([{ requestId: 'trace-7', current: 'trace-7' }]);
    expect(seen.length).toBe(before);
    const text = await getMetrics().registry.metrics();
    expect(text).toMatch(/everyskill_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/whoami",status="200"\} 1/);
  });

  it('answers 405 with Allow for a method Next does not handle (TRACE answered 500), before the listener', async () => {
    const before = seen.length;
    for (const [path, type] of [['/skills/x', 'text/plain'], ['/api/health', 'application/json']] as const) {
      const response = await rawRequest('TRACE', path);
      expect(response.status, path).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
      expect(response.headers['content-type']).toContain(type);
      if (type === 'application/json') expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'method_not_allowed' } });
    }
    expect((await rawRequest('PROPFIND', '/')).status).toBe(405);
    expect(seen.length).toBe(before);
    expect((await rawRequest('GET', '/skills/y')).status).toBe(200);
  });

  function rawRequest(method: string, path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request(`${base}${path}`, { method }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      });
      request.on('error', reject);
      request.end();
    });
  }

  it('times each request under its route template', async () => {
    const text = await getMetrics().registry.metrics();
    expect(text).toMatch(/everyskill_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/skills\/:ref",status="200"\} [1-9]/);
    expect(text).toMatch(/everyskill_http_request_duration_seconds_count\{method="GET",route="\/skills\/:slug",status="200"\} [1-9]/);
  });
});
