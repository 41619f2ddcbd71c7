import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateApiKey } from '@everyskill/core/api-keys/authenticate-api-key';
import { mode, openTestDatabases, type TestDatabases } from '@everyskill/db/testing';
import { runAdminCli } from './admin-cli';
import { tenantWithPeople } from './admin-cli-fixtures';

let dbs: TestDatabases;
let t: Awaited<ReturnType<typeof tenantWithPeople>>;

beforeAll(async () => {
  dbs = await openTestDatabases();
  t = await tenantWithPeople(dbs);
});
afterAll(async () => {
  await dbs?.close();
});

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdminCli(args, async () => dbs.owner.db, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe(`admin CLI: key create (${mode})`, () => {
  it('prints a working bootstrap key once, for the named person', async () => {
    const { code, out } = await cli(['admin', 'key', 'create', '--email', t.people.admin.email, '--tenant', t.slug, '--name', 'ci bootstrap', '--scope', 'skills:read', '--scope', 'admin']);
    expect(code).toBe(0);
    const secret = out.find((l) => l.startsWith('rlk_'))!;
    expect(secret).toMatch(/^rlk_[0-9A-Za-z]{43}$/);
    const auth = await authenticateApiKey(dbs.app.db, secret);
    expect(auth.tenantId).toBe(t.tenantId);
    expect(auth.actor).toMatchObject({ userId: t.people.admin.userId, scopes: ['admin', 'skills:read'] });
  });

  it('refuses a scope the person’s role does not allow, and an unknown scope', async () => {
    const refused = await cli(['admin', 'key', 'create', '--email', t.people.member.email, '--tenant', t.slug, '--scope', 'admin']);
    expect(refused.code).toBe(1);
    expect(refused.err.join('\n')).toContain("cannot mint the scope 'admin'");
    const unknown = await cli(['admin', 'key', 'create', '--email', t.people.member.email, '--tenant', t.slug, '--scope', 'everything']);
    expect(unknown.code).toBe(1);
    expect(unknown.err.join('\n')).toMatch(/invalid_input/);
  });
});
