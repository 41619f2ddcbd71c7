import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, memberships, withTenant } from '@everyskill/db';
import { mode, openTestDatabases, type TestDatabases } from '@everyskill/db/testing';
import { lockTenant } from '../tenants/lock-tenant';
import { auditRowsFor, ctxOf, makeTenant, signedIn } from '../../test/factories';
import { changeMemberRole } from './change-member-role';
import { listMembers } from './list-members';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await openTestDatabases();
});
afterAll(async () => {
  await dbs?.close();
});

describe(`changeMemberRole and listMembers (${mode})`, () => {
  it('lets an admin change roles, lists members, and audits each change', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    const max = await signedIn(dbs.app.db, `max@${t.domain}`);
    const ctx = ctxOf(dbs.app.db, admin);
    expect(await changeMemberRole(ctx, { userId: max.userId, role: 'reviewer' })).toEqual({ changed: true, role: 'reviewer' });
    expect(await changeMemberRole(ctx, { userId: max.userId, role: 'reviewer' })).toEqual({ changed: false, role: 'reviewer' });
    expect(await changeMemberRole(ctx, { userId: max.userId, role: 'admin' })).toEqual({ changed: true, role: 'admin' });
    const members = await listMembers(ctx);
    expect(members.map((m) => [m.email, m.role, m.status])).toEqual([
      [admin.email, 'admin', 'active'],
      [max.email, 'admin', 'active'],
    ]);
    const audit = await auditRowsFor(dbs, max.userId);
    expect(audit.filter((a) => a.action === 'member.role_changed').map((a) => [a.details.from, a.details.to, a.actor_label])).toEqual([
      ['member', 'reviewer', admin.email],
      ['reviewer', 'admin', admin.email],
    ]);
  });

  it('refuses to demote the last active admin, even oneself', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    const ctx = ctxOf(dbs.app.db, admin);
    await expect(changeMemberRole(ctx, { userId: admin.userId, role: 'member' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('last active admin'),
    });
    const other = await signedIn(dbs.app.db, `other@${t.domain}`);
    await changeMemberRole(ctx, { userId: other.userId, role: 'admin' });
    expect(await changeMemberRole(ctx, { userId: admin.userId, role: 'member' })).toEqual({ changed: true, role: 'member' });
  });

  it('keeps one admin when two admins demote each other at the same moment', async () => {
    const t = await makeTenant(dbs);
    const a = await signedIn(dbs.app.db, `a@${t.domain}`);
    const b = await signedIn(dbs.app.db, `b@${t.domain}`);
    await changeMemberRole(ctxOf(dbs.app.db, a), { userId: b.userId, role: 'admin' });
    const results = await Promise.allSettled([
      changeMemberRole(ctxOf(dbs.app.db, a), { userId: b.userId, role: 'member' }),
      changeMemberRole(ctxOf(dbs.app.db, { ...b, role: 'admin' }), { userId: a.userId, role: 'member' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const admins = (await listMembers({ ...ctxOf(dbs.app.db, a), actor: { kind: 'system', label: 'test' } })).filter((m) => m.role === 'admin');
    expect(admins).toHaveLength(1);
  });

  it('an admin demoted while their own change waited on the tenant is refused once it runs', async () => {
    const t = await makeTenant(dbs);
    const a = await signedIn(dbs.app.db, `a@${t.domain}`);
    const b = await signedIn(dbs.app.db, `b@${t.domain}`);
    const c = await signedIn(dbs.app.db, `c@${t.domain}`);
    await changeMemberRole(ctxOf(dbs.app.db, a), { userId: b.userId, role: 'admin' });
    // A demotes B inside a transaction that holds the tenant for a moment; B's change starts meanwhile.
    const demotion = withTenant(dbs.app.db, t.id, async (tx) => {
      await lockTenant(tx, t.id);
      await tx.update(memberships).set({ role: 'member' }).where(eq(memberships.userId, b.userId));
      await new Promise((resolve) => setTimeout(resolve, 400));
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const byB = changeMemberRole(ctxOf(dbs.app.db, { ...b, role: 'admin' }), { userId: c.userId, role: 'admin' });
    await demotion;
    await expect(byB).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('refuses members and reviewers, and admins of another tenant', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    const member = await signedIn(dbs.app.db, `member@${t.domain}`);
    // A member whose token still claims admin is refused: the role is re-read in the transaction.
    const claimsAdmin = { ...ctxOf(dbs.app.db, member), actor: { kind: 'user' as const, userId: member.userId, email: member.email, role: 'admin' as const } };
    await expect(changeMemberRole(claimsAdmin, { userId: member.userId, role: 'admin' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listMembers(claimsAdmin)).rejects.toMatchObject({ code: 'forbidden' });
    const other = await makeTenant(dbs);
    const otherAdmin = await signedIn(dbs.app.db, `admin@${other.domain}`);
    // Acting in tenant t with another tenant's admin: not an admin here, and t's people are invisible.
    await expect(changeMemberRole({ ...ctxOf(dbs.app.db, otherAdmin), tenantId: t.id }, { userId: member.userId, role: 'admin' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(changeMemberRole(ctxOf(dbs.app.db, otherAdmin), { userId: member.userId, role: 'admin' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await listMembers(ctxOf(dbs.app.db, admin))).toHaveLength(2);
  });

  it('explains invalid input', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    await expect(changeMemberRole(ctxOf(dbs.app.db, admin), { userId: admin.userId, role: 'owner' as 'admin' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('role'),
    });
  });
});
