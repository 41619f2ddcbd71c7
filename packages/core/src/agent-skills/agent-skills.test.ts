import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { eq, skills, skillVersions, withTenant } from '@everyskill/db';
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
import { searchAgentSkills } from './search-agent-skills';

let dbs: Awaited<ReturnType<typeof openTestDatabases>>;
const blobs = new MemoryBlobStore();
let a: SkillsTestTenant;
let b: SkillsTestTenant;

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
      safety: { rulesVersion: SAFETY_RULES_VERSION, verdict: 'clean', findings: [], scannedAt: expect.any(String), override: null },
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
    const found = await searchAgentSkills(reader(a), { q: 'b public' });
    expect(found.items).toEqual([]);
    expect((await searchAgentSkills(reader(a), { q: 'hello' })).items.map((s) => s.slug)).toEqual(['hello-world']);
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
});
