import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.LOG_LEVEL = 'silent'; // the failure cases log on purpose
});
vi.mock('server-only', () => ({}));
import { logger } from '../logger';
import { createDirectDispatcher, type DirectDispatch, type DirectRoute } from './direct-dispatch';
import { jsonAnswer, type ApiAnswer } from './api-response';
import { readBodyUpTo } from './request-input';
import { acceptsGzip } from './send-web-response';

/** What the fake handlers saw, for the assertions. */
const seen = { methods: [] as string[], aborted: 0, streamCancelled: 0, answered: 0 };
const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), { ...init, headers: { 'content-type': 'application/json; charset=utf-8', ...init.headers } });
const big = 'x'.repeat(4096);

/** A stream that sends a chunk every few milliseconds until cancelled (a download still being read). */
function endless(): ReadableStream<Uint8Array> {
  let timer: NodeJS.Timeout | undefined;
  return new ReadableStream<Uint8Array>({
    pull: (controller) =>
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          controller.enqueue(new TextEncoder().encode('chunk\n'));
          resolve();
        }, 5);
      }),
    cancel: () => {
      clearTimeout(timer);
      seen.streamCancelled++;
    },
  });
}

const routes: DirectRoute[] = [
  {
    pattern: '/api/v1/items',
    handlers: {
      GET: (request) => {
        seen.methods.push(request.method);
        return json({ url: request.url, requestId: request.headers.get('x-request-id'), multi: request.headers.get('x-multi') });
      },
      POST: async (request) => json({ received: await request.json(), type: request.headers.get('content-type') }, { status: 201 }),
    },
  },
  {
    pattern: '/api/v1/items/{ref}/versions/{version}',
    handlers: { GET: (_request, params) => json(params) },
  },
  {
    pattern: '/api/v1/bodies/{kind}',
    handlers: {
      GET: (_request, params) => {
        const { kind } = params;
        if (kind === 'small-json') return json({ small: true });
        if (kind === 'big-json') return json({ big });
        if (kind === 'big-text') return new Response(big, { headers: { 'content-type': 'text/markdown; charset=utf-8' } });
        if (kind === 'zip') return new Response(big, { headers: { 'content-type': 'application/zip' } });
        if (kind === 'encoded') return new Response(big, { headers: { 'content-type': 'application/json', 'content-encoding': 'br' } });
        if (kind === 'streamed') {
          const parts = ['{"part":1,', `"fill":"${big}",`, '"part2":2}'];
          const stream = new ReadableStream<Uint8Array>({
            pull: (controller) => {
              const next = parts.shift();
              if (next === undefined) controller.close();
              else controller.enqueue(new TextEncoder().encode(next));
            },
          });
          return new Response(stream, { headers: { 'content-type': 'application/json' } });
        }
        if (kind === 'endless') return new Response(endless(), { headers: { 'content-type': 'application/octet-stream' } });
        if (kind === 'cookies') {
          const headers = new Headers({ 'content-type': 'text/plain' });
          headers.append('set-cookie', 'a=1; Path=/');
          headers.append('set-cookie', 'b=2; Path=/');
          return new Response('ok', { headers });
        }
        if (kind === 'not-modified') return new Response(null, { status: 304, headers: { etag: '"e"' } });
        return json({ kind });
      },
    },
  },
  {
    pattern: '/api/v1/upload',
    handlers: {
      POST: async (request) => {
        const body = await readBodyUpTo(request, 1024);
        return body === null ? json({ error: { code: 'invalid_input', message: 'too large' } }, { status: 400 }) : json({ bytes: body.length });
      },
      // Refuses before reading a byte, as a request without a key is.
      PUT: () => json({ error: { code: 'unauthorized', message: 'no key' } }, { status: 401 }),
    },
  },
  {
    // A keyed read's shape: a Web handler that also answers from the headers alone.
    pattern: '/api/v1/answers/{kind}',
    handlers: {
      GET: Object.assign(
        () => {
          throw new Error('the direct path must call answer, not build a Web Request');
        },
        {
          answer: async (headers: { get(name: string): string | null }, requestId: string, params: Record<string, string>): Promise<ApiAnswer> => {
            seen.answered++;
            if (params.kind === 'fails') throw new Error('the answer broke');
            if (params.kind === 'big') return jsonAnswer({ big }, { 'x-request-id': requestId });
            if (params.kind === 'refused') return jsonAnswer({ error: { code: 'unauthorized', message: 'no key' } }, { 'www-authenticate': 'Bearer' }, 401);
            const echo = { params, requestId, authorization: headers.get('Authorization'), host: headers.get('host'), missing: headers.get('x-missing') };
            return jsonAnswer(echo, { 'x-request-id': requestId, 'ratelimit-limit': '600' });
          },
        },
      ),
    },
  },
  {
    pattern: '/api/v1/slow',
    handlers: {
      GET: (request) =>
        new Promise<Response>((resolve) => {
          request.signal.addEventListener('abort', () => {
            seen.aborted++;
            resolve(json({ late: true }));
          });
        }),
    },
  },
  {
    pattern: '/api/v1/broken',
    handlers: {
      GET: () => {
        throw new Error('the handler broke');
      },
      POST: () => ({ not: 'a response' }) as unknown as Response,
      // A header value the Web Headers take and Node refuses: the answer fails half-way through its headers.
      PUT: () => new Response('x', { headers: { etag: '"e"', 'x-broken': 'a\u0001b' } }),
    },
  },
];

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

let server: http.Server;
let port: number;
let dispatch: DirectDispatch;
let loads = 0;
let releaseRoutes: () => void;
const claimed: boolean[] = [];

/** A request with Node's client, which shows headers as sent (fetch would decompress and merge). */
function send(method: string, path: string, options: { headers?: http.OutgoingHttpHeaders; body?: string | Buffer | Buffer[]; agent?: http.Agent } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path, headers: options.headers, agent: options.agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    if (Array.isArray(options.body)) {
      for (const part of options.body) request.write(part);
      request.end();
    } else request.end(options.body);
  });
}
const bodyOf = (answer: Answer) => JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;

beforeAll(async () => {
  const routesLoaded = new Promise<void>((resolve) => (releaseRoutes = resolve));
  dispatch = createDirectDispatcher(async () => {
    loads++;
    await routesLoaded;
    return routes;
  });
  let nextId = 0;
  server = http.createServer((req, res) => {
    const requestId = `req-${++nextId}`;
    res.setHeader('x-request-id', requestId);
    // Next's stand-in: says who answered.
    const toNext = () => {
      res.statusCode = 299;
      res.end(`next ${req.method} ${req.url}`);
    };
    const took = dispatch(req, res, requestId, toNext);
    claimed.push(took);
    if (!took) toNext();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('direct /api/v1 dispatch', () => {
  it('loads the route table once, on the first /api/v1 request, and serves what arrived meanwhile', async () => {
    expect((await send('GET', '/skills')).body.toString()).toBe('next GET /skills');
    expect(loads).toBe(0);
    const pending = [send('GET', '/api/v1/items'), send('GET', '/api/v1/items?x=1'), send('GET', '/api/v1/nothing-here')] as const;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(loads).toBe(1);
    releaseRoutes();
    const [first, second, unmatched] = await Promise.all(pending);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(unmatched.status).toBe(299);
    expect(unmatched.body.toString()).toBe('next GET /api/v1/nothing-here');
    expect(loads).toBe(1);
  });

  it('leaves paths outside /api/v1, unknown ones, trailing slashes and dot segments to Next', async () => {
    claimed.length = 0;
    for (const path of ['/', '/api/v1', '/api/mcp', '/api/v1/items/', '/api/v1//items', '/api/v1/Items', '/api/v1/items/a/versions', '/api/v1/items/a/versions/1/', '/api/v1/items/../versions/1', '/api/v1/items/a/versions/.']) {
      const answer = await send('GET', path);
      expect(answer.status, path).toBe(299);
      expect(answer.body.toString()).toBe(`next GET ${path}`);
    }
    expect(claimed.every((took) => !took)).toBe(true); // once loaded, decided without waiting
  });

  it('passes decoded path parameters, the query string in request.url, every header and the request id', async () => {
    const params = await send('GET', '/api/v1/items/pdf-forms%401.0.0/versions/a%2Fb?ignored=1');
    expect(bodyOf(params)).toEqual({ ref: 'pdf-forms@1.0.0', version: 'a/b' });
    const items = await send('GET', '/api/v1/items?q=pdf&q=forms', { headers: { host: 'acme.localhost:3000', 'x-multi': ['one', 'two'], 'x-request-id': 'bad id!' } });
    const body = bodyOf(items);
    expect(body.url).toBe('http://acme.localhost:3000/api/v1/items?q=pdf&q=forms');
    expect(body.multi).toBe('one, two');
    expect(body.requestId).toBe(items.headers['x-request-id']); // the id logged, not the refused one
  });

  it('answers 400 in the API error body for a malformed escape in a path parameter', async () => {
    const answer = await send('GET', '/api/v1/items/pdf%forms/versions/1.0.0');
    expect(answer.status).toBe(400);
    expect(bodyOf(answer)).toEqual({ error: { code: 'invalid_input', message: expect.stringContaining("a '%' must start an escape") } });
  });

  it('runs GET for HEAD and sends the headers only', async () => {
    seen.methods.length = 0;
    const answer = await send('HEAD', '/api/v1/items');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.body.length).toBe(0);
    expect(seen.methods).toEqual(['HEAD']);
  });

  it('serves a handler that answers from the headers alone without building Web objects, as its Response would be sent', async () => {
    seen.answered = 0;
    const echo = await send('GET', '/api/v1/answers/pdf%40forms?x=1', {
      // Node's types allow one Authorization; an array sends one line per value.
      headers: { host: 'acme.localhost:3000', authorization: ['Bearer one', 'Bearer two'] as unknown as string, 'x-request-id': 'bad id!' },
    });
    expect(echo.status).toBe(200);
    expect(echo.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(echo.headers['ratelimit-limit']).toBe('600');
    expect(echo.headers.vary).toBe('Accept-Encoding');
    expect(Number(echo.headers['content-length'])).toBe(echo.body.length);
    // A repeated Authorization reaches the read as a Web Request would show it (Node's req.headers keeps only the first).
    expect(bodyOf(echo)).toEqual({ params: { kind: 'pdf@forms' }, requestId: echo.headers['x-request-id'], authorization: 'Bearer one, Bearer two', host: 'acme.localhost:3000', missing: null });
    expect(echo.headers['x-request-id']).toMatch(/^req-/);

    const head = await send('HEAD', '/api/v1/answers/echo');
    expect([head.status, head.headers['content-type'], head.body.length]).toEqual([200, 'application/json; charset=utf-8', 0]);

    const zipped = await send('GET', '/api/v1/answers/big', { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(Number(zipped.headers['content-length'])).toBe(zipped.body.length);
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual({ big });
    const plain = await send('GET', '/api/v1/answers/big');
    expect([plain.headers['content-encoding'], bodyOf(plain)]).toEqual([undefined, { big }]);

    const refused = await send('GET', '/api/v1/answers/refused');
    expect([refused.status, refused.headers['www-authenticate']]).toEqual([401, 'Bearer']);
    const bad = await send('GET', '/api/v1/answers/pdf%zz');
    expect(bad.status).toBe(400);
    expect(seen.answered).toBe(5); // the malformed path was refused before the handler
  });

  it('answers OPTIONS with 204 and Allow, and a missing method with 405, Allow and the error body', async () => {
    const options = await send('OPTIONS', '/api/v1/items');
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe('GET, HEAD, OPTIONS, POST');
    expect(options.body.length).toBe(0);
    const postOnly = await send('OPTIONS', '/api/v1/upload');
    expect(postOnly.headers.allow).toBe('OPTIONS, POST, PUT');
    for (const method of ['DELETE', 'PUT', 'PATCH']) {
      const refused = await send(method, '/api/v1/items?x=1');
      expect(refused.status, method).toBe(405);
      expect(refused.headers.allow).toBe('GET, HEAD, OPTIONS, POST');
      expect(refused.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(refused.headers['x-request-id']).toMatch(/^req-/);
      expect(bodyOf(refused)).toEqual({
        error: { code: 'method_not_allowed', message: `/api/v1/items does not answer ${method}; it allows GET, HEAD, OPTIONS, POST (see /api/v1/openapi.json)` },
      });
    }
    expect((await send('GET', '/api/v1/upload')).headers.allow).toBe('OPTIONS, POST, PUT');
  });

  it('streams a JSON request body, sent whole or chunked, to the handler', async () => {
    const whole = await send('POST', '/api/v1/items', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 1 }) });
    expect(whole.status).toBe(201);
    expect(bodyOf(whole)).toEqual({ received: { a: 1 }, type: 'application/json' });
    const chunked = await send('POST', '/api/v1/items', { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: [Buffer.from('{"b":'), Buffer.from('[1,2]}')] });
    expect(bodyOf(chunked)).toEqual({ received: { b: [1, 2] }, type: 'application/json' });
  });

  it('answers a body the handler reads only in part, or not at all, and keeps the connection usable', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const connections = new Set<unknown>();
    const count = (socket: unknown) => connections.add(socket);
    server.on('connection', count);
    try {
      const parts = Array.from({ length: 32 }, () => Buffer.alloc(64 * 1024, 1));
      const tooBig = await send('POST', '/api/v1/upload', { agent, headers: { 'transfer-encoding': 'chunked' }, body: parts });
      expect(tooBig.status).toBe(400);
      const unread = await send('PUT', '/api/v1/upload', { agent, headers: { 'transfer-encoding': 'chunked' }, body: parts });
      expect(unread.status).toBe(401);
      const fits = await send('POST', '/api/v1/upload', { agent, body: Buffer.alloc(100) });
      expect(bodyOf(fits)).toEqual({ bytes: 100 });
      expect((await send('GET', '/api/v1/items', { agent })).status).toBe(200);
      expect(connections.size).toBe(1);
    } finally {
      server.off('connection', count);
      agent.destroy();
    }
  });

  it('gzips JSON and text of 1 KiB or more when the client accepts it, as Next does', async () => {
    const gz = { 'accept-encoding': 'gzip, deflate, br' };
    const zipped = await send('GET', '/api/v1/bodies/big-json', { headers: gz });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(Number(zipped.headers['content-length'])).toBe(zipped.body.length);
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual({ big });
    const markdown = await send('GET', '/api/v1/bodies/big-text', { headers: gz });
    expect(markdown.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(markdown.body).toString('utf8')).toBe(big);
    const streamed = await send('GET', '/api/v1/bodies/streamed', { headers: gz });
    expect(streamed.headers['content-encoding']).toBe('gzip');
    expect(streamed.headers['content-length']).toBeUndefined();
    expect(JSON.parse(gunzipSync(streamed.body).toString('utf8'))).toEqual({ part: 1, fill: big, part2: 2 });

    const plain = await send('GET', '/api/v1/bodies/big-json');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(JSON.parse(plain.body.toString('utf8'))).toEqual({ big });
    const refused = await send('GET', '/api/v1/bodies/big-json', { headers: { 'accept-encoding': 'gzip;q=0, br' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    const small = await send('GET', '/api/v1/bodies/small-json', { headers: gz });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8'))).toEqual({ small: true });
    const zip = await send('GET', '/api/v1/bodies/zip', { headers: gz });
    expect(zip.headers['content-encoding']).toBeUndefined();
    expect(zip.headers.vary).toBeUndefined();
    expect(zip.body.toString('utf8')).toBe(big);
    const encoded = await send('GET', '/api/v1/bodies/encoded', { headers: gz });
    expect(encoded.headers['content-encoding']).toBe('br');
    expect(encoded.body.toString('utf8')).toBe(big);
    const head = await send('HEAD', '/api/v1/bodies/big-json', { headers: gz });
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(head.body.length).toBe(0);
  });

  it('reads Accept-Encoding as HTTP does', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('br, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('x-gzip')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0, *')).toBe(false);
    expect(acceptsGzip('gzip; q=0.0')).toBe(false);
    expect(acceptsGzip('br, deflate')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });

  it('keeps every Set-Cookie, and sends no body with a 304', async () => {
    const cookies = await send('GET', '/api/v1/bodies/cookies');
    expect(cookies.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(cookies.body.toString()).toBe('ok');
    const notModified = await send('GET', '/api/v1/bodies/not-modified');
    expect(notModified.status).toBe(304);
    expect(notModified.headers.etag).toBe('"e"');
    expect(notModified.body.length).toBe(0);
  });

  it('aborts the handler’s signal and cancels a streamed body when the client goes away', async () => {
    const slow = http.get({ host: '127.0.0.1', port, path: '/api/v1/slow' });
    slow.on('error', () => undefined);
    setTimeout(() => slow.destroy(), 30);
    await vi.waitFor(() => expect(seen.aborted).toBe(1));
    const download = http.get({ host: '127.0.0.1', port, path: '/api/v1/bodies/endless' }, (response) => response.once('data', () => download.destroy()));
    download.on('error', () => undefined);
    await vi.waitFor(() => expect(seen.streamCancelled).toBe(1));
    expect((await send('GET', '/api/v1/items')).status).toBe(200); // the server carries on
  });

  it('answers 500 in the API error body, logged, when a handler throws or its answer cannot be sent', async () => {
    const logged = vi.spyOn(logger, 'error');
    try {
      for (const [method, path] of [['GET', '/api/v1/broken'], ['POST', '/api/v1/broken'], ['PUT', '/api/v1/broken'], ['GET', '/api/v1/answers/fails']] as const) {
        const answer = await send(method, path);
        expect(answer.status, method).toBe(500);
        const requestId = answer.headers['x-request-id'] as string;
        expect(bodyOf(answer)).toEqual({ error: { code: 'internal', message: `something went wrong on our side; quote request id ${requestId} when reporting it` } });
        expect(answer.headers['cache-control']).toBe('no-store');
        expect(answer.headers.etag).toBeUndefined();
      }
      expect(logged).toHaveBeenCalledTimes(4);
      expect(logged.mock.calls[0]![1]).toMatchObject({ error: 'the handler broke' });
      expect(logged.mock.calls[3]![1]).toMatchObject({ error: 'the answer broke' });
    } finally {
      logged.mockRestore();
    }
  });

  it('leaves /api/v1 to Next, and says so, when the route table does not load', async () => {
    const logged = vi.spyOn(logger, 'error');
    const failing = createDirectDispatcher(() => Promise.reject(new Error('no such module')));
    const local = http.createServer((req, res) => {
      const toNext = () => res.end('next');
      if (!failing(req, res, 'r', toNext)) toNext();
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(local.address() as AddressInfo).port}/api/v1/items`;
      expect(await (await fetch(url)).text()).toBe('next');
      expect(await (await fetch(url)).text()).toBe('next');
      expect(logged).toHaveBeenCalledTimes(1);
      expect(logged.mock.calls[0]![1]).toMatchObject({ error: 'no such module' });
    } finally {
      logged.mockRestore();
      await new Promise<void>((resolve) => local.close(() => resolve()));
    }
  });
});
