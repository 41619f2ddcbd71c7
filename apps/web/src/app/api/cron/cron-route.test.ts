import { afterEach, describe, expect, it, vi } from 'vitest';

// 'server-only' is a bundler marker that throws outside Next's server graph; these modules are server code.
vi.mock('server-only', () => ({}));
import { cronRoute } from './cron-route';
import { POST as dailyDigest, GET as dailyDigestGet } from './daily-digest/route';
import { POST as integrityCheck } from './integrity-check/route';
import { POST as weeklyDigest } from './weekly-digest/route';

const SECRET = 'test-cron-secret-0123456789abcdef';
const call = (handler: (r: Request) => Promise<Response>, authorization?: string, method = 'POST') =>
  handler(new Request('http://localhost/api/cron/x', { method, headers: authorization ? { authorization } : {} }));

afterEach(() => vi.unstubAllEnvs());

describe('cron endpoints', () => {
  it('are disabled (503, with how to turn them on) while CRON_SECRET is unset', async () => {
    vi.stubEnv('CRON_SECRET', '');
    for (const handler of [dailyDigest, weeklyDigest, integrityCheck]) {
      const response = await call(handler, `Bearer ${SECRET}`);
      expect(response.status).toBe(503);
      expect((await response.json()).error.message).toMatch(/disabled on this server: set CRON_SECRET/);
    }
  });

  it('answer 401 to a missing, malformed or wrong secret, on GET and POST alike', async () => {
    vi.stubEnv('CRON_SECRET', SECRET);
    for (const handler of [dailyDigest, dailyDigestGet, weeklyDigest, integrityCheck]) {
      for (const header of [undefined, SECRET, `Basic ${SECRET}`, `Bearer ${SECRET}x`, `Bearer ${SECRET.slice(0, -1)}`, 'Bearer ']) {
        const response = await call(handler, header);
        expect(response.status, `header ${header}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect((await response.json()).error.code).toBe('unauthorized');
      }
    }
  });

  it('run the job with the right secret and answer with its result and a request id', async () => {
    vi.stubEnv('CRON_SECRET', SECRET);
    const run = vi.fn(async () => ({ status: 202, body: { runId: 'r1' } }));
    const response = await call(cronRoute('test', run), `Bearer ${SECRET}`, 'GET');
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ runId: 'r1' });
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(run).toHaveBeenCalledTimes(1);
  });
});
