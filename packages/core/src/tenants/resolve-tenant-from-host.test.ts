import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mode, openTestDatabases, uniqueSlug, type TestDatabases } from '@everyskill/db/testing';
import { makeTenant, systemActor } from '../../test/factories';
import { addTenantDomain } from './add-tenant-domain';
import { parseTenantHost, resolveTenantFromHost, type TenantResolutionConfig } from './resolve-tenant-from-host';
import { setTenantStatus } from './set-tenant-status';

const prodRules = { rootDomain: 'skills.example.com', production: true };
const devRules = { rootDomain: 'localhost', production: false };

describe('parseTenantHost', () => {
  it('reads the tenant slug from a subdomain of the root domain, ignoring case and port', () => {
    expect(parseTenantHost('Acme.Skills.Example.com:443', prodRules)).toEqual({ kind: 'subdomain', slug: 'acme' });
    expect(parseTenantHost('demo.localhost:3000', devRules)).toEqual({ kind: 'subdomain', slug: 'demo' });
  });

  it('sees the bare root domain as the root, and loopback addresses only outside production', () => {
    expect(parseTenantHost('skills.example.com', prodRules)).toEqual({ kind: 'root' });
    expect(parseTenantHost('localhost:3000', devRules)).toEqual({ kind: 'root' });
    expect(parseTenantHost('127.0.0.1:3100', devRules)).toEqual({ kind: 'root' });
    expect(parseTenantHost('[::1]:3100', devRules)).toEqual({ kind: 'root' });
    expect(parseTenantHost('127.0.0.1:3100', prodRules)).toEqual({ kind: 'other', host: '127.0.0.1' });
  });

  it('treats other well-formed hosts as possible vanity domains, and refuses nested subdomains and junk', () => {
    expect(parseTenantHost('skills.acme.com', prodRules)).toEqual({ kind: 'other', host: 'skills.acme.com' });
    expect(parseTenantHost('evilskills.example.com', prodRules)).toEqual({ kind: 'other', host: 'evilskills.example.com' });
    expect(parseTenantHost('acme.skills.example.com.evil.test', prodRules).kind).toBe('other');
    expect(parseTenantHost('a.b.skills.example.com', prodRules)).toEqual({ kind: 'invalid' });
    expect(parseTenantHost('-x.skills.example.com', prodRules)).toEqual({ kind: 'invalid' });
    expect(parseTenantHost('bad host', prodRules)).toEqual({ kind: 'invalid' });
    expect(parseTenantHost(null, prodRules)).toEqual({ kind: 'invalid' });
  });
});

describe(`resolveTenantFromHost (${mode})`, () => {
  let dbs: TestDatabases;
  let acme: { id: string; slug: string };
  let beta: { id: string; slug: string };
  let vanity: string;
  const config = (over: Partial<TenantResolutionConfig> = {}): TenantResolutionConfig => ({
    rootDomain: 'skills.example.com',
    production: true,
    devTenantSlug: null,
    ...over,
  });

  beforeAll(async () => {
    dbs = await openTestDatabases();
    acme = await makeTenant(dbs, 'acme');
    beta = await makeTenant(dbs, 'beta');
    vanity = `skills.${uniqueSlug('acme')}.test`;
    await addTenantDomain({ tenantId: acme.id, db: dbs.owner.db, actor: systemActor }, { domain: vanity, kind: 'vanity' });
  });
  afterAll(async () => {
    await dbs?.close();
  });

  it('finds the tenant of a subdomain and of a verified vanity domain', async () => {
    const db = dbs.app.db;
    expect(await resolveTenantFromHost(db, { host: `${acme.slug}.skills.example.com`, sessionTenantId: null }, config())).toMatchObject({
      kind: 'tenant',
      via: 'subdomain',
      tenant: { id: acme.id },
    });
    expect(await resolveTenantFromHost(db, { host: vanity.toUpperCase(), sessionTenantId: acme.id }, config())).toMatchObject({
      kind: 'tenant',
      via: 'vanity',
      tenant: { id: acme.id },
    });
  });

  it("answers wrong-tenant, never the host's tenant, to a person of another tenant", async () => {
    const db = dbs.app.db;
    expect(await resolveTenantFromHost(db, { host: `${acme.slug}.skills.example.com`, sessionTenantId: beta.id }, config())).toEqual({
      kind: 'wrong-tenant',
      hostTenant: expect.objectContaining({ id: acme.id }),
    });
    expect((await resolveTenantFromHost(db, { host: vanity, sessionTenantId: beta.id }, config())).kind).toBe('wrong-tenant');
  });

  it("uses the session's tenant on the bare root domain, and DEV_TENANT_SLUG for anonymous visitors outside production", async () => {
    const db = dbs.app.db;
    expect(await resolveTenantFromHost(db, { host: 'skills.example.com', sessionTenantId: beta.id }, config())).toMatchObject({
      kind: 'tenant',
      via: 'session',
      tenant: { id: beta.id },
    });
    expect(await resolveTenantFromHost(db, { host: 'skills.example.com', sessionTenantId: null }, config({ devTenantSlug: acme.slug }))).toEqual({
      kind: 'none',
      reason: 'root-domain',
      slug: null,
    });
    const dev = config({ rootDomain: 'localhost', production: false, devTenantSlug: acme.slug });
    expect(await resolveTenantFromHost(db, { host: 'localhost:3000', sessionTenantId: null }, dev)).toMatchObject({
      kind: 'tenant',
      via: 'dev-fallback',
      tenant: { id: acme.id },
    });
    expect(await resolveTenantFromHost(db, { host: 'localhost:3000', sessionTenantId: beta.id }, dev)).toMatchObject({ via: 'session', tenant: { id: beta.id } });
    expect(await resolveTenantFromHost(db, { host: 'localhost', sessionTenantId: null }, { ...dev, devTenantSlug: 'nobody-here' })).toEqual({
      kind: 'none',
      reason: 'dev-tenant-missing',
      slug: 'nobody-here',
    });
  });

  it('serves nothing for unknown slugs, unverified or unknown hosts and inactive tenants', async () => {
    const db = dbs.app.db;
    const none = (host: string) => resolveTenantFromHost(db, { host, sessionTenantId: null }, config());
    expect(await none('nobody.skills.example.com')).toEqual({ kind: 'none', reason: 'unknown-slug', slug: 'nobody' });
    expect(await none('unknown.example.org')).toEqual({ kind: 'none', reason: 'unknown-host', slug: null });
    expect(await none(`${acme.slug}.skills.example.com.evil.test`)).toEqual({ kind: 'none', reason: 'unknown-host', slug: null });
    const pending = `p.${uniqueSlug('pending')}.test`;
    const admin = { tenantId: beta.id, db: dbs.app.db, actor: { kind: 'user' as const, userId: '00000000-0000-4000-8000-000000000000', email: 'x@x.test', role: 'admin' as const } };
    await expect(addTenantDomain(admin, { domain: pending, kind: 'vanity' })).rejects.toThrow(/only an admin/);
    await addTenantDomain({ tenantId: beta.id, db: dbs.owner.db, actor: systemActor }, { domain: pending, kind: 'email' });
    // An email domain is not a host the portal serves.
    expect(await none(pending)).toEqual({ kind: 'none', reason: 'unknown-host', slug: null });
    const gone = await makeTenant(dbs, 'gone');
    await setTenantStatus(dbs.owner.db, systemActor, { slug: gone.slug, status: 'inactive' });
    expect(await none(`${gone.slug}.skills.example.com`)).toEqual({ kind: 'none', reason: 'unknown-slug', slug: gone.slug });
    expect(await resolveTenantFromHost(db, { host: 'skills.example.com', sessionTenantId: gone.id }, config())).toEqual({
      kind: 'none',
      reason: 'session-tenant-inactive',
      slug: null,
    });
  });
});
