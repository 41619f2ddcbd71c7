import 'server-only';
import type { z } from 'zod';
import { invalidInput } from '@everyskill/core';
import { parseInput } from '@everyskill/core/parse-input';

/** The query string parsed with the operation's contract (`invalid_input` naming each bad field). */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  return parseInput(schema, queryRecord(request));
}

/** The query string as a record for a service that parses it itself (empty values left out). */
export function queryRecord(request: Request): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [key, value] of new URL(request.url).searchParams) if (value !== '') raw[key] = value;
  return raw;
}

/** How much JSON an operation's body may hold: its largest field (feedback) is a few KiB. */
export const JSON_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The request body, read up to `maxBytes`; null when the body is larger (declared or actual), in
 * which case the rest is never read.
 */
export async function readBodyUpTo(request: Request, maxBytes: number): Promise<Buffer | null> {
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) return null;
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks);
}

/** The JSON body parsed with the operation's contract; `extra` fills fields sent as headers. */
export async function parseJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  extra: Record<string, unknown> = {},
): Promise<z.output<S>> {
  const bytes = await readBodyUpTo(request, JSON_BODY_LIMIT_BYTES);
  if (bytes === null) {
    throw invalidInput(`the body is larger than ${JSON_BODY_LIMIT_BYTES / 1024} KiB`, { limitBytes: JSON_BODY_LIMIT_BYTES });
  }
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalidInput('the body must be JSON (Content-Type: application/json)');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidInput('the body must be a JSON object');
  const defined = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined && v !== null));
  return parseInput(schema, { ...defined, ...body });
}
