import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@everyskill/core';
import { errorResponse, jsonResponse, requestIdOf } from '@/server/api/api-response';
import { readServerEnv } from '@/server/env';
import { logger } from '@/server/logger';

/** Compares in constant time; hashing first makes the lengths equal, so length leaks nothing either. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The wrapper of every /api/cron/* handler (GET and POST alike, for schedulers that can only do
 * one): refuses with 503 while CRON_SECRET is unset, 401 unless `Authorization: Bearer <CRON_SECRET>`.
 */
export function cronRoute(name: string, run: (url: URL, requestId: string) => Promise<{ status: number; body: unknown }>) {
  return async (request: Request): Promise<Response> => {
    const requestId = requestIdOf(request);
    try {
      const secret = readServerEnv().CRON_SECRET;
      if (!secret) {
        throw new AppError('unavailable', 'cron endpoints are disabled on this server: set CRON_SECRET to turn them on (see docs/operations.md, "Cron and digests")');
      }
      const header = request.headers.get('authorization') ?? '';
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match || !sameSecret(match[1]!, secret)) {
        logger.warn('cron call refused', { requestId, endpoint: name, reason: match ? 'wrong secret' : 'no bearer token' });
        throw new AppError('unauthorized', 'send the cron secret as `Authorization: Bearer <CRON_SECRET>`');
      }
      const { status, body } = await run(new URL(request.url), requestId);
      logger.info('cron call', { requestId, endpoint: name, status });
      const response = jsonResponse(body, { status, headers: { 'cache-control': 'no-store' } });
      response.headers.set('x-request-id', requestId);
      return response;
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}
