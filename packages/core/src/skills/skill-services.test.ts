import { describe, expect, it } from 'vitest';
import {
  bytesOf,
  countSkillRows,
  mode,
  refused,
  skillFolder,
  skillMarkdown,
  useSkillsTestSuite,
} from '../../test/skills-fixtures';
import { readSkillBundle } from './bundle/read-skill-bundle';
import { deleteSkill } from './delete-skill';
import { diffSkillVersions } from './diff-skill-versions';
import { downloadSkillBundle } from './download-skill-bundle';
import { forkSkill } from './fork-skill';
import { getSkill } from './get-skill';
import { getSkillFile } from './get-skill-file';
import { getSkillVersion } from './get-skill-version';
import { listSkills } from './list-skills';
import { publishSkill } from './publish-skill';
import { rateSkill } from './rate-skill';
import { recordInstall } from './record-install';
import { recordUse } from './record-use';
import { setSkillVisibility } from './set-skill-visibility';
import { submitFeedback } from './submit-feedback';

const suite = useSkillsTestSuite();

type Who = 'admin' | 'author' | 'other';
const tenant = suite.tenant;

async function publish(t: Awaited<ReturnType<typeof tenant>>, who: Who, name: string, options: Parameters<typeof skillFolder>[1] & { category?: 'devops' | 'writing' | 'security'; tags?: string } = {}) {
  const { category, tags, ...folder } = options;
  return publishSkill(t.as(who), { category, tags, source: { kind: 'files', files: skillFolder(name, folder) } });
}

describe(`skill services (${mode})`, () => {
  it('listSkills filters by category, tag and author, sorts, and paginates with a total', async () => {
    const t = await tenant();
    await publish(t, 'author', 'alpha', { category: 'devops', tags: 'ci, docker' });
    await publish(t, 'author', 'bravo', { category: 'writing', tags: 'docs' });
    await publish(t, 'other', 'charlie', { category: 'devops', tags: 'docker' });
    await publish(t, 'other', 'delta', { category: 'security' });
    await publish(t, 'other', 'echo', { category: 'devops' });

    const ctx = t.as('other');
    expect((await listSkills(ctx, { category: 'devops' })).items.map((s) => s.slug).sort()).toEqual(['alpha', 'charlie', 'echo']);
    expect((await listSkills(ctx, { tag: 'docker' })).items.map((s) => s.slug).sort()).toEqual(['alpha', 'charlie']);
    expect((await listSkills(ctx, { author: t.author.userId })).items.map((s) => s.slug).sort()).toEqual(['alpha', 'bravo']);
    expect((await listSkills(ctx, { q: 'charl' })).items.map((s) => s.slug)).toEqual(['charlie']);

    const page1 = await listSkills(ctx, { sort: 'newest', pageSize: 2, page: 1 });
    const page2 = await listSkills(ctx, { sort: 'newest', pageSize: 2, page: 2 });
    const page3 = await listSkills(ctx, { sort: 'newest', pageSize: 2, page: 3 });
    expect(page1).toMatchObject({ total: 5, pageCount: 3, page: 1 });
    expect([...page1.items, ...page2.items, ...page3.items].map((s) => s.slug)).toEqual(['echo', 'delta', 'charlie', 'bravo', 'alpha']);
    expect(page1.facets.categories).toContainEqual({ category: 'devops', count: 3 });
    expect(page1.facets.tags).toContainEqual({ tag: 'docker', count: 2 });

    await rateSkill(t.as('author'), { slug: 'delta', stars: 5 });
    await rateSkill(t.as('other'), { slug: 'delta', stars: 5 });
    await rateSkill(t.as('author'), { slug: 'bravo', stars: 4 });
    expect((await listSkills(ctx, { sort: 'best_rated' })).items.slice(0, 2).map((s) => s.slug)).toEqual(['delta', 'bravo']);

    await recordInstall(ctx, { slug: 'charlie', source: 'cli' });
    await recordUse(ctx, { slug: 'echo', source: 'mcp' });
    await recordUse(ctx, { slug: 'echo', source: 'mcp' });
    expect((await listSkills(ctx, { sort: 'most_used' })).items.slice(0, 2).map((s) => s.slug)).toEqual(['echo', 'charlie']);
  });

  it('private skills are seen by their author and admins only, and listed only to their author', async () => {
    const t = await tenant();
    await publishSkill(t.as('author'), { visibility: 'private', source: { kind: 'files', files: skillFolder('secret-sauce') } });
    expect((await listSkills(t.as('other'))).total).toBe(0);
    expect((await listSkills(t.as('author'))).total).toBe(1);
    expect((await listSkills(t.as('author'), { mine: true })).items[0]?.visibility).toBe('private');
    expect((await refused(getSkill(t.as('other'), { slug: 'secret-sauce' }))).code).toBe('not_found');
    expect((await getSkill(t.as('admin'), { slug: 'secret-sauce' })).slug).toBe('secret-sauce');

    await setSkillVisibility(t.as('author'), { slug: 'secret-sauce', visibility: 'tenant' });
    expect((await getSkill(t.as('other'), { slug: 'secret-sauce' })).visibility).toBe('tenant');
    const error = await refused(setSkillVisibility(t.as('other'), { slug: 'secret-sauce', visibility: 'public' }));
    expect(error.code).toBe('forbidden');
  });

  it('another tenant sees none of it', async () => {
    const t = await tenant();
    const elsewhere = await tenant();
    await publish(t, 'author', 'tenant-bound');
    expect((await listSkills(elsewhere.as('admin'))).total).toBe(0);
    expect((await refused(getSkill(elsewhere.as('admin'), { slug: 'tenant-bound' }))).code).toBe('not_found');
  });

  it('ratings: one per person, editable, with counters and average kept in step', async () => {
    const t = await tenant();
    await publish(t, 'author', 'rated');
    await rateSkill(t.as('other'), { slug: 'rated', stars: 2, comment: 'rough edges' });
    await rateSkill(t.as('admin'), { slug: 'rated', stars: 5 });
    const edited = await rateSkill(t.as('other'), { slug: 'rated', stars: 4, comment: 'better now' });
    expect(edited).toMatchObject({ ratingCount: 2, ratingAvg: 4.5 });
    const detail = await getSkill(t.as('other'), { slug: 'rated' });
    expect(detail).toMatchObject({ ratingCount: 2, ratingAvg: 4.5, myRating: { stars: 4, comment: 'better now' } });
    expect(detail.ratings).toHaveLength(2);
    expect((await countSkillRows(suite.dbs, t.tenantId)).ratings).toBe(2);
    expect((await refused(rateSkill(t.as('other'), { slug: 'rated', stars: 6 }))).code).toBe('invalid_input');
  });

  it('feedback: one thumb per person that can change sides; suggestions and bug reports accumulate', async () => {
    const t = await tenant();
    await publish(t, 'author', 'liked');
    await submitFeedback(t.as('other'), { slug: 'liked', kind: 'thumbs_up' });
    await submitFeedback(t.as('admin'), { slug: 'liked', kind: 'thumbs_up' });
    const moved = await submitFeedback(t.as('other'), { slug: 'liked', kind: 'thumbs_down', body: 'broke on Windows' });
    expect(moved).toMatchObject({ feedbackPositive: 1, feedbackTotal: 2 });
    await submitFeedback(t.as('other'), { slug: 'liked', kind: 'suggestion', body: 'Add an example for tar files' });
    await submitFeedback(t.as('other'), { slug: 'liked', kind: 'bug_report', body: 'Step 3 names the wrong flag' });
    const detail = await getSkill(t.as('other'), { slug: 'liked' });
    expect(detail).toMatchObject({ feedbackPositive: 1, feedbackTotal: 2, myThumb: 'thumbs_down' });
    expect(detail.feedback.map((f) => f.kind)).toEqual(['bug_report', 'suggestion']);
    expect(detail.feedback[0]).toMatchObject({ version: '1.0.0', author: { email: t.other.email } });
    const empty = await refused(submitFeedback(t.as('other'), { slug: 'liked', kind: 'bug_report', body: '' }));
    expect(empty.message).toMatch(/bug report needs a few words/);
  });

  it('feedback text has secrets redacted before it is stored', async () => {
    const t = await tenant();
    await publish(t, 'author', 'redacted');
    const token = 'ghp_' + 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx';
    const result = await submitFeedback(t.as('other'), { slug: 'redacted', kind: 'suggestion', body: `it failed with token ${token} in the log` });
    expect(result.body).not.toContain(token);
    const detail = await getSkill(t.as('other'), { slug: 'redacted' });
    expect(detail.feedback[0]?.body).not.toContain(token);
    expect(detail.feedback[0]?.body).toContain('it failed with token');
  });

  it('usage: installs and uses count once per idempotency key and show in the 30-day chart', async () => {
    const t = await tenant();
    await publish(t, 'author', 'used');
    const ctx = t.as('other');
    expect(await recordInstall(ctx, { slug: 'used', source: 'cli', idempotencyKey: 'k1' })).toEqual({ recorded: true });
    expect(await recordInstall(ctx, { slug: 'used', source: 'cli', idempotencyKey: 'k1' })).toEqual({ recorded: false });
    await recordUse(ctx, { slug: 'used', source: 'mcp' });
    const detail = await getSkill(ctx, { slug: 'used' });
    expect(detail).toMatchObject({ installsCount: 1, usesCount: 1 });
    expect(detail.usage).toHaveLength(30);
    expect(detail.usage.at(-1)).toMatchObject({ date: new Date().toISOString().slice(0, 10), installs: 1, uses: 1 });
    expect((await countSkillRows(suite.dbs, t.tenantId)).usage).toBe(2);
    expect((await refused(recordUse(ctx, { slug: 'used', source: 'mcp', version: '9.9.9' }))).code).toBe('not_found');
  });

  it('downloads a version as zip or tar.gz with the files in a folder named after the skill, counting an install', async () => {
    const t = await tenant();
    await publish(t, 'author', 'downloadable', { files: { 'scripts/go.sh': 'echo go\n' } });
    const zip = await downloadSkillBundle(t.as('other'), { slug: 'downloadable' });
    expect(zip).toMatchObject({ fileName: 'downloadable-1.0.0.zip', contentType: 'application/zip' });
    const unzipped = await readSkillBundle({ kind: 'zip', bytes: await bytesOf(zip.body) });
    expect(unzipped.folderName).toBe('downloadable');
    expect(unzipped.files.map((f) => f.path)).toEqual(['SKILL.md', 'scripts/go.sh']);
    const tgz = await downloadSkillBundle(t.as('other'), { slug: 'downloadable', format: 'tar.gz' });
    expect((await readSkillBundle({ kind: 'tar.gz', bytes: await bytesOf(tgz.body) })).files.map((f) => f.path)).toEqual(['SKILL.md', 'scripts/go.sh']);
    expect((await getSkill(t.as('other'), { slug: 'downloadable' })).installsCount).toBe(2);
  });

  it('the file viewer returns text files and marks binary ones', async () => {
    const t = await tenant();
    const files = [...skillFolder('viewer', { files: { 'ref/notes.md': '# Notes\n' } }), { path: 'viewer/assets/logo.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]) }];
    await publishSkill(t.as('author'), { source: { kind: 'files', files } });
    expect(await getSkillFile(t.as('other'), { slug: 'viewer', path: 'ref/notes.md' })).toMatchObject({ text: '# Notes\n', truncated: false, version: '1.0.0' });
    expect(await getSkillFile(t.as('other'), { slug: 'viewer', path: 'assets/logo.png' })).toMatchObject({ text: null, size: 7 });
    expect((await refused(getSkillFile(t.as('other'), { slug: 'viewer', path: 'nope.txt' }))).code).toBe('not_found');
  });

  it('diffs any two versions: SKILL.md, the file list and changed text files', async () => {
    const t = await tenant();
    await publish(t, 'author', 'diffed', { body: 'line one\nline two\n', files: { 'a.txt': 'alpha\n', 'gone.txt': 'bye\n' } });
    await publish(t, 'author', 'diffed', { body: 'line one\nline 2\n', files: { 'a.txt': 'alpha beta\n', 'new.txt': 'hello\n' } });
    await publish(t, 'author', 'diffed', { body: 'line one\nline 2\nline three\n', files: { 'a.txt': 'alpha beta\n', 'new.txt': 'hello\n' } });
    const diff = await diffSkillVersions(t.as('other'), { slug: 'diffed', from: '1.0.0', to: '1.0.2' });
    expect(diff.skillMd).toContain('-line two');
    expect(diff.skillMd).toContain('+line 2');
    expect(diff.skillMd).toContain('+line three');
    expect(Object.fromEntries(diff.files.map((f) => [f.path, f.change]))).toEqual({
      'SKILL.md': 'modified',
      'a.txt': 'modified',
      'gone.txt': 'removed',
      'new.txt': 'added',
    });
    expect(diff.files.find((f) => f.path === 'a.txt')?.diff).toContain('+alpha beta');
    expect(diff.additions).toBeGreaterThanOrEqual(3);
    expect(diff.deletions).toBeGreaterThanOrEqual(2);
    const same = await diffSkillVersions(t.as('other'), { slug: 'diffed', from: '1.0.1', to: '1.0.1' });
    expect(same.skillMd).toBe('');
  });

  it('fork: a variation under a new name remembers its parent and reports drift when the parent moves on', async () => {
    const t = await tenant();
    await publish(t, 'author', 'parent-skill', { version: '1.0.0', files: { 'tool.sh': 'echo 1\n' } });
    const fork = await forkSkill(t.as('other'), { slug: 'parent-skill', name: 'parent-skill-acme' });
    expect(fork).toMatchObject({ newSkill: true, skill: { slug: 'parent-skill-acme' }, version: { version: '1.0.0' } });
    let variation = await getSkill(t.as('other'), { slug: 'parent-skill-acme' });
    expect(variation.author?.email).toBe(t.other.email);
    expect(variation.latest?.skillMd).toMatch(/^---\nname: parent-skill-acme\n/);
    expect(variation.latest?.files.map((f) => f.path)).toEqual(['SKILL.md', 'tool.sh']);
    expect(variation.fork).toEqual({
      parent: { slug: 'parent-skill', name: 'parent-skill', deleted: false },
      forkedFromVersion: '1.0.0',
      parentLatestVersion: '1.0.0',
      newerParentVersions: 0,
    });
    expect((await getSkill(t.as('author'), { slug: 'parent-skill' })).variations.map((v) => v.slug)).toEqual(['parent-skill-acme']);

    await publish(t, 'author', 'parent-skill', { version: '1.1.0', body: 'improved\n', files: { 'tool.sh': 'echo 1\n' } });
    variation = await getSkill(t.as('other'), { slug: 'parent-skill-acme' });
    expect(variation.fork).toMatchObject({ parentLatestVersion: '1.1.0', newerParentVersions: 1 });
    const drift = await diffSkillVersions(t.as('other'), { slug: 'parent-skill-acme', to: '1.0.0', fromSlug: 'parent-skill', from: '1.1.0' });
    expect(drift.skillMd).toContain('+name: parent-skill-acme');

    expect((await refused(forkSkill(t.as('other'), { slug: 'parent-skill', name: 'parent-skill-acme' }))).code).toBe('conflict');
  });

  it('fork: a parent made private or deleted is not named to those who may not see it', async () => {
    const t = await tenant();
    await publish(t, 'author', 'origin-skill');
    await forkSkill(t.as('other'), { slug: 'origin-skill', name: 'origin-skill-mine' });
    const summaryOf = async (who: 'author' | 'other') => (await listSkills(t.as(who))).items.find((s) => s.slug === 'origin-skill-mine');
    expect((await summaryOf('other'))?.forkedFrom).toEqual({ slug: 'origin-skill', name: 'origin-skill' });

    await setSkillVisibility(t.as('author'), { slug: 'origin-skill', visibility: 'private' });
    expect((await summaryOf('other'))?.forkedFrom).toBeNull();
    expect((await getSkill(t.as('other'), { slug: 'origin-skill-mine' })).fork).toBeNull();
    expect((await getSkill(t.as('author'), { slug: 'origin-skill-mine' })).fork).toMatchObject({ parent: { slug: 'origin-skill' } });

    // Deleted, its name is free for another skill: the variation's card must not point at that one.
    await setSkillVisibility(t.as('author'), { slug: 'origin-skill', visibility: 'tenant' });
    await deleteSkill(t.as('author'), { slug: 'origin-skill' });
    await publish(t, 'admin', 'origin-skill');
    expect((await summaryOf('other'))?.forkedFrom).toBeNull();
    expect((await getSkill(t.as('other'), { slug: 'origin-skill-mine' })).fork).toMatchObject({ parent: { slug: 'origin-skill', deleted: true } });
  });

  it('delete: soft, by the author or an admin; the name becomes free; audited', async () => {
    const t = await tenant();
    await publish(t, 'author', 'doomed');
    expect((await refused(deleteSkill(t.as('other'), { slug: 'doomed' }))).code).toBe('forbidden');
    await deleteSkill(t.as('admin'), { slug: 'doomed' });
    expect((await refused(getSkill(t.as('author'), { slug: 'doomed' }))).code).toBe('not_found');
    expect((await listSkills(t.as('author'))).total).toBe(0);
    const rows = await countSkillRows(suite.dbs, t.tenantId);
    expect(rows).toMatchObject({ skills: 1, versions: 1, audit: 2 });
    const again = await publish(t, 'other', 'doomed');
    expect(again).toMatchObject({ newSkill: true, version: { version: '1.0.0' } });
  });

  it('a version published with paths near the length limit is read back from the store', async () => {
    const t = await tenant();
    // Files at the archive's root, one path 505 characters long: within the upload limit (512),
    // longer than that once stored inside the folder 'long-paths/'.
    const deep = `${'d'.repeat(200)}/${'e'.repeat(200)}/${'f'.repeat(100)}.md`;
    expect(deep).toHaveLength(505);
    const enc = (text: string) => new TextEncoder().encode(text);
    await publishSkill(t.as('author'), {
      source: {
        kind: 'files',
        files: [
          { path: 'SKILL.md', bytes: enc(skillMarkdown({ name: 'long-paths', description: 'Has a deep file.' })) },
          { path: deep, bytes: enc('# Deep\n') },
        ],
      },
    });
    expect(await getSkillFile(t.as('other'), { slug: 'long-paths', path: deep })).toMatchObject({ text: '# Deep\n' });
    const tarball = await downloadSkillBundle(t.as('other'), { slug: 'long-paths', format: 'tar.gz', countInstall: false });
    expect(tarball.fileName).toBe('long-paths-1.0.0.tar.gz');
    let size = 0;
    for await (const chunk of tarball.body) size += (chunk as Uint8Array).byteLength;
    expect(size).toBeGreaterThan(0);
  });

  it('getSkillVersion returns an old version with its SKILL.md', async () => {
    const t = await tenant();
    await publish(t, 'author', 'historic', { body: 'first\n' });
    await publish(t, 'author', 'historic', { body: 'second\n' });
    const old = await getSkillVersion(t.as('other'), { slug: 'historic', version: '1.0.0' });
    expect(old.version.skillMd).toContain('first');
    expect(old.skill.latestVersion).toBe('1.0.1');
    expect((await getSkillVersion(t.as('other'), { slug: 'historic' })).version.version).toBe('1.0.1');
  });

  it('editor publishing through skill-md validates like an archive', async () => {
    const t = await tenant();
    const error = await refused(publishSkill(t.as('author'), { source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'Bad Name', description: 'd' }) } }));
    expect(error.code).toBe('invalid_input');
    expect((error.details as { errors: { path: string }[] }).errors[0]?.path).toBe('name');
  });
});
