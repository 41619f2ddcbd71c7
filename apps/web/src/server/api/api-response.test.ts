process.env.LOG_LEVEL = 'silent'; // the unknown-error case logs on purpose

import { describe, expect, it } from 'vitest';
import { AppError } from '@everyskill/core';
import { decorate, errorResponse, ifNoneMatchHits, jsonResponse, requestIdOf } from './api-response';

describe('API responses', () => {
  it('map every AppError to {error: {code, message, details}} with its HTTP status', async () => {
    const cases: [AppError, number][] = [
      [new AppError('not_found', "skill 'x' was not found"), 404],
      [new AppError('unauthorized', 'the API key was revoked'), 401],
      [new AppError('forbidden', "this API key lacks the 'skills:publish' scope"), 403],
      [new AppError('invalid_input', 'q: must not be empty', { issues: [{ field: 'q', message: 'must not be empty' }] }), 400],
      [new AppError('conflict', 'version 1.0.0 exists'), 409],
      [new AppError('method_not_allowed', '/api/v1/whoami does not answer DELETE'), 405],
      [new AppError('rate_limited', 'slow down', { retryAfterSeconds: 17 }), 429],
    ];
    for (const [error, status] of cases) {
      const response = errorResponse(error, 'req-1');
      expect(response.status).toBe(status);
      expect(response.headers.get('x-request-id')).toBe('req-1');
      const body = await response.json();
      expect(body).toEqual({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
    }
  });

  it('asks for a bearer key on 401 and says when to retry on 429', () => {
    expect(errorResponse(new AppError('unauthorized', 'no key'), 'r').headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(errorResponse(new AppError('rate_limited', 'slow', { retryAfterSeconds: 17 }), 'r').headers.get('retry-after')).toBe('17');
  });

  it('never shows an unknown error’s message or stack to the client', async () => {
    const response = errorResponse(new Error('connection string postgres://secret@db'), 'req-9');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('secret');
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: expect.stringContaining('req-9') } });
  });

  it('keeps a sane caller request id and replaces anything else', () => {
    expect(requestIdOf(new Request('http://x', { headers: { 'x-request-id': 'abc-123' } }))).toBe('abc-123');
    expect(requestIdOf(new Request('http://x', { headers: { 'x-request-id': 'bad id\n' } }))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(new Request('http://x'))).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('adds the request id and rate-limit headers to a success', () => {
    const response = decorate(jsonResponse({ ok: true }), 'req-2', { limit: 600, remaining: 599, resetAt: new Date(Date.now() + 30_000) });
    expect(response.headers.get('x-request-id')).toBe('req-2');
    expect(response.headers.get('ratelimit-limit')).toBe('600');
    expect(response.headers.get('ratelimit-remaining')).toBe('599');
    expect(Number(response.headers.get('ratelimit-reset'))).toBeGreaterThan(25);
  });

  it('match If-None-Match against an entity tag: any listed tag, weak or strong, or *', () => {
    const etag = '"abc"';
    expect(ifNoneMatchHits(null, etag)).toBe(false);
    expect(ifNoneMatchHits('"abc"', etag)).toBe(true);
    expect(ifNoneMatchHits('W/"abc"', etag)).toBe(true);
    expect(ifNoneMatchHits('"x", "abc"', etag)).toBe(true);
    expect(ifNoneMatchHits('*', etag)).toBe(true);
    expect(ifNoneMatchHits('"abcd", "ab"', etag)).toBe(false);
    expect(ifNoneMatchHits('abc', etag)).toBe(false);
    expect(ifNoneMatchHits('"abc"', 'W/"abc"')).toBe(true);
  });
});
