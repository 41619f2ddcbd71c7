import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, memberships, users, withTenant } from '@everyskill/db';
import { mode, openTestDatabases, type TestDatabases } from '@everyskill/db/testing';
import { ctxOf, makeTenant, signedIn, systemActor } from '../../test/factories';
import { changeMemberRole } from '../members/change-member-role';
import { deactivateMember } from '../members/deactivate-member';
import { setTenantStatus } from '../tenants/set-tenant-status';
import { loadSessionMember } from './load-session-member';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await openTestDatabases();
});
afterAll(async () => {
  await dbs?.close();
});

describe(`loadSessionMember (${mode})`, () => {
  it('returns the current role, so a role change applies at the next request', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    const member = await signedIn(dbs.app.db, `member@${t.domain}`);
    const session = { tenantId: t.id, userId: member.userId };
    expect(await loadSessionMember(dbs.app.db, session)).toMatchObject({
      status: 'active',
      member: { email: member.email, role: 'member', tenant: { id: t.id, slug: t.slug } },
    });
    await changeMemberRole(ctxOf(dbs.app.db, admin), { userId: member.userId, role: 'reviewer' });
    expect(await loadSessionMember(dbs.app.db, session)).toMatchObject({ status: 'active', member: { role: 'reviewer' } });
  });

  it('reports a deactivated person at the next request', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    const member = await signedIn(dbs.app.db, `member@${t.domain}`);
    await deactivateMember(ctxOf(dbs.app.db, admin), { userId: member.userId });
    expect(await loadSessionMember(dbs.app.db, { tenantId: t.id, userId: member.userId })).toEqual({ status: 'deactivated' });
    expect((await loadSessionMember(dbs.app.db, { tenantId: t.id, userId: admin.userId })).status).toBe('active');
  });

  it('reports an inactive tenant, a removed person and a session naming another tenant', async () => {
    const t = await makeTenant(dbs);
    const other = await makeTenant(dbs);
    const person = await signedIn(dbs.app.db, `p@${t.domain}`);
    // A token claiming the person belongs to another tenant finds nobody there (row-level security).
    expect(await loadSessionMember(dbs.app.db, { tenantId: other.id, userId: person.userId })).toEqual({ status: 'unknown' });
    expect(await loadSessionMember(dbs.app.db, { tenantId: 'not-a-uuid', userId: person.userId })).toEqual({ status: 'unknown' });
    await setTenantStatus(dbs.owner.db, systemActor, { slug: t.slug, status: 'inactive' });
    expect(await loadSessionMember(dbs.app.db, { tenantId: t.id, userId: person.userId })).toEqual({ status: 'workspace_inactive' });
    await setTenantStatus(dbs.owner.db, systemActor, { slug: t.slug, status: 'active' });
    await withTenant(dbs.app.db, t.id, async (tx) => {
      await tx.delete(memberships).where(eq(memberships.userId, person.userId));
      await tx.delete(users).where(eq(users.id, person.userId));
    });
    expect(await loadSessionMember(dbs.app.db, { tenantId: t.id, userId: person.userId })).toEqual({ status: 'unknown' });
  });
});
