import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq, searchQueries, skills, skillVersionSafety, withTenant } from '@everyskill/db';
import { createTestTenant, mode, openTestDatabases, personCtx } from '../../test/agent-access-fixtures';
import { builtinRuntime, downEmbedder, insertSkill, slowEmbedder } from '../../test/search-fixtures';
import type { Ctx } from '../context';
import { embedSkills } from './embed-skills';
import { createSearchRuntime, setSearchRuntime } from './search-runtime';
import { searchSkills } from './search-skills';

type Dbs = Awaited<ReturnType<typeof openTestDatabases>>;
let dbs: Dbs;
let a: Awaited<ReturnType<typeof createTestTenant>>;
let b: Awaited<ReturnType<typeof createTestTenant>>;
let member: Ctx;
let author: Ctx;
const runtime = builtinRuntime();
const ids: Record<string, string> = {};

const slugs = (result: { items: { skill: { slug: string } }[] }) => result.items.map((h) => h.skill.slug);

beforeAll(async () => {
  dbs = await openTestDatabases();
  a = await createTestTenant(dbs.owner.db, dbs.app.db);
  b = await createTestTenant(dbs.owner.db, dbs.app.db);
  member = personCtx(dbs.app.db, a.tenantId, a.people.member);
  author = personCtx(dbs.app.db, a.tenantId, a.people.reviewer);
  const specs = [
    {
      slug: 'pdf-tools',
      description: 'Merge, split and rotate PDF files from the command line.',
      category: 'documents',
      tags: ['pdf'],
    },
    {
      // Says "pdf-tools" more often than pdf-tools itself: only the exact-name rule puts pdf-tools first.
      slug: 'pdf-tools-guide',
      description: 'A guide to pdf-tools, pdf-tools recipes and pdf-tools tips for PDF tools users.',
      body: 'pdf-tools pdf-tools pdf-tools. Use pdf-tools for PDF tools work.',
      category: 'documents',
      tags: ['pdf', 'guide'],
    },
    {
      slug: 'deck-builder',
      description: 'Builds PowerPoint presentations from a structured brief.',
      body: 'Produces an editable pptx with a title page and one page per section.',
      category: 'documents',
      tags: ['powerpoint'],
      authorUserId: a.people.reviewer.userId,
    },
    {
      slug: 'excel-formula-audit',
      description: 'Finds broken formulas and circular references in spreadsheets.',
      category: 'finance',
      tags: ['excel', 'audit'],
    },
    {
      slug: 'secret-roadmap',
      description: 'Private planning notes about the spreadsheet roadmap.',
      category: 'business',
      tags: ['planning'],
      visibility: 'private' as const,
      authorUserId: a.people.reviewer.userId,
    },
    {
      slug: 'unsafe-markup',
      description: 'Escapes <script>alert(1)</script> markup before it reaches a browser.',
      category: 'security',
      tags: ['xss'],
    },
  ];
  for (const spec of specs) ids[spec.slug] = await insertSkill(dbs.app.db, a.tenantId, spec);
  await embedSkills(dbs.app.db, runtime, a.tenantId, Object.values(ids));
  // Another tenant with a skill that matches every query below: it must never show up in A.
  const foreign = await insertSkill(dbs.app.db, b.tenantId, {
    slug: 'pdf-tools',
    description: 'Foreign pdf tools, slides, presentations, spreadsheets and formulas.',
    category: 'documents',
    tags: ['pdf', 'excel', 'powerpoint'],
  });
  await embedSkills(dbs.app.db, runtime, b.tenantId, [foreign]);
});

afterAll(async () => {
  await dbs?.close();
});

describe(`hybrid search (${mode})`, () => {
  it('puts an exact-name match first, even when another skill repeats the name more', async () => {
    for (const q of ['pdf-tools', 'PDF Tools', 'pdf tools']) {
      const result = await searchSkills(member, { q }, { runtime, record: false });
      expect(slugs(result)[0], q).toBe('pdf-tools');
      expect(result.items[0]!.matchedBy).toContain('name');
      expect(slugs(result)).toContain('pdf-tools-guide');
    }
  });

  it('finds a skill by meaning when no word matches, and keyword-only mode does not', async () => {
    const q = 'turn my outline into slides';
    const keyword = await searchSkills(member, { q, mode: 'keyword' }, { runtime, record: false });
    expect(slugs(keyword)).not.toContain('deck-builder');
    const hybrid = await searchSkills(member, { q }, { runtime, record: false });
    expect(slugs(hybrid)[0]).toBe('deck-builder');
    expect(hybrid.items[0]!.matchedBy).toEqual(['semantic']);
    expect(hybrid.degraded).toBe(false);
    expect(hybrid.mode).toBe('hybrid');
  });

  it('tolerates typos in names and tags', async () => {
    const result = await searchSkills(member, { q: 'powerpont', mode: 'keyword' }, { runtime, record: false });
    expect(slugs(result)[0]).toBe('deck-builder');
    expect(result.items[0]!.matchedBy).toContain('typo');
  });

  it('applies category, tag, author and visibility filters inside the query', async () => {
    const q = 'pdf spreadsheets presentations formulas';
    const all = await searchSkills(member, { q }, { runtime, record: false });
    expect(slugs(all)).toEqual(expect.arrayContaining(['pdf-tools', 'deck-builder', 'excel-formula-audit']));

    const finance = await searchSkills(member, { q, category: 'finance' }, { runtime, record: false });
    expect(slugs(finance)).toEqual(['excel-formula-audit']);

    const tagged = await searchSkills(member, { q, tag: 'powerpoint' }, { runtime, record: false });
    expect(slugs(tagged)).toEqual(['deck-builder']);

    const byAuthor = await searchSkills(member, { q, author: a.people.reviewer.userId }, { runtime, record: false });
    expect(slugs(byAuthor)).toEqual(['deck-builder']);

    const publicOnly = await searchSkills(member, { q, visibility: 'public' }, { runtime, record: false });
    expect(publicOnly.items).toEqual([]);
  });

  it('shows private skills only to their author', async () => {
    const q = 'spreadsheet roadmap planning';
    expect(slugs(await searchSkills(member, { q }, { runtime, record: false }))).not.toContain('secret-roadmap');
    expect(slugs(await searchSkills(author, { q }, { runtime, record: false }))).toContain('secret-roadmap');
  });

  it("never returns another tenant's skills, by name, words or meaning", async () => {
    const otherTenant = personCtx(dbs.app.db, b.tenantId, b.people.member);
    const fromB = await searchSkills(otherTenant, { q: 'pdf-tools' }, { runtime, record: false });
    expect(slugs(fromB)).toEqual(['pdf-tools']);
    const ownIds = new Set(Object.values(ids));
    expect(fromB.items.every((h) => !ownIds.has(h.skill.id))).toBe(true);
    for (const q of ['pdf-tools', 'slides presentations', 'spreadsheets formulas']) {
      const fromA = await searchSkills(member, { q }, { runtime, record: false });
      expect(fromA.items.every((h) => ownIds.has(h.skill.id)), q).toBe(true);
    }
  });

  it('answers from keywords, flagged degraded, when the embedder is down', async () => {
    const down = downEmbedder();
    const broken = createSearchRuntime({ embedder: down, cooldownMs: 60_000 });
    const result = await searchSkills(member, { q: 'merge pdf files' }, { runtime: broken, record: false });
    expect(result.degraded).toBe(true);
    expect(result.degradedReason).toMatch(/unavailable/);
    expect(result.mode).toBe('keyword');
    expect(slugs(result)[0]).toBe('pdf-tools');
    // Within the cooldown the next search does not call (and wait for) the embedder again.
    const again = await searchSkills(member, { q: 'rotate pdf' }, { runtime: broken, record: false });
    expect(again.degraded).toBe(true);
    expect(slugs(again)).toContain('pdf-tools');
    expect(down.calls).toBe(1);
  });

  it('answers from keywords, saying why, when the embedder’s configuration cannot work', async () => {
    vi.stubEnv('EMBEDDING_PROVIDER', 'voyage');
    vi.stubEnv('VOYAGE_API_KEY', '');
    setSearchRuntime(null);
    try {
      const result = await searchSkills(member, { q: 'merge pdf files' }, { record: false });
      expect(result.degraded).toBe(true);
      expect(result.degradedReason).toMatch(/misconfigured.*VOYAGE_API_KEY/);
      expect(slugs(result)[0]).toBe('pdf-tools');
    } finally {
      vi.unstubAllEnvs();
      setSearchRuntime(null);
    }
  });

  it('answers from keywords within the deadline when the embedder is slow', async () => {
    const slow = createSearchRuntime({ embedder: slowEmbedder(5_000), queryTimeoutMs: 200, cooldownMs: 0 });
    const started = Date.now();
    const result = await searchSkills(member, { q: 'broken formulas' }, { runtime: slow, record: false });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.degraded).toBe(true);
    expect(result.degradedReason).toMatch(/did not answer within 200 ms/);
    expect(slugs(result)).toEqual(['excel-formula-audit']);
  });

  it('returns snippets with the matched words marked, as text that cannot carry markup', async () => {
    const result = await searchSkills(member, { q: 'escapes script markup' }, { runtime, record: false });
    const hit = result.items.find((h) => h.skill.slug === 'unsafe-markup');
    expect(hit).toBeDefined();
    const marked = hit!.snippet.filter((p) => p.match).map((p) => p.text.toLowerCase());
    expect(marked).toEqual(expect.arrayContaining(['escapes', 'markup']));
    for (const part of hit!.snippet) expect(part.text).not.toMatch(/[\u0002\u0003]/);
  });

  it('pages through results without repeating one', async () => {
    const q = 'pdf spreadsheets presentations formulas markup';
    const first = await searchSkills(member, { q, limit: 2 }, { runtime, record: false });
    const second = await searchSkills(member, { q, limit: 2, offset: 2 }, { runtime, record: false });
    expect(first.hasMore).toBe(true);
    expect(first.items.map((h) => h.position)).toEqual([1, 2]);
    expect(second.items[0]?.position).toBe(3);
    const seen = [...slugs(first), ...slugs(second)];
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('drops deleted skills at once', async () => {
    const id = await insertSkill(dbs.app.db, a.tenantId, { slug: 'short-lived', description: 'Temporary zebra skill.' });
    await embedSkills(dbs.app.db, runtime, a.tenantId, [id]);
    expect(slugs(await searchSkills(member, { q: 'zebra' }, { runtime, record: false }))).toEqual(['short-lived']);
    await withTenant(dbs.app.db, a.tenantId, (tx) => tx.update(skills).set({ deletedAt: new Date() }).where(eq(skills.id, id)));
    expect(slugs(await searchSkills(member, { q: 'zebra' }, { runtime, record: false }))).toEqual([]);
  });

  it('records the sanitised first page of a search for analytics', async () => {
    const result = await searchSkills(member, { q: 'pdf for ada@example.com rlk_abcdefghijklmnop' }, { runtime });
    expect(result.queryId).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await withTenant(dbs.app.db, a.tenantId, (tx) =>
      tx.select().from(searchQueries).where(eq(searchQueries.id, result.queryId!)),
    );
    expect(row).toMatchObject({ query: 'pdf for [email] [secret]', normalized: 'pdf for [email] [secret]', degraded: false });
    expect(row!.resultCount).toBe(result.items.length);
    const nextPage = await searchSkills(member, { q: 'pdf', offset: 1 }, { runtime });
    expect(nextPage.queryId).toBeNull();
  });

  it('refuses an empty or overlong query with a message', async () => {
    await expect(searchSkills(member, { q: '   ' }, { runtime })).rejects.toThrow(/type something to search for/);
    await expect(searchSkills(member, { q: 'x'.repeat(201) }, { runtime })).rejects.toThrow(/at most 200 characters/);
  });
});

describe(`search and the safety scan (${mode})`, () => {
  it('leaves out a skill whose latest version the safety scan withholds (blocked or held), and finds it again once released', async () => {
    const q = 'merge split rotate pdf';
    expect(slugs(await searchSkills(member, { q }, { runtime, record: false }))).toContain('pdf-tools');
    const [skill] = await withTenant(dbs.app.db, a.tenantId, (tx) => tx.select().from(skills).where(eq(skills.id, ids['pdf-tools']!)));
    const versionId = skill!.latestVersionId!;
    await withTenant(dbs.app.db, a.tenantId, (tx) =>
      tx.insert(skillVersionSafety).values({ tenantId: a.tenantId, versionId, rulesVersion: 'test', verdict: 'blocked', findings: [], heldAt: new Date() }),
    );
    try {
      for (const m of ['keyword', 'hybrid'] as const) expect(slugs(await searchSkills(member, { q, mode: m }, { runtime, record: false })), m).not.toContain('pdf-tools');
      await withTenant(dbs.app.db, a.tenantId, (tx) =>
        tx.update(skillVersionSafety).set({ overrideReason: 'reviewed', overriddenAt: new Date() }).where(eq(skillVersionSafety.versionId, versionId)),
      );
      expect(slugs(await searchSkills(member, { q }, { runtime, record: false }))).toContain('pdf-tools');
    } finally {
      await withTenant(dbs.app.db, a.tenantId, (tx) => tx.delete(skillVersionSafety).where(eq(skillVersionSafety.versionId, versionId)));
    }
  });
});
