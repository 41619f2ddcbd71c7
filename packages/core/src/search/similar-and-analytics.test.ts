import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, mode, openTestDatabases, personCtx } from '../../test/agent-access-fixtures';
import { builtinRuntime, downEmbedder, insertSkill } from '../../test/search-fixtures';
import type { Ctx } from '../context';
import { checkDuplicateSkills } from './check-duplicate-skills';
import { embedSkills } from './embed-skills';
import { findSimilarSkills } from './find-similar-skills';
import { getSearchAnalytics } from './get-search-analytics';
import { recordSearchClick } from './record-search-click';
import { createSearchRuntime } from './search-runtime';
import { searchSkills } from './search-skills';

type Dbs = Awaited<ReturnType<typeof openTestDatabases>>;
let dbs: Dbs;
let a: Awaited<ReturnType<typeof createTestTenant>>;
let b: Awaited<ReturnType<typeof createTestTenant>>;
let member: Ctx;
let admin: Ctx;
/** Tenant b's copy of code-review. */
let foreignSkillId: string;
const runtime = builtinRuntime();
const ids: Record<string, string> = {};

const REVIEW = {
  description: 'Reviews pull requests for bugs, security issues and missing tests before merge.',
  body: '# Code review\n\nRead the diff, run the tests, comment on risky changes, approve or request changes.',
};

beforeAll(async () => {
  dbs = await openTestDatabases();
  a = await createTestTenant(dbs.owner.db, dbs.app.db);
  b = await createTestTenant(dbs.owner.db, dbs.app.db);
  member = personCtx(dbs.app.db, a.tenantId, a.people.member);
  admin = personCtx(dbs.app.db, a.tenantId, a.people.admin);
  const specs = [
    { slug: 'code-review', ...REVIEW },
    {
      slug: 'pr-reviewer',
      description: 'Reviews a pull request diff and comments on bugs and risky changes.',
      body: '# PR review\n\nRead the pull request, check tests, leave review comments.',
    },
    {
      slug: 'private-review-notes',
      description: 'Private notes on reviewing pull requests and code changes.',
      visibility: 'private' as const,
      authorUserId: a.people.reviewer.userId,
    },
    { slug: 'tax-return', description: 'Prepares a personal income tax return from receipts.' },
  ];
  for (const spec of specs) ids[spec.slug] = await insertSkill(dbs.app.db, a.tenantId, spec);
  await embedSkills(dbs.app.db, runtime, a.tenantId, Object.values(ids));
  foreignSkillId = await insertSkill(dbs.app.db, b.tenantId, { slug: 'code-review-b', ...REVIEW });
  await embedSkills(dbs.app.db, runtime, b.tenantId, [foreignSkillId]);
});

afterAll(async () => {
  await dbs?.close();
});

describe(`similar skills (${mode})`, () => {
  it("lists a skill's nearest neighbours in the same tenant, most similar first, never itself", async () => {
    const similar = await findSimilarSkills(member, { slug: 'code-review' }, { runtime });
    expect(similar[0]?.skill.slug).toBe('pr-reviewer');
    expect(similar[0]!.similarity).toBeGreaterThan(0.3);
    const slugs = similar.map((s) => s.skill.slug);
    expect(slugs).not.toContain('code-review');
    // Identical text in another tenant and a private skill of someone else stay out.
    expect(slugs).not.toContain('code-review-b');
    expect(slugs).not.toContain('private-review-notes');
    expect(similar.map((s) => s.similarity)).toEqual([...similar.map((s) => s.similarity)].sort((x, y) => y - x));
  });

  it('is empty for a skill not embedded yet, and not found for a skill one may not see', async () => {
    await insertSkill(dbs.app.db, a.tenantId, { slug: 'fresh-skill', description: 'Reviews pull requests too.' });
    expect(await findSimilarSkills(member, { slug: 'fresh-skill' }, { runtime })).toEqual([]);
    await expect(findSimilarSkills(member, { slug: 'private-review-notes' }, { runtime })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe(`duplicate warning on publish (${mode})`, () => {
  it('flags a draft that is nearly an existing skill, and not an unrelated one', async () => {
    const copy = await checkDuplicateSkills(
      member,
      { name: 'review-my-code', description: REVIEW.description.replace('before merge', 'before merging'), body: REVIEW.body },
      { runtime },
    );
    expect(copy.semantic).toBe(true);
    expect(copy.duplicates.map((d) => d.skill.slug)).toEqual(['code-review']);
    expect(copy.duplicates[0]!.similarity).toBeGreaterThanOrEqual(runtime.embedder.duplicateThreshold);

    const unrelated = await checkDuplicateSkills(
      member,
      { name: 'slide-maker', description: 'Turns an outline into a slide deck.', body: '' },
      { runtime },
    );
    expect(unrelated.duplicates).toEqual([]);
  });

  it('does not count the skill being updated as its own duplicate', async () => {
    const update = await checkDuplicateSkills(member, { name: 'code-review', ...REVIEW }, { runtime });
    expect(update.duplicates.map((d) => d.skill.slug)).not.toContain('code-review');
  });

  it('falls back to comparing words when the embedder is down', async () => {
    const down = createSearchRuntime({ embedder: downEmbedder() });
    const result = await checkDuplicateSkills(member, { name: 'review-helper', ...REVIEW }, { runtime: down });
    expect(result.semantic).toBe(false);
    expect(result.duplicates.map((d) => d.skill.slug)).toEqual(['code-review']);
  });
});

describe(`search analytics (${mode})`, () => {
  it('counts searches, zero-result searches, clicks and click-through for admins', async () => {
    const first = await searchSkills(member, { q: 'review pull requests' }, { runtime });
    await searchSkills(member, { q: 'Review   pull requests' }, { runtime });
    await searchSkills(member, { q: 'quantum teleportation' }, { runtime });
    const clicked = first.items[0]!;
    expect(await recordSearchClick(member, { queryId: first.queryId!, skillId: clicked.skill.id, position: 1 })).toBe(true);
    // Opening the same result again does not count twice.
    expect(await recordSearchClick(member, { queryId: first.queryId!, skillId: clicked.skill.id, position: 1 })).toBe(false);
    // A click naming another tenant's skill, or no skill at all, is ignored.
    expect(await recordSearchClick(member, { queryId: first.queryId!, skillId: foreignSkillId, position: 2 })).toBe(false);
    expect(await recordSearchClick(member, { queryId: first.queryId!, skillId: randomUUID(), position: 2 })).toBe(false);

    const stats = await getSearchAnalytics(admin, { days: 7 });
    expect(stats).toMatchObject({ days: 7, searches: 3, searchesWithClick: 1, zeroResultSearches: 1, degradedSearches: 0 });
    expect(stats.clickThroughRate).toBeCloseTo(1 / 3, 5);
    expect(stats.topQueries[0]).toMatchObject({ query: 'Review pull requests', searches: 2, clicks: 1 });
    expect(stats.zeroResultQueries).toEqual([{ query: 'quantum teleportation', searches: 1, clicks: 0, avgResults: 0 }]);
    // Per UTC day, every day of the period: today has them all.
    expect(stats.perDay).toHaveLength(7);
    expect(stats.perDay.at(-1)).toEqual({ date: new Date().toISOString().slice(0, 10), searches: 3, zeroResults: 1, withClick: 1 });
    expect(stats.perDay.slice(0, -1).every((d) => d.searches === 0)).toBe(true);

    // Each tenant sees only its own searches.
    const otherAdmin = personCtx(dbs.app.db, b.tenantId, b.people.admin);
    expect(await getSearchAnalytics(otherAdmin)).toMatchObject({ searches: 0, topQueries: [] });
  });

  it('records degraded searches and is refused to members', async () => {
    await searchSkills(member, { q: 'tax' }, { runtime: createSearchRuntime({ embedder: downEmbedder() }) });
    expect((await getSearchAnalytics(admin)).degradedSearches).toBe(1);
    await expect(getSearchAnalytics(member)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
