import { beforeAll, describe, expect, it } from 'vitest';
import { eq, memberships, tenants, withTenant } from '@everyskill/db';
import type { AppError } from '../errors';
import { authenticateApiKey, type AuthenticatedKey } from '../api-keys/authenticate-api-key';
import { createApiKey } from '../api-keys/create-api-key';
import { revokeApiKey } from '../api-keys/revoke-api-key';
import { publishSkill } from '../skills/publish-skill';
import { mode, refused, skillMarkdown, useSkillsTestSuite } from '../../test/skills-fixtures';
import { getAgentSkill, getAgentSkillForKey, getAgentSkillVersionForKey } from './get-agent-skill';

const suite = useSkillsTestSuite();
type Tenant = Awaited<ReturnType<typeof suite.tenant>>;
let a: Tenant;
let b: Tenant;

const keyOf = async (t: Tenant, who: 'admin' | 'author' | 'other', scopes: ('skills:read' | 'usage:write' | 'admin')[] = ['skills:read']) =>
  (await createApiKey(t.as(who), { name: `${who} key`, scopes })).secret;
const publish = (t: Tenant, name: string, visibility: 'public' | 'tenant' | 'private' = 'tenant') =>
  publishSkill(t.as('author'), { source: { kind: 'skill-md', skillMd: skillMarkdown({ name, description: `${name} skill.` }) }, visibility });
const shape = (e: AppError) => ({ code: e.code, status: e.status, message: e.message });

/** getAgentSkillForKey with `admit` recorded. */
async function read(secret: string, slug: string, options: { version?: string; hostTenant?: { slug: string } | { id: string }; now?: Date } = {}) {
  const admitted: AuthenticatedKey[] = [];
  const admit = async (key: AuthenticatedKey) => {
    admitted.push(key);
  };
  const result = getAgentSkillForKey(suite.dbs.app.db, secret, { slug, version: options.version }, { hostTenant: options.hostTenant, now: options.now, admit });
  return { result, admitted };
}

beforeAll(async () => {
  a = await suite.tenant();
  b = await suite.tenant();
  await publish(a, 'pdf-forms');
  await publish(a, 'diary', 'private');
  await publish(b, 'b-only');
});

describe(`a skill read that checks its API key in the same statement (${mode})`, () => {
  it('returns what getAgentSkill returns for the key’s person, after admitting the checked key once', async () => {
    const secret = await keyOf(a, 'other');
    const { result, admitted } = await read(secret, 'pdf-forms');
    const { key, skill } = await result;
    const expected = await authenticateApiKey(suite.dbs.app.db, secret);
    expect(key.actor).toEqual(expected.actor);
    expect(admitted.map((k) => k.actor)).toEqual([expected.actor]);
    expect(skill).toEqual(await getAgentSkill({ tenantId: a.tenantId, db: suite.dbs.app.db, actor: expected.actor }, { slug: 'pdf-forms' }));
    expect(skill.skillMd).toContain('pdf-forms');
    expect((await (await read(secret, 'pdf-forms', { version: skill.latestVersion! })).result).skill.latest?.version).toBe(skill.latestVersion);
    const pinned = await getAgentSkillVersionForKey(suite.dbs.app.db, secret, { slug: 'pdf-forms', version: skill.latestVersion! });
    expect(pinned.version).toEqual(skill.latest);
    expect(pinned.key.actor).toEqual(expected.actor);
  });

  it('refuses every key authenticateApiKey refuses, with the same answer, whether or not the skill exists, admitting none', async () => {
    const revoked = await createApiKey(a.as('author'), { name: 'revoked', scopes: ['skills:read'] });
    await revokeApiKey(a.as('author'), { keyId: revoked.key.id });
    const valid = await keyOf(a, 'author');
    const unknown = valid.slice(0, -1) + (valid.endsWith('a') ? 'b' : 'a');
    const cases: { label: string; secret: string; hostTenant?: { slug: string } | { id: string }; now?: Date }[] = [
      { label: 'malformed', secret: 'rlk_short' },
      { label: 'unknown', secret: unknown },
      { label: 'revoked', secret: revoked.secret },
      { label: 'expired', secret: valid, now: new Date(Date.now() + 91 * 86_400_000) },
      { label: 'another tenant’s host', secret: valid, hostTenant: { id: b.tenantId } },
    ];
    for (const c of cases) {
      const expected = shape(await refused(authenticateApiKey(suite.dbs.app.db, c.secret, { hostTenant: c.hostTenant, now: c.now })));
      expect(expected.status, c.label).toBe(401);
      for (const slug of ['pdf-forms', 'no-such-skill', 'b-only']) {
        const { result, admitted } = await read(c.secret, slug, { hostTenant: c.hostTenant, now: c.now });
        expect(shape(await refused(result)), `${c.label}, ${slug}`).toEqual(expected);
        expect(admitted, `${c.label}, ${slug}`).toEqual([]);
      }
    }
  });

  it('sees a revocation, a deactivated owner and an inactive workspace at the very next read', async () => {
    const t = await suite.tenant();
    await publish(t, 'notes');
    const revokedNext = await createApiKey(t.as('other'), { name: 'k', scopes: ['skills:read'] });
    const ownerGone = await keyOf(t, 'author');
    await (await read(revokedNext.secret, 'notes')).result; // the key's tenant is remembered from here on
    await (await read(ownerGone, 'notes')).result;

    await revokeApiKey(t.as('other'), { keyId: revokedNext.key.id });
    expect((await refused((await read(revokedNext.secret, 'notes')).result)).message).toContain('revoked');

    await withTenant(suite.dbs.app.db, t.tenantId, (tx) => tx.update(memberships).set({ status: 'deactivated' }).where(eq(memberships.userId, t.author.userId)));
    expect((await refused((await read(ownerGone, 'notes')).result)).message).toContain('no longer an active member');

    const admin = await keyOf(t, 'admin');
    await (await read(admin, 'notes')).result;
    await suite.dbs.owner.db.update(tenants).set({ status: 'inactive' }).where(eq(tenants.id, t.tenantId));
    expect(shape(await refused((await read(admin, 'notes')).result))).toMatchObject({ code: 'forbidden', status: 403 });
  });

  it('answers not found for another tenant’s skill, a missing version and a colleague’s private skill, after admitting the key', async () => {
    const secret = await keyOf(a, 'other');
    for (const [slug, version] of [['b-only'], ['pdf-forms', '9.9.9'], ['diary'], ['no-such-skill']] as const) {
      const { result, admitted } = await read(secret, slug, { version });
      expect((await refused(result)).code, slug).toBe('not_found');
      expect(admitted, slug).toHaveLength(1);
    }
    const admin = await keyOf(a, 'admin', ['skills:read', 'admin']);
    expect((await (await read(admin, 'diary')).result).skill.slug).toBe('diary');
  });

  it('checks the scope after admitting, and refuses bad input only once the key passed', async () => {
    const usageOnly = await keyOf(a, 'author', ['usage:write']);
    const { result, admitted } = await read(usageOnly, 'pdf-forms');
    expect((await refused(result)).code).toBe('forbidden');
    expect(admitted).toHaveLength(1);

    const valid = await keyOf(a, 'author');
    expect((await refused((await read(valid, 'Not A Slug')).result)).code).toBe('invalid_input');
    expect((await refused((await read('rlk_short', 'Not A Slug')).result)).status).toBe(401);
    expect((await refused((await read(usageOnly, 'Not A Slug')).result)).code).toBe('forbidden');
  });
});
