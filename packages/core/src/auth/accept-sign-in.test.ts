import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, tenantDomains, users, withTenant } from '@everyskill/db';
import { mode, openTestDatabases, uniqueSlug, type TestDatabases } from '@everyskill/db/testing';
import { auditRowsFor, ctxOf, makeTenant, signedIn, systemActor } from '../../test/factories';
import { deactivateMember } from '../members/deactivate-member';
import { reactivateMember } from '../members/reactivate-member';
import { addTenantDomain } from '../tenants/add-tenant-domain';
import { removeTenantDomain } from '../tenants/remove-tenant-domain';
import { setTenantStatus } from '../tenants/set-tenant-status';
import { acceptSignIn } from './accept-sign-in';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await openTestDatabases();
});
afterAll(async () => {
  await dbs?.close();
});

describe(`acceptSignIn (${mode})`, () => {
  it('makes the first person of a tenant its admin and later people members, and audits each sign-in', async () => {
    const t = await makeTenant(dbs);
    const first = await signedIn(dbs.app.db, `Alice@${t.domain.toUpperCase()}`, { name: 'Alice', hostedDomain: t.domain });
    expect(first).toMatchObject({ email: `alice@${t.domain}`, role: 'admin', firstSignIn: true, tenant: { id: t.id, slug: t.slug } });
    const second = await signedIn(dbs.app.db, `bob@${t.domain}`);
    expect(second).toMatchObject({ role: 'member', firstSignIn: true });
    const again = await signedIn(dbs.app.db, `alice@${t.domain}`, { name: 'Alice Liddell' });
    expect(again).toMatchObject({ userId: first.userId, role: 'admin', firstSignIn: false, name: 'Alice Liddell' });

    const [row] = await withTenant(dbs.app.db, t.id, (tx) => tx.select().from(users).where(eq(users.id, first.userId)));
    expect(row?.name).toBe('Alice Liddell');
    expect(row?.lastSignInAt).toBeInstanceOf(Date);
    const audit = await auditRowsFor(dbs, first.userId);
    expect(audit.map((a) => [a.action, a.details.firstSignIn])).toEqual([
      ['auth.sign_in', true],
      ['auth.sign_in', false],
    ]);
    expect(audit[0]).toMatchObject({ tenant_id: t.id, actor_label: `alice@${t.domain}`, details: { role: 'admin', method: 'google' } });
  });

  it('refuses an email the provider has not verified', async () => {
    const t = await makeTenant(dbs);
    const email = `eve@${t.domain}`;
    expect(await acceptSignIn(dbs.app.db, { email, emailVerified: false, method: 'google' })).toEqual({
      ok: false,
      reason: 'email_unverified',
    });
    const audit = await auditRowsFor(dbs, email);
    expect(audit).toEqual([expect.objectContaining({ tenant_id: null, action: 'auth.sign_in_refused', details: expect.objectContaining({ reason: 'email_unverified' }) })]);
  });

  it('refuses a Google Workspace account whose hd claim differs from the email domain', async () => {
    const t = await makeTenant(dbs);
    const email = `hd@${t.domain}`;
    const decision = await acceptSignIn(dbs.app.db, { email, emailVerified: true, hostedDomain: 'other.test', method: 'google' });
    expect(decision).toEqual({ ok: false, reason: 'hosted_domain_mismatch' });
    expect((await auditRowsFor(dbs, email))[0]?.details).toMatchObject({ reason: 'hosted_domain_mismatch', hostedDomain: 'other.test' });
    // The same claim in another case agrees; a missing claim (not a Workspace account) is allowed.
    expect((await acceptSignIn(dbs.app.db, { email, emailVerified: true, hostedDomain: t.domain.toUpperCase(), method: 'google' })).ok).toBe(true);
    expect((await acceptSignIn(dbs.app.db, { email: `nohd@${t.domain}`, emailVerified: true, method: 'google' })).ok).toBe(true);
  });

  it('refuses a domain that belongs to no tenant, and records it without a tenant', async () => {
    const email = `mallory@${uniqueSlug('unknown')}.test`;
    expect(await acceptSignIn(dbs.app.db, { email, emailVerified: true, method: 'google' })).toEqual({ ok: false, reason: 'no_workspace' });
    expect(await auditRowsFor(dbs, email)).toEqual([
      expect.objectContaining({ tenant_id: null, action: 'auth.sign_in_refused', details: expect.objectContaining({ reason: 'no_workspace' }) }),
    ]);
  });

  it('refuses subdomains and look-alikes of a tenant domain, and malformed addresses', async () => {
    const t = await makeTenant(dbs);
    expect(await acceptSignIn(dbs.app.db, { email: `x@sub.${t.domain}`, emailVerified: true, method: 'google' })).toEqual({ ok: false, reason: 'no_workspace' });
    expect(await acceptSignIn(dbs.app.db, { email: `x@evil-${t.domain}`, emailVerified: true, method: 'google' })).toEqual({ ok: false, reason: 'no_workspace' });
    expect(await acceptSignIn(dbs.app.db, { email: `x@${t.domain}.evil.test`, emailVerified: true, method: 'google' })).toEqual({ ok: false, reason: 'no_workspace' });
    expect(await acceptSignIn(dbs.app.db, { email: 'x@test', emailVerified: true, method: 'google' })).toEqual({ ok: false, reason: 'email_invalid' });
    expect(await acceptSignIn(dbs.app.db, { email: 'not an email', emailVerified: true, method: 'google' })).toEqual({ ok: false, reason: 'email_invalid' });
  });

  it('refuses every person of an inactive tenant, including its admin', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    await setTenantStatus(dbs.owner.db, systemActor, { slug: t.slug, status: 'inactive' });
    expect(await acceptSignIn(dbs.app.db, { email: admin.email, emailVerified: true, method: 'google' })).toEqual({ ok: false, reason: 'workspace_inactive' });
    expect(await acceptSignIn(dbs.app.db, { email: `new@${t.domain}`, emailVerified: true, method: 'google' })).toEqual({ ok: false, reason: 'workspace_inactive' });
    expect((await auditRowsFor(dbs, admin.email)).at(-1)).toMatchObject({ tenant_id: t.id, details: { reason: 'workspace_inactive' } });
    await setTenantStatus(dbs.owner.db, systemActor, { slug: t.slug, status: 'active' });
    expect((await acceptSignIn(dbs.app.db, { email: admin.email, emailVerified: true, method: 'google' })).ok).toBe(true);
  });

  it('refuses a deactivated person until they are reactivated', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    const member = await signedIn(dbs.app.db, `member@${t.domain}`);
    await deactivateMember(ctxOf(dbs.app.db, admin), { userId: member.userId });
    expect(await acceptSignIn(dbs.app.db, { email: member.email, emailVerified: true, method: 'google' })).toEqual({ ok: false, reason: 'account_deactivated' });
    expect((await auditRowsFor(dbs, member.email)).at(-1)).toMatchObject({ tenant_id: t.id, action: 'auth.sign_in_refused', details: { reason: 'account_deactivated' } });
    await reactivateMember(ctxOf(dbs.app.db, admin), { userId: member.userId });
    expect(await signedIn(dbs.app.db, member.email)).toMatchObject({ userId: member.userId, role: 'member' });
  });

  it('does not count an email domain added in the portal until it is verified', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    const extra = `${uniqueSlug('extra')}.test`;
    await addTenantDomain(ctxOf(dbs.app.db, admin), { domain: extra, kind: 'email' });
    expect(await acceptSignIn(dbs.app.db, { email: `p@${extra}`, emailVerified: true, method: 'google' })).toEqual({ ok: false, reason: 'no_workspace' });
    await withTenant(dbs.app.db, t.id, (tx) => tx.update(tenantDomains).set({ verifiedAt: new Date() }).where(eq(tenantDomains.domain, extra)));
    expect(await signedIn(dbs.app.db, `p@${extra}`)).toMatchObject({ tenant: { id: t.id }, role: 'member' });
  });

  it('refuses a person whose email domain moved to another tenant after they joined the first', async () => {
    const a = await makeTenant(dbs, 'move-a');
    const b = await makeTenant(dbs, 'move-b');
    const moving = `${uniqueSlug('moving')}.test`;
    const cli = { db: dbs.owner.db, actor: systemActor };
    const domain = await addTenantDomain({ ...cli, tenantId: a.id }, { domain: moving, kind: 'email' });
    const person = await signedIn(dbs.app.db, `pat@${moving}`);
    expect(person.tenant.id).toBe(a.id);
    await removeTenantDomain({ ...cli, tenantId: a.id }, { domainId: domain.id });
    await addTenantDomain({ ...cli, tenantId: b.id }, { domain: moving, kind: 'email' });
    expect(await acceptSignIn(dbs.app.db, { email: person.email, emailVerified: true, method: 'google' })).toEqual({
      ok: false,
      reason: 'email_in_other_workspace',
    });
    expect((await auditRowsFor(dbs, person.email)).at(-1)).toMatchObject({ tenant_id: null, details: { reason: 'email_in_other_workspace' } });
  });

  it('makes exactly one admin when the first people of a tenant sign in at the same moment', async () => {
    const t = await makeTenant(dbs);
    const people = await Promise.all(['a', 'b', 'c', 'd'].map((n) => signedIn(dbs.app.db, `${n}@${t.domain}`)));
    expect(people.filter((p) => p.role === 'admin')).toHaveLength(1);
    expect(people.filter((p) => p.role === 'member')).toHaveLength(3);
  });
});
