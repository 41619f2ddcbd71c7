import { describe, expect, it } from 'vitest';
import {
  countSkillRows,
  mode,
  refused,
  skillFolder,
  skillMarkdown,
  useSkillsTestSuite,
} from '../../test/skills-fixtures';
import { writeTarGz, writeZip } from './bundle/write-archive';
import { getSkill } from './get-skill';
import { publishSkill } from './publish-skill';

const suite = useSkillsTestSuite();
const { blobs } = suite;

const tenant = suite.tenant;


const zipOf = (files: { path: string; bytes: Uint8Array }[]) => writeZip(files);

describe(`publishSkill (${mode})`, () => {
  it('publishes a zip: skill, version, blob, audit entry; the author owns it', async () => {
    const t = await tenant();
    const files = skillFolder('pdf-tools', { version: '1.2.0', files: { 'scripts/run.sh': 'echo hi\n' } });
    const result = await publishSkill(t.as('author'), { source: { kind: 'archive', fileName: 'pdf-tools.zip', bytes: zipOf(files) } });
    expect(result).toMatchObject({ created: true, newSkill: true, skill: { slug: 'pdf-tools' }, version: { version: '1.2.0' } });
    const detail = await getSkill(t.as('other'), { slug: 'pdf-tools' });
    expect(detail.author?.email).toBe(t.author.email);
    expect(detail.latest?.files.map((f) => f.path)).toEqual(['SKILL.md', 'scripts/run.sh']);
    expect([...blobs.blobs.keys()].filter((k) => k.startsWith(t.tenantId))).toHaveLength(1);
    expect(await countSkillRows(suite.dbs, t.tenantId)).toMatchObject({ skills: 1, versions: 1, audit: 1 });
  });

  it('reads tar.gz archives and archives without a top folder', async () => {
    const t = await tenant();
    const files = skillFolder('tar-skill');
    const tgz = await writeTarGz(files);
    expect((await publishSkill(t.as('author'), { source: { kind: 'archive', fileName: 'x.tgz', bytes: tgz } })).skill.slug).toBe('tar-skill');
    const flat = files.map((f) => ({ ...f, path: f.path.replace('tar-skill/', '') }));
    const flatSkill = flat.map((f) => ({ ...f, bytes: new TextEncoder().encode(new TextDecoder().decode(f.bytes).replace('tar-skill', 'flat-skill')) }));
    expect((await publishSkill(t.as('author'), { source: { kind: 'archive', bytes: zipOf(flatSkill) } })).skill.slug).toBe('flat-skill');
  });

  it('re-publishing identical content is a no-op returning the existing version, whatever the archive format', async () => {
    const t = await tenant();
    const files = skillFolder('same-content', { files: { 'a.txt': 'a' } });
    const first = await publishSkill(t.as('author'), { source: { kind: 'archive', bytes: zipOf(files) } });
    const before = await countSkillRows(suite.dbs, t.tenantId);
    const putsBefore = blobs.puts;
    const again = await publishSkill(t.as('author'), { source: { kind: 'archive', bytes: await writeTarGz(files) } });
    expect(again).toMatchObject({ created: false, version: { id: first.version.id, version: '1.0.0' } });
    expect(await countSkillRows(suite.dbs, t.tenantId)).toEqual(before);
    expect(blobs.puts).toBe(putsBefore);
  });

  it("an earlier version's content sent again is a no-op returning that version: a stale copy never rolls back a newer one", async () => {
    const t = await tenant();
    const publish = (body: string, version?: string) =>
      publishSkill(t.as('author'), { source: { kind: 'files', files: skillFolder('stale', { body, ...(version ? { version } : {}) }) } });
    const one = await publish('one\n');
    await publish('two\n');
    const putsBefore = blobs.puts;
    expect(await publish('one\n')).toMatchObject({ created: false, version: { id: one.version.id, version: '1.0.0' } });
    expect(blobs.puts).toBe(putsBefore);
    const detail = await getSkill(t.as('author'), { slug: 'stale' });
    expect(detail.latestVersion).toBe('1.0.1');
    expect(detail.versions).toHaveLength(2);
    // A SKILL.md that names its own metadata.version is that exact publication: no-op, not a conflict.
    const pinned = await publish('pinned\n', '3.0.0');
    await publish('after\n');
    expect(await publish('pinned\n', '3.0.0')).toMatchObject({ created: false, version: { id: pinned.version.id, version: '3.0.0' } });
    expect((await getSkill(t.as('author'), { slug: 'stale' })).latestVersion).toBe('3.0.1');
  });

  it('takes the version from metadata.version, else the next patch; refuses a used or lower number', async () => {
    const t = await tenant();
    const publish = (files: ReturnType<typeof skillFolder>) => publishSkill(t.as('author'), { source: { kind: 'files', files } });
    expect((await publish(skillFolder('versioned', { body: 'one\n' }))).version.version).toBe('1.0.0');
    expect((await publish(skillFolder('versioned', { body: 'two\n' }))).version.version).toBe('1.0.1');
    expect((await publish(skillFolder('versioned', { version: '2.0.0', body: 'three\n' }))).version.version).toBe('2.0.0');
    const used = await refused(publish(skillFolder('versioned', { version: '2.0.0', body: 'four\n' })));
    expect(used.code).toBe('conflict');
    expect(used.message).toMatch(/version 2\.0\.0 of 'versioned' is already published with different content.*2\.0\.1/);
    const lower = await refused(publish(skillFolder('versioned', { version: '1.5.0', body: 'five\n' })));
    expect(lower.code).toBe('conflict');
    expect(lower.message).toMatch(/lower than the latest version 2\.0\.0/);
    expect((await publish(skillFolder('versioned', { body: 'six\n' }))).version.version).toBe('2.0.1');
    const detail = await getSkill(t.as('author'), { slug: 'versioned' });
    expect(detail.versions.map((v) => v.version)).toEqual(['2.0.1', '2.0.0', '1.0.1', '1.0.0']);
    expect(detail.latestVersion).toBe('2.0.1');
  });

  it('only the author or an admin publishes new versions; others are told to create a variation', async () => {
    const t = await tenant();
    await publishSkill(t.as('author'), { source: { kind: 'files', files: skillFolder('owned', { body: 'v1\n' }) } });
    const error = await refused(publishSkill(t.as('other'), { source: { kind: 'files', files: skillFolder('owned', { body: 'v2\n' }) } }));
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/only the author of 'owned' or an admin.*variation/);
    const byAdmin = await publishSkill(t.as('admin'), { source: { kind: 'files', files: skillFolder('owned', { body: 'v3\n' }) } });
    expect(byAdmin.version.version).toBe('1.0.1');
    expect((await getSkill(t.as('admin'), { slug: 'owned' })).author?.email).toBe(t.author.email);
  });

  it('refuses a name that differs from the folder, naming the field, and stores nothing', async () => {
    const t = await tenant();
    const files = skillFolder('right-name').map((f) => ({ ...f, path: f.path.replace('right-name/', 'wrong-folder/') }));
    const putsBefore = blobs.puts;
    const error = await refused(publishSkill(t.as('author'), { source: { kind: 'archive', bytes: zipOf(files) } }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/name must equal the skill's folder name 'wrong-folder'; got 'right-name'/);
    expect((error.details as { errors: { path: string; code: string }[] }).errors).toContainEqual(
      expect.objectContaining({ path: 'name', code: 'mismatch' }),
    );
    expect(blobs.puts).toBe(putsBefore);
    expect(await countSkillRows(suite.dbs, t.tenantId)).toMatchObject({ skills: 0, versions: 0, audit: 0 });
  });

  it('the editor publishes SKILL.md alone, and a new version from the editor keeps the other files', async () => {
    const t = await tenant();
    const ctx = t.as('author');
    await publishSkill(ctx, { source: { kind: 'files', files: skillFolder('edited', { files: { 'scripts/tool.py': 'print(1)\n' } }) } });
    const md = skillMarkdown({ name: 'edited', description: 'Now with better words.' });
    const result = await publishSkill(ctx, { slug: 'edited', notes: 'clearer description', source: { kind: 'skill-md', skillMd: md } });
    expect(result.version.version).toBe('1.0.1');
    const detail = await getSkill(ctx, { slug: 'edited' });
    expect(detail.description).toBe('Now with better words.');
    expect(detail.latest?.files.map((f) => f.path)).toEqual(['SKILL.md', 'scripts/tool.py']);
    expect(detail.versions[0]?.notes).toBe('clearer description');

    const fresh = await publishSkill(ctx, { source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'from-editor', description: 'Typed in.' }) } });
    expect(fresh).toMatchObject({ newSkill: true, version: { version: '1.0.0' } });
  });

  it('SKILL.md from the editor without a slug still keeps the files of the skill it names', async () => {
    const t = await tenant();
    await publishSkill(t.as('author'), { source: { kind: 'files', files: skillFolder('by-name', { files: { 'run.sh': 'echo\n' } }) } });
    await publishSkill(t.as('author'), { source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'by-name', description: 'Changed.' }) } });
    expect((await getSkill(t.as('author'), { slug: 'by-name' })).latest?.files.map((f) => f.path)).toEqual(['SKILL.md', 'run.sh']);
  });

  it('editing a skill must keep its name', async () => {
    const t = await tenant();
    await publishSkill(t.as('author'), { source: { kind: 'files', files: skillFolder('keep-name') } });
    const error = await refused(
      publishSkill(t.as('author'), { slug: 'keep-name', source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'new-name', description: 'd' }) } }),
    );
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/name must equal the skill's folder name 'keep-name'/);
  });

  it('fills category and tags from metadata, and the publish form overrides them', async () => {
    const t = await tenant();
    const md = '---\nname: tagged\ndescription: d\nmetadata:\n  category: Security\n  tags: "audit, OWASP, audit"\n---\nbody\n';
    await publishSkill(t.as('author'), { source: { kind: 'skill-md', skillMd: md } });
    expect(await getSkill(t.as('author'), { slug: 'tagged' })).toMatchObject({ category: 'security', tags: ['audit', 'owasp'] });
    await publishSkill(t.as('author'), { category: 'devops', tags: 'ci, cd', source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'chosen', description: 'd' }) } });
    expect(await getSkill(t.as('author'), { slug: 'chosen' })).toMatchObject({ category: 'devops', tags: ['ci', 'cd'] });
  });

  it('keeps unknown frontmatter fields as warnings', async () => {
    const t = await tenant();
    const md = skillMarkdown({ name: 'warned', description: 'd', author: 'someone' });
    const result = await publishSkill(t.as('author'), { source: { kind: 'skill-md', skillMd: md } });
    expect(result.warnings).toContainEqual(expect.objectContaining({ path: 'author' }));
    expect((await getSkill(t.as('author'), { slug: 'warned' })).latest?.warnings).toContainEqual(expect.objectContaining({ path: 'author' }));
  });

  it('refuses a bad archive with the reader’s message and leaves nothing behind', async () => {
    const t = await tenant();
    const putsBefore = blobs.puts;
    const traversal = zipOf([{ path: '../evil/SKILL.md', bytes: new TextEncoder().encode(skillMarkdown({ name: 'evil', description: 'd' })) }]);
    const error = await refused(publishSkill(t.as('author'), { source: { kind: 'archive', bytes: traversal } }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/'\.\.'/);
    const junk = await refused(publishSkill(t.as('author'), { source: { kind: 'archive', fileName: 'x.rar', bytes: new Uint8Array([1, 2, 3]) } }));
    expect(junk.message).toMatch(/neither a \.zip nor a \.tar\.gz/);
    expect(blobs.puts).toBe(putsBefore);
    expect(await countSkillRows(suite.dbs, t.tenantId)).toMatchObject({ skills: 0, versions: 0, audit: 0 });
  });

  it('an API key needs the skills:publish scope', async () => {
    const t = await tenant();
    const ctx = { ...t.as('author'), actor: { kind: 'api-key' as const, userId: t.author.userId, keyId: '00000000-0000-4000-8000-000000000000', role: 'member' as const, scopes: ['skills:read'] } };
    const error = await refused(publishSkill(ctx, { source: { kind: 'files', files: skillFolder('by-key') } }));
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/skills:publish/);
  });
});
