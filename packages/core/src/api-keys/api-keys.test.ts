import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, auditLog, eq, memberships, sql, tenants, withTenant } from '@everyskill/db';
import { createTestTenant, mode, openTestDatabases, personCtx } from '../../test/agent-access-fixtures';
import type { Ctx } from '../context';
import { AppError } from '../errors';
import { requireScope } from '../skills/skill-access';
import { authenticateApiKey } from './authenticate-api-key';
import { createApiKey } from './create-api-key';
import { listApiKeys } from './list-api-keys';
import { revokeApiKey } from './revoke-api-key';
import { rotateApiKey } from './rotate-api-key';
import { MAX_ACTIVE_KEYS_PER_PERSON } from './create-api-key';
import { hashApiKey } from './api-key-secret';

type Dbs = Awaited<ReturnType<typeof openTestDatabases>>;
let dbs: Dbs;
let a: Awaited<ReturnType<typeof createTestTenant>>;
let b: Awaited<ReturnType<typeof createTestTenant>>;
let member: Ctx;
let admin: Ctx;

async function refusal(promise: Promise<unknown>): Promise<{ code: string; status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  dbs = await openTestDatabases();
  a = await createTestTenant(dbs.owner.db, dbs.app.db);
  b = await createTestTenant(dbs.owner.db, dbs.app.db);
  member = personCtx(dbs.app.db, a.tenantId, a.people.member);
  admin = personCtx(dbs.app.db, a.tenantId, a.people.admin);
});

afterAll(async () => {
  await dbs?.close();
});

describe(`API keys (${mode})`, () => {
  it('mints a key shown once, stores only its hash, expires after the tenant lifetime, and audits it', async () => {
    const created = await createApiKey(member, { name: 'laptop', scopes: ['skills:read', 'usage:write'] });
    expect(created.secret).toMatch(/^rlk_[0-9A-Za-z]{43}$/);
    expect(created.key).toMatchObject({ name: 'laptop', scopes: ['skills:read', 'usage:write'], status: 'active', lastUsedAt: null });
    expect(created.key.displayPrefix).toBe(`${created.secret.slice(0, 10)}…`);
    const days = (new Date(created.key.expiresAt).getTime() - new Date(created.key.createdAt).getTime()) / 86_400_000;
    expect(days).toBe(90);
    const rows = await withTenant(dbs.app.db, a.tenantId, (tx) => tx.select().from(apiKeys).where(eq(apiKeys.id, created.key.id)));
    expect(rows[0]!.keyHash).toBe(hashApiKey(created.secret));
    expect(JSON.stringify(rows[0])).not.toContain(created.secret.slice(10));
    const audit = await withTenant(dbs.app.db, a.tenantId, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.targetId, created.key.id)),
    );
    expect(audit.map((r) => r.action)).toEqual(['api_key.created']);
  });

  it('refuses scopes beyond the role: only admins mint the admin scope', async () => {
    expect(await refusal(createApiKey(member, { name: 'x', scopes: ['admin'] }))).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining("'admin'"),
    });
    const reviewer = personCtx(dbs.app.db, a.tenantId, a.people.reviewer);
    expect((await refusal(createApiKey(reviewer, { name: 'x', scopes: ['skills:read', 'admin'] }))).status).toBe(403);
    const made = await createApiKey(admin, { name: 'ops', scopes: ['admin', 'skills:read'] });
    expect(made.key.scopes).toEqual(['admin', 'skills:read']);
    expect((await refusal(createApiKey(member, { name: ' ', scopes: ['skills:read'] }))).code).toBe('invalid_input');
    expect((await refusal(createApiKey(member, { name: 'x', scopes: [] }))).code).toBe('invalid_input');
  });

  it('authenticates a valid key into the key’s tenant, with its scopes, and stamps last use without a write per request', async () => {
    const { secret, key } = await createApiKey(member, { name: 'agent', scopes: ['skills:read'] });
    const first = await authenticateApiKey(dbs.app.db, secret);
    expect(first.tenantId).toBe(a.tenantId);
    expect(first.actor).toEqual({ kind: 'api-key', userId: a.people.member.userId, keyId: key.id, role: 'member', scopes: ['skills:read'] });
    expect(first.touched).not.toBeNull();
    await first.touched;
    const second = await authenticateApiKey(dbs.app.db, secret);
    expect(second.touched).toBeNull();
    const later = await authenticateApiKey(dbs.app.db, secret, { now: new Date(Date.now() + 6 * 60_000) });
    expect(later.touched).not.toBeNull();
    await later.touched;
    const [mine] = (await listApiKeys(member)).filter((k) => k.id === key.id);
    expect(mine!.lastUsedAt).not.toBeNull();
  });

  it('refuses malformed, unknown, revoked and expired keys with 401', async () => {
    const { secret, key } = await createApiKey(member, { name: 'soon revoked', scopes: ['skills:read'] });
    expect(await refusal(authenticateApiKey(dbs.app.db, 'rlk_short'))).toMatchObject({ status: 401, message: expect.stringContaining('malformed') });
    expect(await refusal(authenticateApiKey(dbs.app.db, `Bearer ${secret}`))).toMatchObject({ status: 401 });
    const unknown = secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a');
    expect(await refusal(authenticateApiKey(dbs.app.db, unknown))).toMatchObject({ status: 401, message: expect.stringContaining('not valid') });

    await revokeApiKey(member, { keyId: key.id });
    expect(await refusal(authenticateApiKey(dbs.app.db, secret))).toMatchObject({ status: 401, message: expect.stringContaining('revoked') });

    const old = await createApiKey(member, { name: 'old', scopes: ['skills:read'] });
    expect(await refusal(authenticateApiKey(dbs.app.db, old.secret, { now: new Date(Date.now() + 91 * 86_400_000) }))).toMatchObject({
      status: 401,
      message: expect.stringContaining('expired'),
    });
  });

  it('enforces a shortened tenant key lifetime on existing keys at the next request', async () => {
    const t = await createTestTenant(dbs.owner.db, dbs.app.db);
    const ctx = personCtx(dbs.app.db, t.tenantId, t.people.member);
    const { secret } = await createApiKey(ctx, { name: 'k', scopes: ['skills:read'] });
    const in10Days = new Date(Date.now() + 10 * 86_400_000);
    await authenticateApiKey(dbs.app.db, secret, { now: in10Days });
    await withTenant(dbs.app.db, t.tenantId, (tx) => tx.update(tenants).set({ apiKeyExpiryDays: 7 }).where(eq(tenants.id, t.tenantId)));
    expect((await refusal(authenticateApiKey(dbs.app.db, secret, { now: in10Days }))).message).toContain('expired');
    await authenticateApiKey(dbs.app.db, secret, { now: new Date(Date.now() + 6 * 86_400_000) });
  });

  it('refuses a key presented on another tenant’s host, and a key whose owner was deactivated', async () => {
    const { secret } = await createApiKey(member, { name: 'wrong host', scopes: ['skills:read'] });
    expect(await refusal(authenticateApiKey(dbs.app.db, secret, { hostTenant: { id: b.tenantId } }))).toMatchObject({
      status: 401,
      message: expect.stringContaining('another workspace'),
    });
    await authenticateApiKey(dbs.app.db, secret, { hostTenant: { id: a.tenantId } });
    await authenticateApiKey(dbs.app.db, secret, { hostTenant: { slug: a.slug } });
    expect((await refusal(authenticateApiKey(dbs.app.db, secret, { hostTenant: { slug: b.slug } }))).status).toBe(401);

    const t = await createTestTenant(dbs.owner.db, dbs.app.db);
    const gone = await createApiKey(personCtx(dbs.app.db, t.tenantId, t.people.member), { name: 'k', scopes: ['skills:read'] });
    await withTenant(dbs.app.db, t.tenantId, (tx) =>
      tx.update(memberships).set({ status: 'deactivated' }).where(eq(memberships.userId, t.people.member.userId)),
    );
    expect((await refusal(authenticateApiKey(dbs.app.db, gone.secret))).status).toBe(401);
  });

  it('drops the admin scope at once when its owner is no longer an admin', async () => {
    const t = await createTestTenant(dbs.owner.db, dbs.app.db);
    const { secret } = await createApiKey(personCtx(dbs.app.db, t.tenantId, t.people.admin), { name: 'k', scopes: ['admin', 'skills:read'] });
    expect((await authenticateApiKey(dbs.app.db, secret)).actor.scopes).toEqual(['admin', 'skills:read']);
    await withTenant(dbs.app.db, t.tenantId, (tx) =>
      tx.update(memberships).set({ role: 'member' }).where(eq(memberships.userId, t.people.admin.userId)),
    );
    const demoted = await authenticateApiKey(dbs.app.db, secret);
    expect(demoted.actor.scopes).toEqual(['skills:read']);
    expect((await refusal(Promise.resolve().then(() => requireScope({ ...member, actor: demoted.actor }, 'admin')))).status).toBe(403);
    expect(() => requireScope({ ...member, actor: demoted.actor }, 'skills:read')).not.toThrow();
  });

  it('rotation issues a new key and keeps the old one working for 24 hours only', async () => {
    const old = await createApiKey(member, { name: 'ci', scopes: ['skills:read', 'skills:publish'] });
    const rotated = await rotateApiKey(member, { keyId: old.key.id });
    expect(rotated.secret).not.toBe(old.secret);
    expect(rotated.key).toMatchObject({ name: 'ci', scopes: ['skills:publish', 'skills:read'], rotatedFromId: old.key.id });
    await authenticateApiKey(dbs.app.db, old.secret, { now: new Date(Date.now() + 23 * 3_600_000) });
    expect((await refusal(authenticateApiKey(dbs.app.db, old.secret, { now: new Date(Date.now() + 25 * 3_600_000) }))).message).toContain('expired');
    await authenticateApiKey(dbs.app.db, rotated.secret, { now: new Date(Date.now() + 25 * 3_600_000) });
    // Someone else cannot rotate (or learn of) your key.
    const other = personCtx(dbs.app.db, a.tenantId, a.people.reviewer);
    expect((await refusal(rotateApiKey(other, { keyId: rotated.key.id }))).status).toBe(404);
  });

  it('a key is rotated once (its replacement is rotated next), and rotation works for someone at the key cap', async () => {
    const reviewer = personCtx(dbs.app.db, a.tenantId, a.people.reviewer);
    const first = await createApiKey(reviewer, { name: 'agent', scopes: ['skills:read'] });
    const second = await rotateApiKey(reviewer, { keyId: first.key.id });
    const again = await refusal(rotateApiKey(reviewer, { keyId: first.key.id }));
    expect(again.status).toBe(409);
    expect(again.message).toContain(second.key.displayPrefix);
    await rotateApiKey(reviewer, { keyId: second.key.id });

    // Fill up to the cap; a new key is refused, a rotation (which replaces one) is not.
    const held = (await listApiKeys(reviewer)).filter((k) => k.status === 'active').length;
    const made = [];
    for (let i = held; i < MAX_ACTIVE_KEYS_PER_PERSON; i++) made.push(await createApiKey(reviewer, { name: `filler ${i}`, scopes: ['skills:read'] }));
    expect((await refusal(createApiKey(reviewer, { name: 'one too many', scopes: ['skills:read'] }))).status).toBe(409);
    await expect(rotateApiKey(reviewer, { keyId: made.at(-1)!.key.id })).resolves.toMatchObject({ key: { name: made.at(-1)!.key.name } });
  });

  it('lets people see and revoke only their own keys; admins see and revoke every key of their tenant', async () => {
    const reviewer = personCtx(dbs.app.db, a.tenantId, a.people.reviewer);
    const mine = await createApiKey(member, { name: 'mine', scopes: ['skills:read'] });
    expect((await listApiKeys(reviewer)).some((k) => k.id === mine.key.id)).toBe(false);
    expect((await refusal(listApiKeys(reviewer, { all: true }))).status).toBe(403);
    expect((await refusal(revokeApiKey(reviewer, { keyId: mine.key.id }))).status).toBe(404);
    const all = await listApiKeys(admin, { all: true });
    expect(all.find((k) => k.id === mine.key.id)).toMatchObject({ ownerEmail: a.people.member.email });
    const revoked = await revokeApiKey(admin, { keyId: mine.key.id });
    expect(revoked.status).toBe('revoked');
    expect((await refusal(authenticateApiKey(dbs.app.db, mine.secret))).status).toBe(401);
    // Another tenant's admin cannot reach the key at all.
    const bAdmin = personCtx(dbs.app.db, b.tenantId, b.people.admin);
    expect((await refusal(revokeApiKey(bAdmin, { keyId: mine.key.id }))).status).toBe(404);
    expect((await listApiKeys(bAdmin, { all: true })).some((k) => k.id === mine.key.id)).toBe(false);
  });

  it('keeps keys behind row-level security: the app role finds none without a tenant, the lookup function finds one', async () => {
    const { secret } = await createApiKey(member, { name: 'rls', scopes: ['skills:read'] });
    const visible = await withTenant(dbs.app.db, b.tenantId, (tx) => tx.select().from(apiKeys).where(eq(apiKeys.keyHash, hashApiKey(secret))));
    expect(visible).toHaveLength(0);
    const viaFunction = await withTenant(dbs.app.db, b.tenantId, async (tx) => {
      const rows = await tx.execute(sql`SELECT id, current_setting('app.tenant_id', true) AS after FROM api_key_for_hash(${hashApiKey(secret)})`);
      const after = await tx.execute(sql`SELECT current_setting('app.tenant_id', true) AS t`);
      return { rows, after };
    });
    const after = (Array.isArray(viaFunction.after) ? viaFunction.after : (viaFunction.after as { rows: unknown[] }).rows) as { t: string }[];
    // The function restores the caller's tenant setting: B stays B.
    expect(after[0]!.t).toBe(b.tenantId);
  });
});
