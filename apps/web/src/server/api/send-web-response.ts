import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip, gzip } from 'node:zlib';
import { logger } from '../logger';
import type { ApiAnswer } from './api-response';

const gzipBytes = promisify(gzip);

// What Next compresses among what the API sends: JSON, text (Markdown), YAML; never archives.
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|yaml|x-yaml|[\w.-]+\+json)(?:[\s;]|$))/i;
const GZIP_MIN_BYTES = 1024;
const ACCEPTS_GZIP = /(?:^|,)\s*(?:x-)?gzip\s*(?:;\s*q\s*=\s*([0-9.]+)\s*)?(?=,|$)/i;
const ACCEPTS_ANY = /(?:^|,)\s*\*\s*(?:;\s*q\s*=\s*([0-9.]+)\s*)?(?=,|$)/;
const NO_TRANSFORM = /\bno-transform\b/i;
const VARIES_BY_ENCODING = /\baccept-encoding\b/i;

/**
 * Writes a route handler's Response to the Node response: status, every header (each Set-Cookie
 * on its own line), and the body — none for HEAD, 204 and 304; gzipped as Next would when the
 * client accepts it. A single-chunk body (what `new Response(string | bytes)` holds) is sent in
 * one write with its length; anything longer is streamed, and cancelled if the client goes away.
 */
export async function sendWebResponse(req: IncomingMessage, res: ServerResponse, response: Response, headOnly: boolean): Promise<void> {
  if (res.destroyed) {
    await cancel(response.body);
    return;
  }
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);

  const gzipAllowed = compressible(res) && acceptsGzip(req.headers['accept-encoding']);
  if (headOnly || response.status === 204 || response.status === 304 || !response.body) {
    await cancel(response.body);
    res.end();
    return;
  }

  const reader = response.body.getReader();
  const first = await reader.read();
  const second = first.done ? first : await reader.read();
  if (res.destroyed) {
    await reader.cancel().catch(() => undefined);
    return;
  }
  if (first.done) {
    res.setHeader('content-length', 0);
    res.end();
    return;
  }
  if (second.done) {
    await endWithBody(res, first.value, gzipAllowed);
    return;
  }
  const declaredLength = Number(res.getHeader('content-length') ?? Number.NaN);
  const gzipped = gzipAllowed && !(declaredLength < GZIP_MIN_BYTES);
  if (gzipped) {
    res.removeHeader('content-length');
    res.setHeader('content-encoding', 'gzip');
  }
  const source = Readable.from(chunksOf(first.value, second.value, reader), { objectMode: false });
  try {
    await (gzipped ? pipeline(source, createGzip(), res) : pipeline(source, res));
  } catch (error) {
    await reader.cancel(error).catch(() => undefined);
    // A client that hangs up mid-body is routine; a body that fails is the handler's defect.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
      logger.error('an /api/v1 response body failed while streaming', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}

/**
 * Writes an answer computed without Web objects (a keyed read's, see serve-operation.ts) as sendWebResponse would write
 * the same Response: status, headers, the body in one write with its length, gzipped likewise.
 */
export async function sendAnswer(req: IncomingMessage, res: ServerResponse, answer: ApiAnswer, headOnly: boolean): Promise<void> {
  if (res.destroyed) return;
  res.statusCode = answer.status;
  for (const name in answer.headers) res.setHeader(name, answer.headers[name]!);
  const gzipAllowed = compressible(res) && acceptsGzip(req.headers['accept-encoding']);
  if (headOnly || answer.status === 204 || answer.status === 304) {
    res.end();
    return;
  }
  await endWithBody(res, answer.body, gzipAllowed);
}

/** Ends the response with a whole body and its length, gzipped when allowed and worth it. */
async function endWithBody(res: ServerResponse, body: string | Uint8Array, gzipAllowed: boolean): Promise<void> {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (length === 0) {
    res.setHeader('content-length', 0);
    res.end();
    return;
  }
  if (gzipAllowed && length >= GZIP_MIN_BYTES) {
    const zipped = await gzipBytes(body);
    res.setHeader('content-encoding', 'gzip');
    res.setHeader('content-length', zipped.byteLength);
    res.end(zipped);
    return;
  }
  res.setHeader('content-length', length);
  res.end(body);
}

async function* chunksOf(first: Uint8Array, second: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield first;
  yield second;
  for (;;) {
    const next = await reader.read();
    if (next.done) return;
    yield next.value;
  }
}

async function cancel(body: ReadableStream<Uint8Array> | null): Promise<void> {
  await body?.cancel().catch(() => undefined);
}

/**
 * Whether the response's type is one to compress; if so the answer varies by Accept-Encoding
 * (whatever its size, as Next's compression says).
 */
function compressible(res: ServerResponse): boolean {
  const type = res.getHeader('content-type');
  if (typeof type !== 'string' || !COMPRESSIBLE.test(type)) return false;
  if (NO_TRANSFORM.test(String(res.getHeader('cache-control') ?? ''))) return false;
  const vary = res.getHeader('vary');
  if (!vary) res.setHeader('vary', 'Accept-Encoding');
  else if (!VARIES_BY_ENCODING.test(String(vary))) res.setHeader('vary', `${String(vary)}, Accept-Encoding`);
  return !res.hasHeader('content-encoding');
}

/** Whether Accept-Encoding allows gzip: named (or `*`) without `q=0`. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  const named = ACCEPTS_GZIP.exec(header);
  const match = named ?? ACCEPTS_ANY.exec(header);
  if (!match) return false;
  return match[1] === undefined || Number(match[1]) > 0;
}
