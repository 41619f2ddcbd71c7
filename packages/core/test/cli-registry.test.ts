import { createHash } from 'node:crypto';
import { apiKeys, auditLog, eq, notifications, skills, skillVersionSafety, withTenant } from '@everyskill/db';
import { describe, expect, it } from 'vitest';
import { authenticateApiKey } from '../src/api-keys/authenticate-api-key';
import { resolveSkills } from '../src/agent-skills/resolve-skills';
import { getSkillFilesForAgent, getSkillVersionFiles } from '../src/agent-skills/get-skill-files';
import { skillNoticesFor } from '../src/agent-skills/skill-notices';
import { decideDeviceAuthorization, getDeviceAuthorization } from '../src/cli-devices/decide-device-authorization';
import { redeemDeviceCode } from '../src/cli-devices/redeem-device-code';
import { startDeviceAuthorization } from '../src/cli-devices/start-device-authorization';
import type { Ctx } from '../src/context';
import { buildDigestContent } from '../src/digests/build-digest-content';
import { deprecateSkill } from '../src/skills/deprecate-skill';
import { forkSkill } from '../src/skills/fork-skill';
import { publishSkill } from '../src/skills/publish-skill';
import { restoreSkillVersion } from '../src/skills/restore-skill-version';
import { bundleContentSha256 } from '../src/skills/skill-bundle-io';
import { withdrawSkillVersion } from '../src/skills/withdraw-skill-version';
import { overrideSafetyVerdict } from '../src/skills/safety';
import { mode, refused, skillFolder, useSkillsTestSuite } from './skills-fixtures';

const suite = useSkillsTestSuite();
const verificationUri = 'https://acme.example.test/device';

/** A key ctx as the everyskill command holds it. */
function commandCtx<C extends Ctx>(ctx: C): C {
  if (ctx.actor.kind !== 'user') return ctx;
  const actor = { kind: 'api-key' as const, userId: ctx.actor.userId, keyId: '00000000-0000-4000-8000-000000000009', role: ctx.actor.role, scopes: ['skills:read', 'usage:write'] };
  return { ...ctx, actor };
}

async function publish(t: Awaited<ReturnType<typeof suite.tenant>>, name: string, version: string, extra: Record<string, string> = {}) {
  return publishSkill(t.as('author'), { source: { kind: 'files', files: skillFolder(name, { version, files: extra }) }, ...(version === '1.0.0' ? {} : { slug: name }) });
}

describe(`the everyskill command's device sign-in (${mode})`, () => {
  it('pending until approved, slow_down when polled too fast, then one key of the approver, then spent', async () => {
    const t = await suite.tenant();
    const db = suite.dbs.app.db;
    const t0 = new Date();
    const started = await startDeviceAuthorization(db, t.tenantId, { clientName: 'ada-laptop' }, { verificationUri, now: t0 });
    expect(started.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(started.verificationUriComplete).toBe(`${verificationUri}?code=${started.userCode}`);
    expect(started.interval).toBe(5);

    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    expect(await redeemDeviceCode(db, t.tenantId, { deviceCode: started.deviceCode }, { now: at(1) })).toEqual({ status: 'authorization_pending' });
    expect(await redeemDeviceCode(db, t.tenantId, { deviceCode: started.deviceCode }, { now: at(2) })).toEqual({ status: 'slow_down' });
    // The interval grew to 10 s: 7 s after the last poll is still too fast.
    expect(await redeemDeviceCode(db, t.tenantId, { deviceCode: started.deviceCode }, { now: at(9) })).toEqual({ status: 'slow_down' });

    // Another tenant's member cannot see or approve it; an API key cannot approve.
    const other = await suite.tenant();
    expect((await refused(getDeviceAuthorization(other.as('author'), started.userCode))).code).toBe('not_found');
    expect((await refused(decideDeviceAuthorization(commandCtx(t.as('other')), { userCode: started.userCode, approve: true }))).code).toBe('forbidden');

    // Typed in lower case without the dash, the code still names it.
    const seen = await getDeviceAuthorization(t.as('other'), started.userCode.replace('-', '').toLowerCase());
    expect(seen.clientName).toBe('ada-laptop');
    await decideDeviceAuthorization(t.as('other'), { userCode: started.userCode, approve: true });
    expect((await refused(decideDeviceAuthorization(t.as('other'), { userCode: started.userCode, approve: false }))).code).toBe('conflict');

    const outcome = await redeemDeviceCode(db, t.tenantId, { deviceCode: started.deviceCode }, { now: at(30) });
    if (outcome.status !== 'approved') throw new Error(`expected a key, got ${outcome.status}`);
    expect(outcome.token.apiKey).toMatch(/^rlk_/);
    expect(outcome.token.name).toBe('everyskill on ada-laptop');
    expect(outcome.token.scopes).toEqual(['skills:read', 'usage:write']);
    const key = await authenticateApiKey(db, outcome.token.apiKey);
    expect(key.actor).toMatchObject({ kind: 'api-key', userId: t.other.userId });
    // 90 days, the tenant's default lifetime.
    expect(Math.round((new Date(outcome.token.expiresAt).getTime() - Date.now()) / 86_400_000)).toBe(90);

    // Single use: the code is spent.
    expect((await refused(redeemDeviceCode(db, t.tenantId, { deviceCode: started.deviceCode }))).code).toBe('invalid_input');
    const audit = await withTenant(db, t.tenantId, (tx) => tx.select({ action: auditLog.action }).from(auditLog));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['cli_device.approved', 'api_key.created']));
  });

  it('a denied request answers access_denied, an expired one expired_token, an unknown code invalid_input', async () => {
    const t = await suite.tenant();
    const db = suite.dbs.app.db;
    const denied = await startDeviceAuthorization(db, t.tenantId, { clientName: 'ci' }, { verificationUri });
    await decideDeviceAuthorization(t.as('author'), { userCode: denied.userCode, approve: false });
    expect(await redeemDeviceCode(db, t.tenantId, { deviceCode: denied.deviceCode })).toEqual({ status: 'access_denied' });

    const old = new Date(Date.now() - 16 * 60_000);
    const expired = await startDeviceAuthorization(db, t.tenantId, { clientName: 'ci' }, { verificationUri, now: old });
    expect(await redeemDeviceCode(db, t.tenantId, { deviceCode: expired.deviceCode })).toEqual({ status: 'expired_token' });
    expect((await refused(decideDeviceAuthorization(t.as('author'), { userCode: expired.userCode, approve: true }))).code).toBe('not_found');

    expect((await refused(redeemDeviceCode(db, t.tenantId, { deviceCode: 'x'.repeat(43) }))).code).toBe('invalid_input');
    expect((await refused(startDeviceAuthorization(db, t.tenantId, { clientName: 'bad\u0007name' }, { verificationUri }))).code).toBe('invalid_input');
    expect((await refused(getDeviceAuthorization(t.as('author'), 'AEIO-1234'))).code).toBe('invalid_input');
  });
});

describe(`resolving, withdrawing and deprecating (${mode})`, () => {
  it('resolve answers ok, outdated, withdrawn, deprecated and not_found, and checks digests', async () => {
    const t = await suite.tenant();
    const v1 = await publish(t, 'pdf-tools', '1.0.0');
    const v2 = await publish(t, 'pdf-tools', '1.1.0', { 'notes.md': 'two\n' });
    const reader = commandCtx(t.as('other'));
    const { skills: first } = await resolveSkills(reader, {
      skills: [
        { name: 'pdf-tools', version: '1.0.0', digest: v1.version.contentSha256 },
        { name: 'pdf-tools' },
        { name: 'pdf-tools', version: '1.1.0', digest: 'f'.repeat(64) },
        { name: 'pdf-tools', version: '9.9.9' },
        { name: 'no-such-skill' },
      ],
    });
    expect(first.map((r) => [r.status, r.version, r.latestVersion, r.digestMatches])).toEqual([
      ['outdated', '1.0.0', '1.1.0', true],
      ['ok', '1.1.0', '1.1.0', null],
      ['ok', '1.1.0', '1.1.0', false],
      ['not_found', null, '1.1.0', null],
      ['not_found', null, null, null],
    ]);
    expect(first[0]!.latestDigest).toBe(v2.version.contentSha256);

    // The reader installs 1.1.0; the author withdraws it.
    await getSkillVersionFiles(reader, { slug: 'pdf-tools', version: '1.1.0' }, { source: 'cli' });
    expect((await refused(withdrawSkillVersion(t.as('other'), { slug: 'pdf-tools', version: '1.1.0', reason: 'leaks paths' }))).code).toBe('forbidden');
    expect((await refused(withdrawSkillVersion(t.as('author'), { slug: 'pdf-tools', version: '1.1.0', reason: '  ' }))).code).toBe('invalid_input');
    const withdrawn = await withdrawSkillVersion(t.as('author'), { slug: 'pdf-tools', version: '1.1.0', reason: 'leaks paths' });
    expect(withdrawn.latestVersion).toBe('1.0.0');
    expect((await refused(withdrawSkillVersion(t.as('admin'), { slug: 'pdf-tools', version: '1.1.0', reason: 'again' }))).code).toBe('conflict');

    const { skills: after } = await resolveSkills(reader, { skills: [{ name: 'pdf-tools', version: '1.1.0' }, { name: 'pdf-tools', version: '1.0.0' }] });
    expect(after[0]).toMatchObject({ status: 'withdrawn', version: '1.0.0', latestVersion: '1.0.0', withdrawn: { version: '1.1.0', reason: 'leaks paths' } });
    expect(after[1]).toMatchObject({ status: 'ok', version: '1.0.0' });

    // Refused to new installs, everywhere an install happens; still listed with its reason.
    const refusal = await refused(getSkillVersionFiles(reader, { slug: 'pdf-tools', version: '1.1.0' }, { source: 'cli' }));
    expect([refusal.code, refusal.message]).toEqual(['conflict', 'pdf-tools@1.1.0 was withdrawn: leaks paths; use pdf-tools@1.0.0 instead']);
    expect((await refused(getSkillFilesForAgent(reader, { slug: 'pdf-tools', version: '1.1.0' }, { source: 'mcp' }))).code).toBe('conflict');
    expect((await getSkillFilesForAgent(reader, { slug: 'pdf-tools' }, { source: 'mcp' })).version).toBe('1.0.0');
    // Nor can its files come back as a restore or a variation.
    expect((await refused(restoreSkillVersion(t.as('author'), { slug: 'pdf-tools', version: '1.1.0' }))).code).toBe('conflict');
    expect((await refused(forkSkill(t.as('other'), { slug: 'pdf-tools', name: 'pdf-tools-mine', version: '1.1.0' }))).code).toBe('conflict');

    // The installer is told: bell, notices for MCP, digest.
    const bell = await withTenant(suite.dbs.app.db, t.tenantId, (tx) => tx.select().from(notifications).where(eq(notifications.userId, t.other.userId)));
    expect(bell.map((n) => [n.kind, n.title])).toEqual([['version_withdrawn', 'pdf-tools 1.1.0, which you installed, was withdrawn: leaks paths']]);
    expect(await skillNoticesFor(reader, 'pdf-tools')).toEqual(['pdf-tools@1.1.0, which you installed, was withdrawn: leaks paths']);
    expect(await skillNoticesFor(commandCtx(t.as('admin')), 'pdf-tools')).toEqual([]);
    // A digest whose window ended before the withdrawal still carries it while it is unread.
    const digestOf = () =>
      withTenant(suite.dbs.app.db, t.tenantId, (tx) =>
        buildDigestContent(tx, { userId: t.other.userId, role: 'member', windowStart: new Date(Date.now() - 3_600_000), windowEnd: new Date(Date.now() - 60_000), limit: 5, origin: 'https://x.test' }),
      );
    expect((await digestOf()).installedChanged).toEqual([{ name: bell[0]!.title, url: 'https://x.test/skills/pdf-tools', detail: 'withdrawn: run everyskill update' }]);
    await withTenant(suite.dbs.app.db, t.tenantId, (tx) => tx.update(notifications).set({ readAt: new Date() }).where(eq(notifications.userId, t.other.userId)));
    expect((await digestOf()).installedChanged).toEqual([]);
    await withTenant(suite.dbs.app.db, t.tenantId, (tx) => tx.update(notifications).set({ readAt: null }).where(eq(notifications.userId, t.other.userId)));

    // Deprecation: message and replacement, to resolve, notices and the bell.
    await publish(t, 'pdf-kit', '1.0.0');
    expect((await refused(deprecateSkill(t.as('author'), { slug: 'pdf-tools', message: 'old', replacement: 'pdf-tools' }))).code).toBe('invalid_input');
    expect((await refused(deprecateSkill(t.as('author'), { slug: 'pdf-tools', message: 'old', replacement: 'nope-nope' }))).code).toBe('not_found');
    await deprecateSkill(t.as('admin'), { slug: 'pdf-tools', message: 'merged into pdf-kit', replacement: 'pdf-kit' });
    const { skills: dep } = await resolveSkills(reader, { skills: [{ name: 'pdf-tools', version: '1.0.0' }] });
    expect(dep[0]).toMatchObject({ status: 'deprecated', deprecation: { message: 'merged into pdf-kit', replacement: 'pdf-kit' } });
    expect(await skillNoticesFor(reader, 'pdf-tools')).toContain('pdf-tools is deprecated: merged into pdf-kit; use pdf-kit instead');
    const [skill] = await withTenant(suite.dbs.app.db, t.tenantId, (tx) => tx.select().from(skills).where(eq(skills.slug, 'pdf-tools')));
    expect(skill!.status).toBe('deprecated');
    const kinds = await withTenant(suite.dbs.app.db, t.tenantId, (tx) => tx.select({ kind: notifications.kind }).from(notifications).where(eq(notifications.userId, t.other.userId)));
    expect(kinds.map((k) => k.kind).sort()).toEqual(['skill_deprecated', 'version_withdrawn']);
    const audit = await withTenant(suite.dbs.app.db, t.tenantId, (tx) => tx.select({ action: auditLog.action }).from(auditLog));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['skill.version_withdrawn', 'skill.deprecated']));
  });

  it('resolve answers blocked for a version the safety scan blocks, and the latest usable one instead, until an admin releases it', async () => {
    const t = await suite.tenant();
    await publish(t, 'csv-tools', '1.0.0');
    const v2 = await publish(t, 'csv-tools', '1.1.0', { 'notes.md': 'two\n' });
    // What a rescan under newer rules does when a rule now catches 1.1.0.
    await withTenant(suite.dbs.app.db, t.tenantId, (tx) =>
      tx.update(skillVersionSafety).set({ verdict: 'blocked', rulesVersion: 'next' }).where(eq(skillVersionSafety.versionId, v2.version.id)),
    );
    const reader = commandCtx(t.as('other'));
    const { skills: blocked } = await resolveSkills(reader, { skills: [{ name: 'csv-tools', version: '1.1.0' }, { name: 'csv-tools', version: '1.0.0' }] });
    expect(blocked[0]).toMatchObject({ status: 'blocked', version: null, digest: null, latestVersion: '1.0.0' });
    expect(blocked[0]!.message).toMatch(/^csv-tools@1\.1\.0 is blocked: the safety scan \(rules next\) blocks it/);
    expect(blocked[1]).toMatchObject({ status: 'ok', version: '1.0.0', latestVersion: '1.0.0' });

    await overrideSafetyVerdict(t.as('admin'), { slug: 'csv-tools', version: '1.1.0', reason: 'Reviewed: the finding was our own mirror.' });
    const { skills: released } = await resolveSkills(reader, { skills: [{ name: 'csv-tools', version: '1.1.0' }] });
    expect(released[0]).toMatchObject({ status: 'ok', version: '1.1.0', latestVersion: '1.1.0' });
  });

  it('the files of a version carry the manifest digests and modes that make up its content digest', async () => {
    const t = await suite.tenant();
    await publishSkill(t.as('author'), {
      source: {
        kind: 'files',
        files: [
          ...skillFolder('run-tools', { version: '1.0.0', files: { 'bin/data.bin': '\u0000\u0001binary' } }),
          { path: 'run-tools/bin/run.sh', bytes: new TextEncoder().encode('#!/bin/sh\necho hi\n'), executable: true },
        ],
      },
    });
    const files = await getSkillVersionFiles(commandCtx(t.as('other')), { slug: 'run-tools' }, { source: 'cli' });
    for (const f of files.files) {
      expect(createHash('sha256').update(Buffer.from(f.contentBase64, 'base64')).digest('hex'), f.path).toBe(f.sha256);
    }
    expect(files.files.find((f) => f.path === 'bin/run.sh')?.executable).toBe(true);
    expect(bundleContentSha256(files.files)).toBe(files.contentSha256);
    const keys = await withTenant(suite.dbs.app.db, t.tenantId, (tx) => tx.select().from(apiKeys));
    expect(keys).toEqual([]);
  });
});
