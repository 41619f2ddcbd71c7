import { describe, expect, it } from 'vitest';
import { mode, refused, skillFolder, useSkillsTestSuite } from '../../test/skills-fixtures';
import { getSkill } from './get-skill';
import { getSkillFile } from './get-skill-file';
import { publishSkill } from './publish-skill';
import { updateReviewSettings } from '../review-workflow/review-settings';
import { restoreSkillVersion } from './restore-skill-version';

const suite = useSkillsTestSuite();
const tenant = suite.tenant;

describe(`restoreSkillVersion (${mode})`, () => {
  it("publishes an earlier version's files as the next patch, noting where it came from", async () => {
    const t = await tenant();
    const author = t.as('author');
    const one = await publishSkill(author, { source: { kind: 'files', files: skillFolder('rolled', { body: 'one\n', files: { 'scripts/run.sh': 'echo one\n' } }) } });
    await publishSkill(author, { source: { kind: 'files', files: skillFolder('rolled', { body: 'two\n', files: { 'scripts/run.sh': 'echo two\n' } }) } });

    const restored = await restoreSkillVersion(author, { slug: 'rolled', version: '1.0.0' });
    expect(restored).toMatchObject({ created: true, version: { version: '1.0.2', contentSha256: one.version.contentSha256 } });
    const detail = await getSkill(author, { slug: 'rolled' });
    expect(detail.latestVersion).toBe('1.0.2');
    expect(detail.versions.map((v) => [v.version, v.notes])).toEqual([
      ['1.0.2', 'restores version 1.0.0'],
      ['1.0.1', null],
      ['1.0.0', null],
    ]);
    const script = await getSkillFile(author, { slug: 'rolled', path: 'scripts/run.sh' });
    expect(script).toMatchObject({ version: '1.0.2', text: 'echo one\n' });
  });

  it('moves a pinned metadata.version to the new number, keeping the rest of SKILL.md as it was', async () => {
    const t = await tenant();
    const author = t.as('author');
    await publishSkill(author, { source: { kind: 'files', files: skillFolder('pinned', { version: '1.0.0', body: 'one\n' }) } });
    await publishSkill(author, { source: { kind: 'files', files: skillFolder('pinned', { version: '2.0.0', body: 'two\n' }) } });

    const restored = await restoreSkillVersion(author, { slug: 'pinned', version: '1.0.0' });
    expect(restored).toMatchObject({ created: true, version: { version: '2.0.1' } });
    const skillMd = (await getSkill(author, { slug: 'pinned' })).latest?.skillMd;
    expect(skillMd).toBe(new TextDecoder().decode(skillFolder('pinned', { version: '2.0.1', body: 'one\n' })[0]!.bytes));
  });

  it('refuses the latest version, a version that does not exist, and anyone but the author or an admin', async () => {
    const t = await tenant();
    await publishSkill(t.as('author'), { source: { kind: 'files', files: skillFolder('guarded', { body: 'one\n' }) } });
    await publishSkill(t.as('author'), { source: { kind: 'files', files: skillFolder('guarded', { body: 'two\n' }) } });

    const latest = await refused(restoreSkillVersion(t.as('author'), { slug: 'guarded', version: '1.0.1' }));
    expect(latest).toMatchObject({ code: 'conflict', details: { reason: 'already-latest' } });
    expect((await refused(restoreSkillVersion(t.as('author'), { slug: 'guarded', version: '9.9.9' }))).code).toBe('not_found');
    const other = await refused(restoreSkillVersion(t.as('other'), { slug: 'guarded', version: '1.0.0' }));
    expect(other.code).toBe('forbidden');
    expect((await getSkill(t.as('author'), { slug: 'guarded' })).versions).toHaveLength(2);

    expect((await restoreSkillVersion(t.as('admin'), { slug: 'guarded', version: '1.0.0' })).version.version).toBe('1.0.2');
  });

  it('a pin it cannot rewrite is refused with a way forward, and nothing is published', async () => {
    const t = await tenant();
    const author = t.as('author');
    const blockPinned = skillFolder('block-pin', { body: 'one\n' }).map((f) =>
      f.path.endsWith('SKILL.md') ? { ...f, bytes: new TextEncoder().encode(new TextDecoder().decode(f.bytes).replace('\n---\n', '\nmetadata:\n  version: >-\n    1.0.0\n---\n')) } : f,
    );
    await publishSkill(author, { source: { kind: 'files', files: blockPinned } });
    await publishSkill(author, { source: { kind: 'files', files: skillFolder('block-pin', { version: '1.1.0', body: 'two\n' }) } });
    const error = await refused(restoreSkillVersion(author, { slug: 'block-pin', version: '1.0.0' }));
    expect(error).toMatchObject({ code: 'conflict', details: { reason: 'version-pinned' } });
    expect(error.message).toMatch(/download version 1\.0\.0, raise metadata\.version to 1\.1\.1 and upload it/);
    expect((await getSkill(author, { slug: 'block-pin' })).versions).toHaveLength(2);
  });

  it("keeps SKILL.md's bytes, byte-order mark included: the restored version has the same content hash", async () => {
    const t = await tenant();
    const author = t.as('author');
    const withBom = skillFolder('bom-skill', { body: 'one\n' }).map((f) =>
      f.path.endsWith('SKILL.md') ? { ...f, bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...f.bytes]) } : f,
    );
    const one = await publishSkill(author, { source: { kind: 'files', files: withBom } });
    await publishSkill(author, { source: { kind: 'files', files: skillFolder('bom-skill', { body: 'two\n' }) } });
    const restored = await restoreSkillVersion(author, { slug: 'bom-skill', version: '1.0.0' });
    expect(restored.version.contentSha256).toBe(one.version.contentSha256);
  });

  it('is offered and allowed only where publishing is direct: a workspace that reviews skills first refuses it', async () => {
    const t = await tenant();
    await publishSkill(t.as('author'), { source: { kind: 'files', files: skillFolder('reviewed', { body: 'one\n' }) } });
    await publishSkill(t.as('author'), { source: { kind: 'files', files: skillFolder('reviewed', { body: 'two\n' }) } });
    expect((await getSkill(t.as('author'), { slug: 'reviewed' })).permissions).toMatchObject({ canPublishVersion: true, canRestoreVersion: true });
    expect((await getSkill(t.as('other'), { slug: 'reviewed' })).permissions.canRestoreVersion).toBe(false);

    await updateReviewSettings(t.as('admin'), { reviewMode: 'approval', autoApproveThreshold: null });
    expect((await getSkill(t.as('author'), { slug: 'reviewed' })).permissions.canRestoreVersion).toBe(false);
    const error = await refused(restoreSkillVersion(t.as('author'), { slug: 'reviewed', version: '1.0.0' }));
    expect(error).toMatchObject({ code: 'conflict', details: { reason: 'review-required' } });
  });
});
