import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql, tenants, withTenant } from '@everyskill/db';
import { mode, openTestDatabases, type TestDatabases } from '@everyskill/db/testing';
import { auditRowsFor, ctxOf, makeTenant, rejectionText, signedIn } from '../../test/factories';
import { getTenantSettings } from './get-tenant-settings';
import { updateTenantSettings } from './update-tenant-settings';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await openTestDatabases();
});
afterAll(async () => {
  await dbs?.close();
});

describe(`tenant settings (${mode})`, () => {
  it('starts with API keys expiring after 90 days and saves name, logo and expiry with an audit of what changed', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    const ctx = ctxOf(dbs.app.db, admin);
    expect(await getTenantSettings(ctx)).toMatchObject({ slug: t.slug, logoUrl: null, apiKeyExpiryDays: 90, domains: [{ domain: t.domain, kind: 'email' }] });
    const result = await updateTenantSettings(ctx, { name: 'Acme Corp', logoUrl: 'https://cdn.acme.test/logo.png', apiKeyExpiryDays: '30' });
    expect(result.changed.sort()).toEqual(['apiKeyExpiryDays', 'logoUrl', 'name']);
    expect(await getTenantSettings(ctx)).toMatchObject({ name: 'Acme Corp', logoUrl: 'https://cdn.acme.test/logo.png', apiKeyExpiryDays: 30 });
    expect(await updateTenantSettings(ctx, { name: 'Acme Corp', logoUrl: 'https://cdn.acme.test/logo.png', apiKeyExpiryDays: 30 })).toEqual({ changed: [] });
    expect((await updateTenantSettings(ctx, { name: 'Acme Corp', logoUrl: '', apiKeyExpiryDays: 30 })).changed).toEqual(['logoUrl']);
    const audit = (await auditRowsFor(dbs, t.id)).filter((a) => a.action === 'tenant.settings_changed');
    expect(audit).toHaveLength(2);
    expect(audit[0]?.details).toMatchObject({ changes: { name: { from: `Tenant ${t.slug}`, to: 'Acme Corp' }, apiKeyExpiryDays: { from: 90, to: 30 } } });
  });

  it('explains invalid settings and refuses non-admins', async () => {
    const t = await makeTenant(dbs);
    const admin = await signedIn(dbs.app.db, `admin@${t.domain}`);
    const member = await signedIn(dbs.app.db, `member@${t.domain}`);
    const ctx = ctxOf(dbs.app.db, admin);
    await expect(updateTenantSettings(ctx, { name: ' ', apiKeyExpiryDays: 90 })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('name must not be empty') });
    await expect(updateTenantSettings(ctx, { name: 'x', logoUrl: 'http://insecure.test/l.png', apiKeyExpiryDays: 90 })).rejects.toMatchObject({ message: expect.stringContaining('https://') });
    await expect(updateTenantSettings(ctx, { name: 'x', logoUrl: 'javascript:alert(1)', apiKeyExpiryDays: 90 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(updateTenantSettings(ctx, { name: 'x', apiKeyExpiryDays: 0 })).rejects.toMatchObject({ message: expect.stringContaining('at least 1 day') });
    await expect(updateTenantSettings(ctx, { name: 'x', apiKeyExpiryDays: 1.5 })).rejects.toMatchObject({ message: expect.stringContaining('whole number') });
    await expect(updateTenantSettings(ctxOf(dbs.app.db, member), { name: 'x', apiKeyExpiryDays: 90 })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(getTenantSettings(ctxOf(dbs.app.db, member))).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('lets the app role change only the settings columns of its own tenant', async () => {
    const t = await makeTenant(dbs);
    const other = await makeTenant(dbs);
    expect(await rejectionText(withTenant(dbs.app.db, t.id, (tx) => tx.update(tenants).set({ status: 'inactive' }).where(eq(tenants.id, t.id))))).toMatch(/permission denied/);
    expect(await rejectionText(withTenant(dbs.app.db, t.id, (tx) => tx.update(tenants).set({ slug: 'renamed' }).where(eq(tenants.id, t.id))))).toMatch(/permission denied/);
    const touched = await withTenant(dbs.app.db, t.id, (tx) => tx.update(tenants).set({ name: 'hijacked' }).where(eq(tenants.id, other.id)).returning({ id: tenants.id }));
    expect(touched).toEqual([]);
    expect(await rejectionText(withTenant(dbs.app.db, t.id, (tx) => tx.execute(sql`INSERT INTO tenants (slug, name) VALUES ('sneaky', 'Sneaky')`)))).toMatch(/permission denied/);
  });
});
