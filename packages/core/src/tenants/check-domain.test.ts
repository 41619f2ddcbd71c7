import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mode, openTestDatabases, uniqueSlug, type TestDatabases } from '@everyskill/db/testing';
import { ctxOf, makeTenant, signedIn, systemActor } from '../../test/factories';
import { addTenantDomain } from './add-tenant-domain';
import { createDomainChecker, isServedDomain, type DomainCheck } from './check-domain';
import { setTenantStatus } from './set-tenant-status';

const ROOT = 'skills.example.com';
let dbs: TestDatabases;
let active: string;
let inactive: string;
let vanity: string;
let unverifiedVanity: string;
let emailDomain: string;
let inactiveVanity: string;

beforeAll(async () => {
  dbs = await openTestDatabases();
  const a = await makeTenant(dbs, 'cd');
  const b = await makeTenant(dbs, 'cd-off');
  active = a.slug;
  inactive = b.slug;
  emailDomain = a.domain;
  vanity = `portal.${uniqueSlug('vanity')}.test`;
  unverifiedVanity = `portal.${uniqueSlug('pending')}.test`;
  await addTenantDomain({ tenantId: a.id, db: dbs.owner.db, actor: systemActor }, { domain: vanity, kind: 'vanity' });
  const admin = await signedIn(dbs.app.db, `admin@${a.domain}`);
  await addTenantDomain(ctxOf(dbs.app.db, admin), { domain: unverifiedVanity, kind: 'vanity' });
  inactiveVanity = `portal.${uniqueSlug('off')}.test`;
  await addTenantDomain({ tenantId: b.id, db: dbs.owner.db, actor: systemActor }, { domain: inactiveVanity, kind: 'vanity' });
  await setTenantStatus(dbs.owner.db, systemActor, { slug: b.slug, status: 'inactive' });
});
afterAll(async () => {
  await dbs?.close();
});

describe(`check-domain (${mode})`, () => {
  it('answers allowed, unknown and malformed names', async () => {
    const checker = createDomainChecker(async () => dbs.app.db, { rootDomain: ROOT });
    const table: [name: string | null, answer: DomainCheck, why: string][] = [
      [ROOT, 'allowed', 'the root domain'],
      [ROOT.toUpperCase(), 'allowed', 'the root domain in capitals'],
      [`staging.${ROOT}`, 'allowed', 'the staging portal'],
      [`${active}.${ROOT}`, 'allowed', "an active tenant's subdomain"],
      [` ${active}.${ROOT} `, 'allowed', 'surrounding whitespace'],
      [vanity, 'allowed', 'a verified vanity domain of an active tenant'],
      [`www.${ROOT}`, 'unknown', 'www is not served (one canonical host name)'],
      [`nobody.${ROOT}`, 'unknown', 'a slug no tenant has'],
      [`${inactive}.${ROOT}`, 'unknown', "an inactive tenant's subdomain"],
      [inactiveVanity, 'unknown', "an inactive tenant's verified vanity domain"],
      [unverifiedVanity, 'unknown', 'an unverified vanity domain'],
      [emailDomain, 'unknown', 'an email domain (not a host the portal serves)'],
      [`a.${active}.${ROOT}`, 'unknown', 'a nested subdomain'],
      [`${active}.${ROOT}.evil.test`, 'unknown', 'a tenant host under an attacker domain'],
      [`evil-${ROOT}`, 'unknown', 'a look-alike of the root'],
      ['example.com', 'unknown', 'a parent of the root'],
      ['10.0.0.1', 'unknown', 'an IP address'],
      ['', 'malformed', 'empty'],
      [null, 'malformed', 'missing'],
      [`https://${ROOT}`, 'malformed', 'a URL, not a name'],
      [`${ROOT}:443`, 'malformed', 'a port'],
      [`${ROOT}/path`, 'malformed', 'a path'],
      ['under_score.example.com', 'malformed', 'an underscore'],
      ['-lead.example.com', 'malformed', 'a label starting with a hyphen'],
      ['a..b.example.com', 'malformed', 'an empty label'],
      [`${'a'.repeat(64)}.example.com`, 'malformed', 'a label over 63 characters'],
      [`${'abcdefghi.'.repeat(26)}com`, 'malformed', 'a name over 253 characters'],
      ['exämple.com', 'malformed', 'a raw IDN (Caddy asks in punycode)'],
    ];
    for (const [name, answer, why] of table) {
      expect(await checker.check(name), `${String(name)}: ${why}`).toBe(answer);
    }
  });

  it('asks the database once for a name asked again and again, known or unknown', async () => {
    const lookup = vi.fn(isServedDomain);
    const checker = createDomainChecker(async () => dbs.app.db, { rootDomain: ROOT, lookup });
    for (let i = 0; i < 50; i++) expect(await checker.check('flood.nobody-home.test')).toBe('unknown');
    await Promise.all(Array.from({ length: 50 }, () => checker.check('Concurrent-Unknown.test')));
    for (let i = 0; i < 20; i++) expect(await checker.check(`${active}.${ROOT}`)).toBe('allowed');
    expect(lookup.mock.calls.map((c) => c[1])).toEqual(['flood.nobody-home.test', 'concurrent-unknown.test', `${active}.${ROOT}`]);
    // Malformed names are answered without any lookup.
    await checker.check('bad name');
    expect(lookup).toHaveBeenCalledTimes(3);
  });

  it('forgets answers after their time to live, negative ones sooner, and never holds more than maxEntries', async () => {
    let now = 0;
    const lookup = vi.fn(async (_db: unknown, name: string) => name.startsWith('yes'));
    const checker = createDomainChecker(async () => dbs.app.db, {
      rootDomain: ROOT,
      positiveTtlMs: 60_000,
      negativeTtlMs: 30_000,
      maxEntries: 3,
      now: () => now,
      lookup,
    });
    await checker.check('yes.test');
    await checker.check('no.test');
    now = 29_000;
    await checker.check('yes.test');
    await checker.check('no.test');
    expect(lookup).toHaveBeenCalledTimes(2);
    now = 31_000; // the negative answer expired, the positive one not yet
    await checker.check('yes.test');
    await checker.check('no.test');
    expect(lookup).toHaveBeenCalledTimes(3);
    now = 61_000;
    await checker.check('yes.test');
    expect(lookup).toHaveBeenCalledTimes(4);
    // Bounded: a fourth name pushes out the oldest.
    await checker.check('no-a.test');
    await checker.check('no-b.test');
    await checker.check('no-c.test');
    lookup.mockClear();
    await checker.check('no-c.test');
    expect(lookup).not.toHaveBeenCalled();
    await checker.check('yes.test');
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('does not remember a failed lookup', async () => {
    let fail = true;
    const checker = createDomainChecker(async () => dbs.app.db, {
      rootDomain: ROOT,
      lookup: async () => {
        if (fail) throw new Error('database down');
        return true;
      },
    });
    await expect(checker.check('x.test')).rejects.toThrow('database down');
    fail = false;
    expect(await checker.check('x.test')).toBe('allowed');
  });

  it('serves a new tenant subdomain once the negative answer expires', async () => {
    let now = 0;
    const checker = createDomainChecker(async () => dbs.app.db, { rootDomain: ROOT, now: () => now });
    const t = await makeTenant(dbs, 'late');
    await setTenantStatus(dbs.owner.db, systemActor, { slug: t.slug, status: 'inactive' });
    expect(await checker.check(`${t.slug}.${ROOT}`)).toBe('unknown');
    await setTenantStatus(dbs.owner.db, systemActor, { slug: t.slug, status: 'active' });
    expect(await checker.check(`${t.slug}.${ROOT}`)).toBe('unknown');
    now = 30_001;
    expect(await checker.check(`${t.slug}.${ROOT}`)).toBe('allowed');
  });
});
