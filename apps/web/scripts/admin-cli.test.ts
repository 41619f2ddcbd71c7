import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mode, openTestDatabases, uniqueSlug, type TestDatabases } from '@everyskill/db/testing';
import { acceptSignIn } from '@everyskill/core/auth/accept-sign-in';
import { loadSessionMember } from '@everyskill/core/auth/load-session-member';
import { runAdminCli } from './admin-cli';
import { auditRowsFor, signedIn } from './admin-cli-fixtures';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await openTestDatabases();
});
afterAll(async () => {
  await dbs?.close();
});

/** Runs one admin command against the owner connection, as `pnpm everyskill` does. */
async function cli(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runAdminCli(argv, async () => dbs.owner.db, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, out: out.join('\n'), err: err.join('\n') };
}

describe(`admin CLI commands (${mode})`, () => {
  it('creates a tenant whose first signed-in person becomes admin, and lists it', async () => {
    const slug = uniqueSlug('cli');
    const domain = `${slug}.test`;
    const created = await cli('admin', 'tenant', 'create', '--slug', slug, '--name', 'CLI Corp', '--domain', domain, '--domain', `mail.${domain}`);
    expect(created).toMatchObject({ status: 0, out: expect.stringContaining(`created tenant ${slug}`) });
    const first = await signedIn(dbs.app.db, `first@mail.${domain}`);
    expect(first.role).toBe('admin');
    const listed = await cli('admin', 'tenant', 'list', '--json');
    const mine = (JSON.parse(listed.out) as { slug: string; members: number; domains: { domain: string; verified: boolean }[] }[]).find((t) => t.slug === slug);
    expect(mine).toMatchObject({ members: 1, domains: [{ domain, verified: true }, { domain: `mail.${domain}`, verified: true }] });
    expect((await cli('admin', 'tenant', 'list')).out).toMatch(new RegExp(`^${slug}\\tactive\\t1 members\\tCLI Corp`, 'm'));
    expect(await cli('admin', 'tenant', 'create', '--slug', slug, '--name', 'Again', '--domain', `x${domain}`)).toMatchObject({
      status: 1,
      err: expect.stringContaining('already exists'),
    });
  });

  it('promotes, demotes, deactivates and reactivates people, found by their email domain', async () => {
    const slug = uniqueSlug('cli');
    const domain = `${slug}.test`;
    await cli('admin', 'tenant', 'create', '--slug', slug, '--name', 'People', '--domain', domain);
    const ada = await signedIn(dbs.app.db, `ada@${domain}`);
    const max = await signedIn(dbs.app.db, `max@${domain}`);
    expect(await cli('admin', 'user', 'promote', '--email', max.email)).toMatchObject({ status: 0, out: `${max.email} is now admin` });
    expect(await cli('admin', 'user', 'promote', '--email', max.email, '--role', 'reviewer')).toMatchObject({ status: 0, out: `${max.email} is now reviewer` });
    expect(await cli('admin', 'user', 'demote', '--email', max.email)).toMatchObject({ status: 0, out: `${max.email} is now member` });
    expect(await cli('admin', 'user', 'demote', '--email', ada.email)).toMatchObject({ status: 1, err: expect.stringContaining('last active admin') });
    expect(await cli('admin', 'user', 'deactivate', '--email', max.email)).toMatchObject({ status: 0 });
    expect(await loadSessionMember(dbs.app.db, { tenantId: ada.tenant.id, userId: max.userId })).toEqual({ status: 'deactivated' });
    expect((await cli('admin', 'user', 'list', '--tenant', slug)).out.split('\n')).toEqual([`${ada.email}\tadmin\tactive`, `${max.email}\tmember\tdeactivated`]);
    expect(await cli('admin', 'user', 'reactivate', '--email', max.email, '--tenant', slug)).toMatchObject({ status: 0, out: `${max.email} reactivated` });
    const audit = await auditRowsFor(dbs.app.db, max.tenant.id, max.userId);
    expect(audit.filter((a) => a.actor_label === 'admin-cli').map((a) => a.action)).toEqual([
      'member.role_changed',
      'member.role_changed',
      'member.role_changed',
      'member.deactivated',
      'member.reactivated',
    ]);
    expect(await cli('admin', 'user', 'promote', '--email', `nobody@${domain}`)).toMatchObject({ status: 1, err: expect.stringContaining('first sign-in') });
  });

  it('adds operator-verified domains and switches tenants off and on', async () => {
    const slug = uniqueSlug('cli');
    await cli('admin', 'tenant', 'create', '--slug', slug, '--name', 'Domains', '--domain', `${slug}.test`);
    const extra = `${uniqueSlug('extra')}.test`;
    expect(await cli('admin', 'domain', 'add', '--tenant', slug, '--domain', extra)).toMatchObject({ status: 0 });
    expect(await cli('admin', 'domain', 'add', '--tenant', slug, '--domain', `portal.${extra}`, '--kind', 'vanity')).toMatchObject({ status: 0 });
    expect((await signedIn(dbs.app.db, `p@${extra}`)).role).toBe('admin');
    expect(await cli('admin', 'tenant', 'deactivate', '--slug', slug)).toMatchObject({ status: 0, out: `tenant ${slug} deactivated` });
    expect(await acceptSignIn(dbs.app.db, { email: `p@${extra}`, emailVerified: true, method: 'google' })).toEqual({ ok: false, reason: 'workspace_inactive' });
    expect(await cli('admin', 'domain', 'add', '--tenant', slug, '--domain', `z${extra}`)).toMatchObject({ status: 2, err: expect.stringContaining('no active tenant') });
    expect(await cli('admin', 'tenant', 'activate', '--slug', slug)).toMatchObject({ status: 0, out: `tenant ${slug} activated` });
    expect(await cli('admin', 'tenant', 'activate', '--slug', slug)).toMatchObject({ status: 0, out: `tenant ${slug} was already active` });
  });

  it('explains command lines it cannot run', async () => {
    expect(await cli('admin', 'tenant', 'create', '--slug', 'x')).toMatchObject({ status: 2, err: expect.stringContaining('--domain is required') });
    expect(await cli('admin', 'tenant', 'create', '--slug', 'www', '--name', 'W', '--domain', 'w.test')).toMatchObject({ status: 1, err: expect.stringContaining('reserved') });
    expect(await cli('admin', 'tenant', 'create', '--slug', 'Bad Slug', '--name', 'B', '--domain', 'b.test')).toMatchObject({ status: 1, err: expect.stringContaining('slug must be') });
    expect(await cli('admin', 'user', 'promote', '--email', 'a@b.test', '--role', 'member')).toMatchObject({ status: 2, err: expect.stringContaining('--role must be') });
    expect(await cli('admin', 'tenant', 'explode')).toMatchObject({ status: 2, err: expect.stringContaining('unknown command: admin tenant explode') });
    expect(await cli('admin', 'tenant', 'list', '--nope')).toMatchObject({ status: 2, err: expect.stringContaining("Unknown option '--nope'") });
    expect(await cli('admin', '--help')).toMatchObject({ status: 0, out: expect.stringContaining('tenant create --slug') });
  });
});
