import { verifySubjects, type SkillAttestation } from '@everyskill/provenance';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { apiSearchQuery } from '@everyskill/contracts';
import { and, eq, isNull, searchQueries, skills, skillVersions, skillVersionSafety, withTenant } from '@everyskill/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAFETY_RULES_VERSION } from '../skills/safety';
import type { Ctx } from '../context';
import { AppError } from '../errors';
import { publishSkill } from '../skills/publish-skill';
import {
  createSkillsTenant,
  MemoryBlobStore,
  mode,
  openTestDatabases,
  skillFolder,
  skillMarkdown,
  skillsCtx,
  type SkillsTestTenant,
} from '../../test/skills-fixtures';
import { buildDiscoveryIndex, discoveryArtifact, DISCOVERY_SCHEMA } from './discover-public-skills';
import { getAgentSkill } from './get-agent-skill';
import { getSkillFilesForAgent } from './get-skill-files';
import { listAgentSkills } from './list-agent-skills';
import { reportAgentUsage } from './report-agent-usage';
import { embedSkills } from '../search/embed-skills';
import { createSearchRuntime } from '../search/search-runtime';
import { searchSkills } from '../search/search-skills';
import { searchSkillsForAgent } from '../search/search-skills-for-agent';
import { builtinRuntime, downEmbedder } from '../../test/search-fixtures';

let dbs: Awaited<ReturnType<typeof openTestDatabases>>;
const blobs = new MemoryBlobStore();
let a: SkillsTestTenant;
let b: SkillsTestTenant;
const runtime = builtinRuntime();

/** A search as the API's contract reads it (defaults filled in). */
const agentQuery = (q: string, extra: Record<string, string> = {}) => apiSearchQuery.parse({ q, ...extra });

/** Embeds every skill of the tenant, as the embedding jobs would after publishing. */
async function embedAll(tenantId: string): Promise<void> {
  const rows = await withTenant(dbs.app.db, tenantId, (tx) => tx.select({ id: skills.id }).from(skills).where(isNull(skills.deletedAt)));
  await embedSkills(dbs.app.db, runtime, tenantId, rows.map((r) => r.id));
}

const keyCtx = (t: SkillsTestTenant, scopes: string[], who: 'author' | 'other' | 'admin' = 'author'): Ctx => ({
  tenantId: t.tenantId,
  db: dbs.app.db,
  actor: { kind: 'api-key', userId: t[who].userId, keyId: '00000000-0000-4000-8000-000000000001', role: t[who].role, scopes },
});
const reader = (t: SkillsTestTenant, who: 'author' | 'other' | 'admin' = 'author') =>
  keyCtx(t, ['skills:read', 'usage:write', 'skills:publish'], who);

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'ok';
}

beforeAll(async () => {
  dbs = await openTestDatabases();
  a = await createSkillsTenant(dbs);
  b = await createSkillsTenant(dbs);
  const author = skillsCtx(dbs.app.db, a.tenantId, a.author, blobs);
  await publishSkill(author, {
    source: { kind: 'files', files: skillFolder('pdf-forms', { version: '1.0.0', files: { 'scripts/fill.py': 'print("fill")\n', 'reference.md': '# Ref\n' } }) },
    visibility: 'public',
  });
  await publishSkill(author, {
    source: { kind: 'files', files: skillFolder('pdf-forms', { version: '1.1.0', body: '# Skill v1.1\n', files: { 'scripts/fill.py': 'print("fill 2")\n' } }) },
    slug: 'pdf-forms',
  });
  await publishSkill(author, { source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'hello-world', description: 'Says hello.' }) }, visibility: 'public' });
  await publishSkill(author, { source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'team-notes', description: 'Team notes.' }) } });
  await publishSkill(author, { source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'my-private', description: 'Mine.' }) }, visibility: 'private' });
  const bAuthor = skillsCtx(dbs.app.db, b.tenantId, b.author, blobs);
  await publishSkill(bAuthor, { source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'b-public', description: 'B public.' }) }, visibility: 'public' });
  await publishSkill(bAuthor, { source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'b-only', description: 'B only.' }) } });
});

afterAll(async () => {
  await dbs?.close();
});

describe(`skills for agents (${mode})`, () => {
  it('gives every value as the skill and version rows hold it (timestamps, counters, rating, sizes, tags)', async () => {
    await withTenant(dbs.app.db, a.tenantId, (tx) =>
      tx.update(skills).set({ ratingSum: 9, ratingCount: 2, usesCount: 7, installsCount: 3, tags: ['pdf', 'forms'] }).where(eq(skills.slug, 'pdf-forms')),
    );
    const [row] = await withTenant(dbs.app.db, a.tenantId, (tx) =>
      tx.select({ skill: skills, version: skillVersions }).from(skills).innerJoin(skillVersions, eq(skillVersions.id, skills.latestVersionId)).where(eq(skills.slug, 'pdf-forms')),
    );
    const read = await getAgentSkill(reader(a), { slug: 'pdf-forms' });
    expect(read).toMatchObject({
      id: row!.skill.id,
      category: row!.skill.category,
      tags: ['pdf', 'forms'],
      usesCount: 7,
      installsCount: 3,
      ratingAvg: 4.5,
      ratingCount: 2,
      createdAt: row!.skill.createdAt.toISOString(),
      updatedAt: row!.skill.updatedAt.toISOString(),
    });
    expect(read.latest).toEqual({
      slug: 'pdf-forms',
      version: row!.version.version,
      contentSha256: row!.version.contentSha256,
      skillMd: row!.version.skillMd,
      manifest: row!.version.manifest,
      files: row!.version.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })),
      fileCount: row!.version.fileCount,
      sizeBytes: row!.version.sizeBytes,
      notes: row!.version.notes,
      publishedBy: { id: a.author.userId, name: expect.any(String), email: a.author.email },
      createdAt: row!.version.createdAt.toISOString(),
      safety: { rulesVersion: SAFETY_RULES_VERSION, verdict: 'clean', findings: [], scannedAt: expect.any(String), override: null, heldAt: null },
    });
    expect(read.latest!.sizeBytes).toBeGreaterThan(0);
  });

  it('gets a skill with its SKILL.md and version list; a pinned version gives that version', async () => {
    const latest = await getAgentSkill(reader(a), { slug: 'pdf-forms' });
    expect(latest).toMatchObject({ slug: 'pdf-forms', latestVersion: '1.1.0', visibility: 'public', author: { email: a.author.email } });
    expect(latest.skillMd).toContain('# Skill v1.1');
    expect(latest.versions.map((v) => v.version)).toEqual(['1.1.0', '1.0.0']);
    expect(latest.latest?.files.map((f) => f.path).sort()).toEqual(['SKILL.md', 'scripts/fill.py']);
    const pinned = await getAgentSkill(reader(a), { slug: 'pdf-forms', version: '1.0.0' });
    expect(pinned.latest?.version).toBe('1.0.0');
    expect(pinned.skillMd).not.toContain('v1.1');
    expect(pinned.latest?.files).toHaveLength(3);
    expect(await code(getAgentSkill(reader(a), { slug: 'pdf-forms', version: '9.9.9' }))).toBe('not_found');
  });

  it('never shows another tenant’s skill or someone else’s private skill, and refuses a key without skills:read', async () => {
    expect(await code(getAgentSkill(reader(a), { slug: 'b-only' }))).toBe('not_found');
    expect(await code(getAgentSkill(reader(a), { slug: 'b-public' }))).toBe('not_found');
    expect(await code(getAgentSkill(reader(a, 'other'), { slug: 'my-private' }))).toBe('not_found');
    // An admin's key with the admin scope sees members' private skills (without it, see below).
    expect((await getAgentSkill(keyCtx(a, ['skills:read', 'admin'], 'admin'), { slug: 'my-private' })).slug).toBe('my-private');
    expect(await code(getAgentSkill(keyCtx(a, ['usage:write']), { slug: 'pdf-forms' }))).toBe('forbidden');
    const listed = await listAgentSkills(reader(a, 'other'));
    expect(listed.items.map((s) => s.slug).sort()).toEqual(['hello-world', 'pdf-forms', 'team-notes']);
    const found = await searchSkillsForAgent(reader(a), agentQuery('b public'), { source: 'api', runtime, record: false });
    expect(found.items).toEqual([]);
    expect((await searchSkillsForAgent(reader(a), agentQuery('hello'), { source: 'api', runtime, record: false })).items.map((s) => s.slug)).toEqual(['hello-world']);
  });

  it('search finds by name, words and meaning, never another tenant’s skills or someone else’s private one', async () => {
    const author = skillsCtx(dbs.app.db, a.tenantId, a.author, blobs);
    const bAuthor = skillsCtx(dbs.app.db, b.tenantId, b.author, blobs);
    const deck = { description: 'Builds PowerPoint presentations from an outline.', body: '# Deck\n\nOne page per part of the outline.\n' };
    await publishSkill(author, { source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'deck-maker', description: deck.description }, deck.body) } });
    await publishSkill(author, { source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'deck-drafts', description: deck.description }, deck.body) }, visibility: 'private' });
    await publishSkill(bAuthor, { source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'b-deck-maker', description: deck.description }, deck.body) } });
    await embedAll(a.tenantId);
    await embedAll(b.tenantId);
    const search = (ctx: Ctx, q: string) => searchSkillsForAgent(ctx, agentQuery(q), { source: 'api', runtime, record: false });
    const bIds = await withTenant(dbs.app.db, b.tenantId, (tx) => tx.select({ id: skills.id }).from(skills));
    const notFromB = (result: { items: { id: string }[] }) => result.items.every((item) => !bIds.some((row) => row.id === item.id));

    // By meaning alone (no word of the query is in the skill): found in A, with the match saying so.
    const meaning = await search(reader(a, 'other'), 'keynote slides for investors');
    expect(meaning.items.map((s) => s.slug)).toContain('deck-maker');
    expect(meaning.items.find((s) => s.slug === 'deck-maker')?.match).toBe('meaning');
    expect(meaning.degraded).toBe(false);
    for (const q of ['b-deck-maker', 'b-only', 'b public', 'powerpoint presentations outline', 'keynote slides for investors']) {
      const result = await search(reader(a, 'admin'), q);
      expect(notFromB(result), q).toBe(true);
      expect(result.items.map((s) => s.slug), q).not.toContain('deck-drafts');
    }
    // B finds its own skill by name, first; A's skills never.
    const fromB = await search(reader(b), 'b-deck-maker');
    expect(fromB.items[0]).toMatchObject({ slug: 'b-deck-maker', match: 'both', matchedBy: expect.arrayContaining(['name', 'semantic']) });
    expect(fromB.items.every((item) => bIds.some((row) => row.id === item.id))).toBe(true);
    // A private skill only for its author (an admin's key included, as in the skill lists).
    expect((await search(reader(a, 'other'), 'deck-drafts')).items.map((s) => s.slug)).not.toContain('deck-drafts');
    expect((await search(keyCtx(a, ['skills:read', 'admin'], 'admin'), 'deck-drafts')).items.map((s) => s.slug)).not.toContain('deck-drafts');
    expect((await search(reader(a), 'deck-drafts')).items[0]?.slug).toBe('deck-drafts');
    expect(await code(search(keyCtx(a, ['usage:write']), 'deck'))).toBe('forbidden');
  });

  it('search answers with the portal’s ranking, every hit as the API’s summary, filtered by category and tag, recorded by source', async () => {
    const q = 'powerpoint presentations from an outline';
    const portal = await searchSkills(reader(a), { q, limit: 10 }, { runtime, record: false });
    expect(portal.items.length).toBeGreaterThan(1);
    const api = await searchSkillsForAgent(reader(a), agentQuery(q), { source: 'api', runtime });
    expect(api.items.map((s) => [s.id, s.position, s.score, s.matchedBy])).toEqual(portal.items.map((h) => [h.skill.id, h.position, h.score, h.matchedBy]));
    const first = portal.items[0]!.skill;
    expect(api.items[0]).toMatchObject({
      slug: first.slug,
      name: first.name,
      description: first.description,
      latestVersion: first.latestVersion,
      status: first.status,
      usesCount: first.usesCount,
      installsCount: first.installsCount,
      ratingAvg: first.ratingAvg,
      ratingCount: first.ratingCount,
    });
    expect(api).toMatchObject({ query: q, hasMore: portal.hasMore, degraded: false, degradedReason: null });
    await searchSkillsForAgent(reader(a), agentQuery(q), { source: 'mcp', runtime });
    const recorded = await withTenant(dbs.app.db, a.tenantId, (tx) =>
      tx.select({ source: searchQueries.source, resultCount: searchQueries.resultCount }).from(searchQueries).where(eq(searchQueries.query, q)),
    );
    expect(recorded.map((r) => r.source).sort()).toEqual(['api', 'mcp']);
    expect(recorded[0]!.resultCount).toBe(api.items.length);

    // Deprecated skills are found and say so; filters narrow inside the query.
    await withTenant(dbs.app.db, a.tenantId, (tx) =>
      tx.update(skills).set({ status: 'deprecated', category: 'documents', tags: ['slides'] }).where(and(eq(skills.slug, 'deck-maker'), isNull(skills.deletedAt))),
    );
    const deprecated = await searchSkillsForAgent(reader(a), agentQuery(q), { source: 'api', runtime, record: false });
    expect(deprecated.items.find((s) => s.slug === 'deck-maker')?.status).toBe('deprecated');
    const byTag = await searchSkillsForAgent(reader(a), agentQuery(q, { tag: 'Slides' }), { source: 'api', runtime, record: false });
    expect(byTag.items.map((s) => s.slug)).toEqual(['deck-maker']);
    const byCategory = await searchSkillsForAgent(reader(a), agentQuery(q, { category: 'finance' }), { source: 'api', runtime, record: false });
    expect(byCategory.items).toEqual([]);
    expect(() => agentQuery(q, { category: 'slides' })).toThrow(/category/);
  });

  it('search answers from words, flagged degraded with the reason, when the embedder is down', async () => {
    const down = createSearchRuntime({ embedder: downEmbedder(), cooldownMs: 60_000 });
    const q = 'powerpoint presentations from an outline';
    const words = await searchSkills(reader(a), { q, mode: 'keyword', limit: 10 }, { runtime, record: false });
    const result = await searchSkillsForAgent(reader(a), agentQuery(q), { source: 'mcp', runtime: down, record: false });
    expect(result).toMatchObject({ degraded: true, degradedReason: expect.stringMatching(/unavailable/) });
    expect(result.items.length).toBeGreaterThan(0);
    expect(result.items.map((s) => s.id)).toEqual(words.items.map((h) => h.skill.id));
    expect(result.items.every((s) => s.match === 'words')).toBe(true);
  });

  it('counts a use once per idempotency key, per person, in the skill counters', async () => {
    const before = (await getAgentSkill(reader(a), { slug: 'team-notes' })).usesCount;
    const event = { skill: 'team-notes', idempotencyKey: 'f3a1c9e0-use-1', source: 'api' as const };
    expect(await reportAgentUsage(reader(a), event)).toEqual({ recorded: true });
    expect(await reportAgentUsage(reader(a), event)).toEqual({ recorded: false });
    // The same client key from another person is another use.
    expect(await reportAgentUsage(reader(a, 'other'), event)).toEqual({ recorded: true });
    expect((await getAgentSkill(reader(a), { slug: 'team-notes' })).usesCount).toBe(before + 2);
    expect(await code(reportAgentUsage(reader(a), { skill: 'b-only', idempotencyKey: 'f3a1c9e0-use-2' }))).toBe('not_found');
    expect(await code(reportAgentUsage(reader(a), { skill: 'team-notes', idempotencyKey: 'short' }))).toBe('invalid_input');
  });

  it('an admin’s key has admin powers over others’ skills only with the admin scope', async () => {
    const author = skillsCtx(dbs.app.db, a.tenantId, a.author, blobs);
    await publishSkill(author, { source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'private-diary', description: 'Kept to myself.' }) }, visibility: 'private' });
    const adminRead = keyCtx(a, ['skills:read', 'skills:publish'], 'admin');
    expect(await code(getAgentSkill(adminRead, { slug: 'private-diary' }))).toBe('not_found');
    const adminFull = keyCtx(a, ['skills:read', 'skills:publish', 'admin'], 'admin');
    expect((await getAgentSkill(adminFull, { slug: 'private-diary' })).slug).toBe('private-diary');
    // Publishing a new version of someone else's skill is an admin power too.
    const next = { source: { kind: 'skill-md' as const, skillMd: skillMarkdown({ name: 'team-notes', description: 'Notes, edited by an admin key.' }) } };
    expect(await code(publishSkill({ ...keyCtx(a, ['skills:read', 'skills:publish'], 'admin'), blobs }, next))).toBe('forbidden');
    expect(await code(publishSkill({ ...adminFull, blobs }, next))).toBe('ok');
  });

  it('a key with only the usage scope reports uses and installs; one without it reports neither', async () => {
    const telemetry = keyCtx(a, ['usage:write']);
    const before = await getAgentSkill(reader(a), { slug: 'team-notes' });
    expect(await reportAgentUsage(telemetry, { skill: 'team-notes', kind: 'install', idempotencyKey: 'f3a1c9e0-install-1' })).toEqual({ recorded: true });
    expect(await reportAgentUsage(telemetry, { skill: 'team-notes', idempotencyKey: 'f3a1c9e0-use-3' })).toEqual({ recorded: true });
    const after = await getAgentSkill(reader(a), { slug: 'team-notes' });
    expect([after.installsCount, after.usesCount]).toEqual([before.installsCount + 1, before.usesCount + 1]);
    expect(await code(reportAgentUsage(keyCtx(a, ['skills:read']), { skill: 'team-notes', idempotencyKey: 'f3a1c9e0-use-4' }))).toBe('forbidden');
  });

  it('hands an agent every file of a version to install, and counts an install (not a use)', async () => {
    const ctx = { ...reader(a), blobs };
    const before = await getAgentSkill(reader(a), { slug: 'pdf-forms' });
    const files = await getSkillFilesForAgent(ctx, { slug: 'pdf-forms', version: '1.0.0' }, { source: 'mcp' });
    expect(files.version).toBe('1.0.0');
    expect(files.files.map((f) => f.path)).toEqual(['SKILL.md', 'reference.md', 'scripts/fill.py']);
    const script = files.files.find((f) => f.path === 'scripts/fill.py')!;
    expect(script).toMatchObject({ encoding: 'utf8', content: 'print("fill")\n' });
    expect(script.sha256).toBe(createHash('sha256').update(script.content).digest('hex'));
    // The files come with the version's attestation; they verify against it, byte for byte.
    expect(files.attestation).toMatchObject({ slug: 'pdf-forms', version: '1.0.0', reason: 'published' });
    const statement = JSON.parse(Buffer.from(files.attestation.envelope.payload, 'base64').toString('utf8')) as SkillAttestation;
    const contents = files.files.map((f) => ({ path: f.path, bytes: Buffer.from(f.content, f.encoding === 'base64' ? 'base64' : 'utf8') }));
    expect(verifySubjects(statement, { files: contents })).toEqual({ ok: true });
    const after = await getAgentSkill(reader(a), { slug: 'pdf-forms' });
    expect(after.installsCount).toBe(before.installsCount + 1);
    expect(after.usesCount).toBe(before.usesCount);
    expect(await code(getSkillFilesForAgent({ ...reader(a), blobs }, { slug: 'b-only' }, { source: 'mcp' }))).toBe('not_found');
  });

  it('publishes a discovery index of the public skills only, with digests of exactly the served bytes', async () => {
    const index = await buildDiscoveryIndex(dbs.app.db, blobs, a.tenantId);
    expect(index.$schema).toBe(DISCOVERY_SCHEMA);
    expect(index.skills.map((s) => [s.name, s.type])).toEqual([
      ['hello-world', 'skill-md'],
      ['pdf-forms', 'archive'],
    ]);
    for (const entry of index.skills) {
      expect(entry.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      const artifact = await discoveryArtifact(dbs.app.db, blobs, a.tenantId, entry.name, entry.type);
      expect(artifact).not.toBeNull();
      expect(`sha256:${createHash('sha256').update(artifact!.bytes).digest('hex')}`).toBe(entry.digest);
    }
    expect(index.skills[1]!.url).toBe('/.well-known/agent-skills/pdf-forms.tar.gz');
    // The archive has SKILL.md at its root (no wrapping folder) and is the same bytes every time.
    const archive = (await discoveryArtifact(dbs.app.db, blobs, a.tenantId, 'pdf-forms', 'archive'))!;
    const tar = gunzipSync(archive.bytes);
    expect(tar.subarray(0, 100).toString('utf8').replace(/\0+$/, '')).toBe('SKILL.md');
    expect(archive.contentType).toBe('application/gzip');
    // Private, tenant-only and other tenants' skills are not served, whatever the name.
    for (const name of ['team-notes', 'my-private', 'b-public', 'b-only', 'nope']) {
      expect(await discoveryArtifact(dbs.app.db, blobs, a.tenantId, name, 'skill-md')).toBeNull();
    }
    expect(await discoveryArtifact(dbs.app.db, blobs, a.tenantId, 'hello-world', 'archive')).toBeNull();
    expect((await buildDiscoveryIndex(dbs.app.db, blobs, b.tenantId)).skills.map((s) => s.name)).toEqual(['b-public']);
  });

  it('leaves out of discovery a public skill whose latest version the safety scan withholds, until it is released', async () => {
    const [skill] = await withTenant(dbs.app.db, a.tenantId, (tx) => tx.select().from(skills).where(eq(skills.slug, 'hello-world')));
    const versionId = skill!.latestVersionId!;
    const [before] = await withTenant(dbs.app.db, a.tenantId, (tx) => tx.select().from(skillVersionSafety).where(eq(skillVersionSafety.versionId, versionId)));
    await withTenant(dbs.app.db, a.tenantId, (tx) =>
      tx
        .insert(skillVersionSafety)
        .values({ tenantId: a.tenantId, versionId, rulesVersion: 'test', verdict: 'blocked', findings: [], heldAt: new Date() })
        .onConflictDoUpdate({ target: skillVersionSafety.versionId, set: { verdict: 'blocked', heldAt: new Date(), overriddenAt: null, overrideReason: null } }),
    );
    try {
      expect((await buildDiscoveryIndex(dbs.app.db, blobs, a.tenantId)).skills.map((s) => s.name)).toEqual(['pdf-forms']);
      expect(await discoveryArtifact(dbs.app.db, blobs, a.tenantId, 'hello-world', 'skill-md')).toBeNull();
      await withTenant(dbs.app.db, a.tenantId, (tx) =>
        tx.update(skillVersionSafety).set({ overrideReason: 'reviewed', overriddenAt: new Date() }).where(eq(skillVersionSafety.versionId, versionId)),
      );
      expect((await buildDiscoveryIndex(dbs.app.db, blobs, a.tenantId)).skills.map((s) => s.name)).toEqual(['hello-world', 'pdf-forms']);
    } finally {
      await withTenant(dbs.app.db, a.tenantId, async (tx) => {
        await tx.delete(skillVersionSafety).where(eq(skillVersionSafety.versionId, versionId));
        if (before) await tx.insert(skillVersionSafety).values(before);
      });
    }
  });
});
