import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mode, openTestDatabases, uniqueSlug, type TestDatabases } from '@everyskill/db/testing';
import { auditRowsFor, ctxOf, makeTenant, signedIn, systemActor } from '../../test/factories';
import { acceptSignIn } from '../auth/accept-sign-in';
import { addTenantDomain } from './add-tenant-domain';
import type { DnsTxtResolver } from './dns-txt-resolver';
import { getTenantSettings } from './get-tenant-settings';
import { findActiveTenant } from './find-active-tenant';
import { removeTenantDomain } from './remove-tenant-domain';
import { verifyTenantDomain } from './verify-tenant-domain';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await openTestDatabases();
});
afterAll(async () => {
  await dbs?.close();
});

/** A DNS stand-in: TXT records by name, and the names it was asked about. */
function fakeDns(records: Record<string, string[]> = {}): DnsTxtResolver & { asked: string[]; records: Record<string, string[]> } {
  const asked: string[] = [];
  return {
    asked,
    records,
    async resolveTxt(name) {
      asked.push(name);
      return records[name] ?? [];
    },
  };
}

describe(`tenant domains (${mode})`, () => {
  it('adds a vanity domain with a TXT token, and verifies it once the record is published', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    const ctx = ctxOf(dbs.app.db, admin);
    const host = `skills.${uniqueSlug('corp')}.test`;
    const added = await addTenantDomain(ctx, { domain: ` ${host.toUpperCase()} `, kind: 'vanity' }, { rootDomain: 'example.com' });
    expect(added).toMatchObject({ domain: host, kind: 'vanity', verifiedAt: null });
    expect(added.verificationRecord).toEqual({ name: `_everyskill.${host}`, value: expect.stringMatching(/^everyskill-verification=[0-9a-f]{32}$/) });
    expect(await findActiveTenant(dbs.app.db, { vanityDomain: host })).toBeNull();

    const dns = fakeDns();
    const missing = await verifyTenantDomain(ctx, { domainId: added.id }, dns);
    expect(missing).toMatchObject({ verified: false, expected: added.verificationRecord, found: [] });
    dns.records[`_everyskill.${host}`] = ['v=spf1 -all', 'everyskill-verification=not-the-token'];
    expect((await verifyTenantDomain(ctx, { domainId: added.id }, dns)).verified).toBe(false);
    dns.records[`_everyskill.${host}`]!.push(added.verificationRecord!.value);
    const done = await verifyTenantDomain(ctx, { domainId: added.id }, dns);
    expect(done).toMatchObject({ verified: true, domain: { verificationRecord: null } });
    expect(done.domain.verifiedAt).toBeInstanceOf(Date);
    expect(dns.asked).toEqual(Array(3).fill(`_everyskill.${host}`));
    expect((await findActiveTenant(dbs.app.db, { vanityDomain: host }))?.id).toBe(t.id);
    // Verifying again asks DNS nothing.
    expect((await verifyTenantDomain(ctx, { domainId: added.id }, dns)).verified).toBe(true);
    expect(dns.asked).toHaveLength(3);
    const audit = (await auditRowsFor(dbs, added.id)).map((a) => a.action);
    expect(audit).toEqual(['tenant.domain_added', 'tenant.domain_verified']);
  });

  it('reports a DNS failure as unavailable, not as a missing record', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    const added = await addTenantDomain(ctxOf(dbs.app.db, admin), { domain: `x.${uniqueSlug('dns')}.test`, kind: 'email' });
    const broken: DnsTxtResolver = { resolveTxt: async () => Promise.reject(Object.assign(new Error('queryTxt ETIMEOUT'), { code: 'ETIMEOUT' })) };
    await expect(verifyTenantDomain(ctxOf(dbs.app.db, admin), { domainId: added.id }, broken)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it("refuses a domain already taken, the service's own domain, malformed names and other tenants' domains", async () => {
    const t = await makeTenant(dbs);
    const other = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    const ctx = ctxOf(dbs.app.db, admin);
    await expect(addTenantDomain(ctx, { domain: t.domain, kind: 'email' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining("already one of this workspace's") });
    await expect(addTenantDomain(ctx, { domain: other.domain, kind: 'vanity' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('another workspace') });
    await expect(addTenantDomain(ctx, { domain: 'acme.example.com', kind: 'vanity' }, { rootDomain: 'example.com' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(addTenantDomain(ctx, { domain: 'https://acme.test/', kind: 'vanity' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('domain name') });
    const [otherDomain] = (await getTenantSettings({ tenantId: other.id, db: dbs.owner.db, actor: systemActor })).domains;
    await expect(verifyTenantDomain(ctx, { domainId: otherDomain!.id }, fakeDns())).rejects.toMatchObject({ code: 'not_found' });
    await expect(removeTenantDomain(ctx, { domainId: otherDomain!.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a pending claim blocks nobody: the workspace that proves the domain gets it, and the claim stays pending', async () => {
    const squatter = await makeTenant(dbs);
    const owner = await makeTenant(dbs);
    const squatterCtx = ctxOf(dbs.app.db, await signedIn(dbs.app.db, `admin@${squatter.domain}`));
    const ownerCtx = ctxOf(dbs.app.db, await signedIn(dbs.app.db, `admin@${owner.domain}`));
    const domain = `${uniqueSlug('bigcorp')}.test`;
    const claim = await addTenantDomain(squatterCtx, { domain, kind: 'email' });
    // The real owner adds and verifies it; the claim neither blocked nor took it.
    const real = await addTenantDomain(ownerCtx, { domain, kind: 'email' });
    const dns = fakeDns({ [`_everyskill.${domain}`]: [real.verificationRecord!.value] });
    expect((await verifyTenantDomain(ownerCtx, { domainId: real.id }, dns)).verified).toBe(true);
    // The squatter cannot verify it (the TXT record is not theirs), nor take it once it is verified.
    dns.records[`_everyskill.${domain}`]!.push(claim.verificationRecord!.value);
    await expect(verifyTenantDomain(squatterCtx, { domainId: claim.id }, dns)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('verified by another workspace') });
    const third = await makeTenant(dbs);
    await expect(addTenantDomain(ctxOf(dbs.app.db, await signedIn(dbs.app.db, `admin@${third.domain}`)), { domain, kind: 'email' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('another workspace'),
    });
    // Sign-in with the domain goes to the workspace that verified it.
    const signIn = await acceptSignIn(dbs.app.db, { email: `new.person@${domain}`, emailVerified: true, method: 'google' });
    expect(signIn).toMatchObject({ ok: true, person: { tenant: { id: owner.id } } });
  });

  it('removes domains but never the last verified email domain', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    const ctx = ctxOf(dbs.app.db, admin);
    const [own] = (await getTenantSettings(ctx)).domains;
    await expect(removeTenantDomain(ctx, { domainId: own!.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('only verified email domain') });
    const pending = await addTenantDomain(ctx, { domain: `p.${uniqueSlug('p')}.test`, kind: 'email' });
    await expect(removeTenantDomain(ctx, { domainId: own!.id })).rejects.toMatchObject({ code: 'conflict' });
    await removeTenantDomain(ctx, { domainId: pending.id });
    const second = await addTenantDomain({ ...ctx, db: dbs.owner.db, actor: systemActor }, { domain: `s.${uniqueSlug('s')}.test`, kind: 'email' });
    expect(second.verifiedAt).toBeInstanceOf(Date);
    await removeTenantDomain(ctx, { domainId: own!.id });
    expect((await getTenantSettings(ctx)).domains.map((d) => d.domain)).toEqual([second.domain]);
    expect(await acceptSignIn(dbs.app.db, { email: `new@${t.domain}`, emailVerified: true, method: 'google' })).toEqual({ ok: false, reason: 'no_workspace' });
    expect((await auditRowsFor(dbs, own!.id)).map((a) => a.action)).toContain('tenant.domain_removed');
  });
});
