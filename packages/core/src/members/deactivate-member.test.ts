import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mode, openTestDatabases, type TestDatabases } from '@everyskill/db/testing';
import { auditRowsFor, ctxOf, makeTenant, signedIn, systemActor } from '../../test/factories';
import { changeMemberRole } from './change-member-role';
import { deactivateMember } from './deactivate-member';
import { listMembers } from './list-members';
import { reactivateMember } from './reactivate-member';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await openTestDatabases();
});
afterAll(async () => {
  await dbs?.close();
});

describe(`deactivateMember and reactivateMember (${mode})`, () => {
  it('deactivates and reactivates a member, keeping their role, and audits both', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    const rev = await signedIn(dbs.app.db, `rev@${t.domain}`);
    const ctx = ctxOf(dbs.app.db, admin);
    await changeMemberRole(ctx, { userId: rev.userId, role: 'reviewer' });
    expect(await deactivateMember(ctx, { userId: rev.userId })).toEqual({ changed: true });
    expect(await deactivateMember(ctx, { userId: rev.userId })).toEqual({ changed: false });
    expect((await listMembers(ctx)).find((m) => m.userId === rev.userId)).toMatchObject({ status: 'deactivated', role: 'reviewer' });
    expect(await reactivateMember(ctx, { userId: rev.userId })).toEqual({ changed: true });
    expect(await reactivateMember(ctx, { userId: rev.userId })).toEqual({ changed: false });
    expect((await listMembers(ctx)).find((m) => m.userId === rev.userId)).toMatchObject({ status: 'active', role: 'reviewer' });
    const actions = (await auditRowsFor(dbs, rev.userId)).map((a) => a.action);
    expect(actions.filter((a) => a.startsWith('member.'))).toEqual(['member.role_changed', 'member.deactivated', 'member.reactivated']);
  });

  it('refuses to deactivate oneself and the last active admin', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    await expect(deactivateMember(ctxOf(dbs.app.db, admin), { userId: admin.userId })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('your own account'),
    });
    const cli = { tenantId: t.id, db: dbs.owner.db, actor: systemActor };
    await expect(deactivateMember(cli, { userId: admin.userId })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('last active admin'),
    });
    const second = await signedIn(dbs.app.db, `second@${t.domain}`);
    await changeMemberRole(cli, { userId: second.userId, role: 'admin' });
    expect(await deactivateMember(ctxOf(dbs.app.db, { ...second, role: 'admin' }), { userId: admin.userId })).toEqual({ changed: true });
    // A deactivated admin does not count: the remaining one is the last.
    await expect(changeMemberRole(cli, { userId: second.userId, role: 'member' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses a deactivated admin whose session is still open', async () => {
    const t = await makeTenant(dbs);
    const a = await signedIn(dbs.app.db, `a@${t.domain}`);
    const b = await signedIn(dbs.app.db, `b@${t.domain}`);
    await changeMemberRole(ctxOf(dbs.app.db, a), { userId: b.userId, role: 'admin' });
    await deactivateMember(ctxOf(dbs.app.db, { ...b, role: 'admin' }), { userId: a.userId });
    await expect(reactivateMember(ctxOf(dbs.app.db, a), { userId: a.userId })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
