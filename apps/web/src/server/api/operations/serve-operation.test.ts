import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.LOG_LEVEL = 'silent';
});
vi.mock('server-only', () => ({}));
// The key is checked by the read itself; these stand in for the database's part.
const calls = vi.hoisted(() => ({ charged: [] as string[], checkedAlone: 0 }));
vi.mock('../authenticate-request', async () => {
  const { AppError } = await import('@everyskill/core');
  return {
    authenticateRequest: vi.fn(),
    keyOfRequest: async (headers: { get(name: string): string | null }) => {
      const header = headers.get('authorization');
      if (!header) throw new AppError('unauthorized', 'send an API key');
      return { db: {}, secret: header.replace(/^Bearer /, ''), hostTenant: headers.get('host')?.startsWith('acme.') ? { slug: 'acme' } : null };
    },
    chargeKey: async (_db: unknown, key: { actor: { keyId: string } }) => {
      calls.charged.push(key.actor.keyId);
      return { limit: 600, remaining: 599, resetAt: new Date(Date.now() + 30_000) };
    },
  };
});
vi.mock('@everyskill/core/api-keys/authenticate-api-key', () => ({
  authenticateApiKey: async () => {
    calls.checkedAlone++;
    return keyOf(['skills:read']);
  },
}));
import { AppError } from '@everyskill/core';
import type { AuthenticatedKey } from '@everyskill/core/api-keys/authenticate-api-key';
import { keyedReadOperation } from './operation';
import { serveOperation } from './serve-operation';

function keyOf(scopes: string[]): AuthenticatedKey {
  return { tenantId: 't1', actor: { kind: 'api-key', keyId: 'k1', userId: 'u1', email: 'a@acme.test', role: 'member', scopes } } as unknown as AuthenticatedKey;
}

/** A read as the skill operations write it: checks the key (here: by its secret), admits it, then reads. */
const route = serveOperation(
  keyedReadOperation({
    operationId: 'getItem',
    method: 'get',
    path: '/items/{ref}',
    summary: 'An item',
    tag: 'Skills',
    responses: {},
    errors: [],
    scope: 'skills:read',
    input: ({ ref }) => {
      if (!/^[a-z-]+$/.test(ref)) throw new AppError('invalid_input', `'${ref}' is not a skill name`);
      return { slug: ref };
    },
    read: async ({ secret, hostTenant, requestId, admit }, { slug }) => {
      if (secret === 'rlk_revoked') throw new AppError('unauthorized', 'the API key was revoked');
      await admit(keyOf(secret === 'rlk_publish_only' ? ['skills:publish'] : ['skills:read']));
      if (slug === 'missing') throw new AppError('not_found', `skill '${slug}' was not found`);
      if (slug === 'broken') throw new Error('the database went away');
      return { slug, hostTenant, requestId };
    },
  }),
);
const answer = route.answer!;

/** The operation answered both ways: through its Web handler (as the catch-all calls it) and through `answer` (as the dispatcher does). */
async function bothWays(headers: Record<string, string>, ref: string) {
  const web = await route(new Request(`http://localhost/api/v1/items/${ref}`, { headers }), { ref });
  const requestId = headers['x-request-id'] ?? web.headers.get('x-request-id')!;
  const direct = await answer(new Headers(headers), requestId, { ref });
  const webHeaders = Object.fromEntries(web.headers);
  return { web: { status: web.status, headers: webHeaders, body: await web.text() }, direct: { ...direct, headers: Object.fromEntries(new Headers(direct.headers)) } };
}

describe('serveOperation of a read that checks its own key', () => {
  beforeEach(() => {
    calls.charged.length = 0;
    calls.checkedAlone = 0;
  });

  it('answers the same status, headers and body through its Web handler and through answer', async () => {
    const cases: [Record<string, string>, string, number][] = [
      [{ authorization: 'Bearer rlk_good', 'x-request-id': 'req-1', host: 'acme.localhost' }, 'pdf-forms', 200],
      [{ 'x-request-id': 'req-2' }, 'pdf-forms', 401],
      [{ authorization: 'Bearer rlk_revoked', 'x-request-id': 'req-3' }, 'pdf-forms', 401],
      [{ authorization: 'Bearer rlk_publish_only', 'x-request-id': 'req-4' }, 'pdf-forms', 403],
      [{ authorization: 'Bearer rlk_good', 'x-request-id': 'req-5' }, 'missing', 404],
      [{ authorization: 'Bearer rlk_good', 'x-request-id': 'req-6' }, 'Not_A_Name', 400],
      [{ authorization: 'Bearer rlk_good', 'x-request-id': 'req-7' }, 'broken', 500],
    ];
    for (const [headers, ref, status] of cases) {
      const { web, direct } = await bothWays(headers, ref);
      expect(web.status, `${ref} ${headers.authorization}`).toBe(status);
      expect(direct).toEqual(web);
      expect(web.headers['x-request-id']).toBe(headers['x-request-id']);
      expect(web.headers['content-type']).toBe('application/json; charset=utf-8');
    }
  });

  it('reads with the request id, the presented key and host, and puts the key’s rate-limit state on the answer', async () => {
    const { web } = await bothWays({ authorization: 'Bearer rlk_good', 'x-request-id': 'req-9', host: 'acme.localhost' }, 'pdf-forms');
    expect(JSON.parse(web.body)).toEqual({ slug: 'pdf-forms', hostTenant: { slug: 'acme' }, requestId: 'req-9' });
    expect(web.headers).toMatchObject({ 'ratelimit-limit': '600', 'ratelimit-remaining': '599' });
    expect(Number(web.headers['ratelimit-reset'])).toBeGreaterThan(25);
    expect(calls.charged).toEqual(['k1', 'k1']);
  });

  it('refuses a request without a key with 401 and a Bearer challenge, charging nothing', async () => {
    const { web } = await bothWays({ 'x-request-id': 'req-10' }, 'pdf-forms');
    expect(web.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(JSON.parse(web.body)).toEqual({ error: { code: 'unauthorized', message: 'send an API key' } });
    expect(calls.charged).toEqual([]);
  });

  it('checks and charges the key before refusing input it cannot parse, and hides an unknown error', async () => {
    const bad = await bothWays({ authorization: 'Bearer rlk_good', 'x-request-id': 'req-11' }, 'Not_A_Name');
    expect(JSON.parse(bad.web.body)).toEqual({ error: { code: 'invalid_input', message: "'Not_A_Name' is not a skill name" } });
    expect([calls.checkedAlone, calls.charged.length]).toEqual([2, 2]);
    const broken = await bothWays({ authorization: 'Bearer rlk_good', 'x-request-id': 'req-12' }, 'broken');
    expect(broken.web.body).not.toContain('database');
    expect(JSON.parse(broken.web.body).error.code).toBe('internal');
  });
});
