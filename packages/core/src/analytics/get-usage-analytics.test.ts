import { skillUsageEvents, withTenant } from '@everyskill/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, mode, openTestDatabases, personCtx } from '../../test/agent-access-fixtures';
import { insertSkill } from '../../test/search-fixtures';
import { recordInstall } from '../skills/record-install';
import { recordUse } from '../skills/record-use';
import { getUsageAnalytics } from './get-usage-analytics';
import { utcDaysBack } from './utc-days';

type Dbs = Awaited<ReturnType<typeof openTestDatabases>>;
let dbs: Dbs;
let a: Awaited<ReturnType<typeof createTestTenant>>;
let b: Awaited<ReturnType<typeof createTestTenant>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  dbs = await openTestDatabases();
  a = await createTestTenant(dbs.owner.db, dbs.app.db);
  b = await createTestTenant(dbs.owner.db, dbs.app.db);
  ids.alpha = await insertSkill(dbs.app.db, a.tenantId, { slug: 'alpha', description: 'Alpha skill.', category: 'data' });
  ids.beta = await insertSkill(dbs.app.db, a.tenantId, { slug: 'beta', description: 'Beta skill.', category: 'engineering' });
  ids.gamma = await insertSkill(dbs.app.db, a.tenantId, { slug: 'gamma', description: 'Gamma skill.', category: 'data' });
  ids.foreign = await insertSkill(dbs.app.db, b.tenantId, { slug: 'alpha', description: 'Tenant b alpha.', category: 'data' });
  const member = personCtx(dbs.app.db, a.tenantId, a.people.member);
  for (let i = 0; i < 3; i++) await recordInstall(member, { slug: 'alpha', source: 'cli' });
  for (let i = 0; i < 2; i++) await recordUse(member, { slug: 'alpha', source: 'mcp' });
  await recordInstall(member, { slug: 'beta', source: 'portal' });
  await recordInstall(personCtx(dbs.app.db, b.tenantId, b.people.member), { slug: 'alpha', source: 'cli' });
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
  await withTenant(dbs.app.db, a.tenantId, (tx) =>
    tx.insert(skillUsageEvents).values([
      // Two days ago, and 40 days ago: outside the 30-day period.
      { tenantId: a.tenantId, skillId: ids.gamma!, kind: 'use', source: 'api', createdAt: daysAgo(2) },
      { tenantId: a.tenantId, skillId: ids.beta!, kind: 'install', source: 'api', createdAt: daysAgo(40) },
    ]),
  );
}, 120_000);

afterAll(async () => {
  await dbs?.close();
});

describe(`getUsageAnalytics (${mode})`, () => {
  it('counts installs and uses per day, per skill (most first) and per category, within the period and the tenant', async () => {
    const stats = await getUsageAnalytics(personCtx(dbs.app.db, a.tenantId, a.people.admin), { days: 30 });
    const dates = utcDaysBack(30);
    expect(stats).toMatchObject({ days: 30, installs: 4, uses: 3 });
    expect(stats.perDay.map((d) => d.date)).toEqual(dates);
    expect(stats.perDay.at(-1)).toEqual({ date: dates.at(-1), installs: 4, uses: 2 });
    expect(stats.perDay.at(-3)).toEqual({ date: dates.at(-3), installs: 0, uses: 1 });

    expect(stats.topSkills.map((s) => [s.slug, s.installs, s.uses])).toEqual([
      ['alpha', 3, 2],
      ['beta', 1, 0],
      ['gamma', 0, 1],
    ]);
    expect(stats.topSkills[0]!.perDay.at(-1)).toEqual({ date: dates.at(-1), installs: 3, uses: 2 });
    expect(stats.categories.map((c) => [c.category, c.installs, c.uses])).toEqual([
      ['data', 3, 3],
      ['engineering', 1, 0],
    ]);

    // A longer period reaches the older install.
    expect((await getUsageAnalytics(personCtx(dbs.app.db, a.tenantId, a.people.admin), { days: 60 })).installs).toBe(5);
  });

  it('is for admins only, and an empty workspace has a zero for every day', async () => {
    await expect(getUsageAnalytics(personCtx(dbs.app.db, a.tenantId, a.people.member))).rejects.toMatchObject({ code: 'forbidden' });
    const empty = await createTestTenant(dbs.owner.db, dbs.app.db);
    const stats = await getUsageAnalytics(personCtx(dbs.app.db, empty.tenantId, empty.people.admin), { days: 7 });
    expect(stats).toMatchObject({ installs: 0, uses: 0, topSkills: [], categories: [] });
    expect(stats.perDay).toHaveLength(7);
    await expect(getUsageAnalytics(personCtx(dbs.app.db, a.tenantId, a.people.admin), { days: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
