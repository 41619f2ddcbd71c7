import { randomUUID } from 'node:crypto';
import { AppError, httpStatusOf, isAppError } from '@everyskill/core';
import type { RateLimitState } from '@everyskill/core/rate-limits/consume-rate-limit';
import { logger } from '../logger';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** The caller's `X-Request-Id` when it is a sane token, else a new one. */
export function requestIdOf(request: Request): string {
  const given = request.headers.get('x-request-id');
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Whether an If-None-Match header names this entity tag (weakly compared, as GET allows) or is `*`. */
export function ifNoneMatchHits(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strong = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === '*' || t === strong;
  });
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON response: jsonAnswer as a Response, for Next's route handlers. */
export function jsonResponse(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return responseOf(jsonAnswer(body, init.headers, init.status));
}

/**
 * An API answer as plain data: what a route's Response would hold, for the direct dispatcher to
 * write to Node's response without building Web objects (a keyed read's, see serve-operation.ts). Header names are lower case.
 */
export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The request headers an answer is computed from: a Request's `headers`, or Node's request headers behind the same `get`. */
export interface HeaderSource {
  get(name: string): string | null;
}

/** A JSON answer: the body serialised, its type, and the given headers. */
export function jsonAnswer(body: unknown, headers: Record<string, string> = {}, status = 200): ApiAnswer {
  return { status, headers: { ...headers, 'content-type': JSON_TYPE }, body: JSON.stringify(body) };
}

/** The Response of an answer, for Next's route handlers. */
export function responseOf(answer: ApiAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/** The one error body `{error: {code, message, details}}`, status from httpStatusOf; unknown errors stay generic. */
export function errorResponse(error: unknown, requestId: string): Response {
  return responseOf(errorAnswer(error, requestId));
}

/** errorResponse as an answer. */
export function errorAnswer(error: unknown, requestId: string): ApiAnswer {
  const known = isAppError(error) ? error : null;
  if (!known) {
    logger.error('api request failed', { requestId, error: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
  }
  const appError = known ?? new AppError('internal', `something went wrong on our side; quote request id ${requestId} when reporting it`);
  const headers: Record<string, string> = { 'x-request-id': requestId, 'cache-control': 'no-store' };
  if (appError.code === 'unauthorized') headers['www-authenticate'] = 'Bearer realm="everyskill", error="invalid_token"';
  if (appError.code === 'rate_limited') {
    const retry = (appError.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 1;
    headers['retry-after'] = String(retry);
  }
  const details = appError.details === undefined ? undefined : appError.details;
  return jsonAnswer(
    { error: { code: appError.code, message: appError.message, ...(details === undefined ? {} : { details }) } },
    headers,
    httpStatusOf[appError.code],
  );
}

/** Adds the request id and the IETF RateLimit headers to a response. */
export function decorate(response: Response, requestId: string, rateLimit?: RateLimitState): Response {
  response.headers.set('x-request-id', requestId);
  if (rateLimit) for (const [name, value] of Object.entries(rateLimitHeaders(rateLimit))) response.headers.set(name, value);
  return response;
}

/** The IETF RateLimit headers of a rate-limit state. */
export function rateLimitHeaders(rateLimit: RateLimitState): Record<string, string> {
  return {
    'ratelimit-limit': String(rateLimit.limit),
    'ratelimit-remaining': String(Math.max(0, rateLimit.remaining)),
    'ratelimit-reset': String(Math.max(0, Math.ceil((rateLimit.resetAt.getTime() - Date.now()) / 1000))),
  };
}
