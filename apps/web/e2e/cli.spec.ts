import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './support/test';
import { devSignIn } from './support/dev-sign-in';
import { readMailFolder } from '@everyskill/email/testing';
import { repoRoot } from './support/paths';

// Acceptance of the everyskill command against the built app, with the very file the server serves
// (GET /cli/everyskill.tgz) run on this machine's Node with an empty environment: sign-in by device
// flow approved in Chromium, add for two agents, a byte-identical restore from the lockfile, a
// tampered blob refused, every install verified against the workspace's signing key pinned at
// sign-in (a key that does not follow from the pin, or an attestation the server does not have,
// refused), outdated/update, a withdrawal in outdated and in the digest, bad input.

test.describe.configure({ mode: 'serial' });

const CRON_SECRET = 'e2e-cron-secret-0123456789abcdef';
const stamp = Date.now().toString(36);
const alpha = `cli-alpha-${stamp}`;
const beta = `cli-beta-${stamp}`;
const gamma = `cli-gamma-${stamp}`;
const authorEmail = `cli-author-${stamp}@demo.test`;
const readerEmail = `cli-reader-${stamp}@demo.test`;
const work = mkdtempSync(path.join(os.tmpdir(), 'everyskill-cli-e2e-'));
const home = path.join(work, 'home');
const cliDir = path.join(work, 'cli');
let origin: string;
let authorKey: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the served CLI file with nothing but PATH and HOME (no npm, no config, no token). */
function everyskill(args: string[], options: { cwd: string; env?: Record<string, string>; onStderr?: (text: string) => void }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(cliDir, 'package/everyskill.cjs'), ...args], {
      cwd: options.cwd,
      // Only PATH and HOME: the typed ProcessEnv wants NODE_ENV, which the command must not need.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...options.env } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      options.onStderr?.(stderr);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Publishes a version from files (an executable where the name ends in .sh) with the author's key. */
async function publish(name: string, version: string, files: Record<string, string>): Promise<{ contentSha256: string }> {
  const dir = mkdtempSync(path.join(work, 'pack-'));
  const all = { 'SKILL.md': `---\nname: ${name}\ndescription: Helps with ${name} in the command line test.\nmetadata:\n  version: "${version}"\n---\n# ${name}\n\nVersion ${version}.\n`, ...files };
  for (const [file, text] of Object.entries(all)) {
    const target = path.join(dir, name, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    if (file.endsWith('.sh')) chmodSync(target, 0o755);
  }
  execFileSync('tar', ['-czf', path.join(dir, 'bundle.tar.gz'), '-C', dir, name]);
  const form = new FormData();
  form.set('bundle', new Blob([readFileSync(path.join(dir, 'bundle.tar.gz'))]), `${name}.tar.gz`);
  if (version !== '1.0.0') form.set('slug', name);
  const response = await fetch(`${origin}/api/v1/skills`, { method: 'POST', headers: { authorization: `Bearer ${authorKey}` }, body: form });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { version: { contentSha256: string } }).version;
}

/** Every file under a folder with its bytes and mode, for byte-for-byte comparison. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = `${(statSync(file).mode & 0o777).toString(8)}:${readFileSync(file).toString('base64')}`;
  }
  return out;
}

const lockOf = (dir: string) =>
  JSON.parse(readFileSync(path.join(dir, 'everyskill-lock.json'), 'utf8')) as {
    skills: Record<string, { version: string; digest: string; registry: string; agents: string[]; attestation: string | null }>;
  };
const pinsFile = () => path.join(home, '.config/everyskill/pinned-keys.json');

test.afterAll(() => rmSync(work, { recursive: true, force: true }));

test('the served CLI signs in by device flow, installs for two agents and restores the lockfile byte for byte', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  origin = baseURL!;
  mkdirSync(home, { recursive: true });

  // The server serves its own build as an npm tarball with a bin.
  const tgz = await fetch(`${origin}/cli/everyskill.tgz`);
  expect(tgz.status).toBe(200);
  expect(tgz.headers.get('content-type')).toBe('application/gzip');
  mkdirSync(cliDir, { recursive: true });
  writeFileSync(path.join(cliDir, 'everyskill.tgz'), Buffer.from(await tgz.arrayBuffer()));
  execFileSync('tar', ['-xzf', 'everyskill.tgz'], { cwd: cliDir });
  expect(JSON.parse(readFileSync(path.join(cliDir, 'package/package.json'), 'utf8')).bin).toEqual({ everyskill: 'everyskill.cjs' });
  expect((statSync(path.join(cliDir, 'package/everyskill.cjs')).mode & 0o111) !== 0).toBe(true);

  // An author with a publishing key publishes three skills.
  await devSignIn(page, authorEmail);
  await page.goto('/profile/api-keys');
  await expect(page.getByTestId('cli-install')).toContainText(`npm i -g ${origin}/cli/everyskill.tgz`);
  await page.getByPlaceholder('laptop · claude code').fill('cli e2e publishing');
  await page.locator('input[name="scopes"][value="skills:publish"]').check();
  await page.getByRole('button', { name: 'Create key' }).click();
  authorKey = (await page.getByTestId('new-key-secret').textContent())!.trim();
  await publish(alpha, '1.0.0', { 'scripts/run.sh': '#!/bin/sh\necho alpha\n', 'reference/notes.md': '# Notes\n' });
  await publish(beta, '1.0.0', {});
  await publish(gamma, '1.0.0', {});
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();

  // The reader signs the command in: it prints a code, Chromium approves it.
  await devSignIn(page, readerEmail);
  const project = path.join(work, 'project');
  mkdirSync(project);
  let approvalUrl: string | undefined;
  const loginRun = everyskill(['login', origin, '--no-browser'], {
    cwd: project,
    onStderr: (text) => (approvalUrl ??= /(https?:\/\/\S+\/device\?code=[A-Z-]+)/.exec(text)?.[1]),
  });
  await expect.poll(() => approvalUrl, { timeout: 20_000 }).toBeDefined();
  const code = new URL(approvalUrl!).searchParams.get('code')!;
  await page.goto(approvalUrl!);
  await expect(page.getByTestId('device-user-code')).toHaveText(code);
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText(/is signed in as you/)).toBeVisible();
  const login = await loginRun;
  expect(login.code, login.stderr).toBe(0);
  expect(login.stdout).toContain(`Signed in to ${origin}`);
  const credentials = path.join(home, '.config/everyskill/credentials.json');
  expect(statSync(credentials).mode & 0o777).toBe(0o600);
  const whoami = await everyskill(['whoami', '--json'], { cwd: project });
  expect(JSON.parse(whoami.stdout)).toMatchObject({ user: { email: readerEmail }, key: { scopes: ['skills:read', 'usage:write'] } });

  // Search finds them; add two skills for two agents.
  const found = await everyskill(['search', alpha, '--json'], { cwd: project });
  expect(found.code, found.stderr).toBe(0);
  const added = await everyskill(['add', alpha, beta, '--agent', 'claude-code', '--agent', 'codex', '--json'], { cwd: project });
  expect(added.code, added.stderr).toBe(0);
  const lock = lockOf(project);
  expect(Object.keys(lock.skills)).toEqual([alpha, beta].sort());
  expect(lock.skills[alpha]).toMatchObject({ version: '1.0.0', registry: origin, agents: ['claude-code', 'codex'] });
  // The workspace's key was pinned at sign-in, and the lockfile records the attestation verified with it.
  const keys = (await (await fetch(`${origin}/.well-known/everyskill/keys.json`)).json()) as { tenant: { slug: string }; keys: { keyid: string }[] };
  expect(JSON.parse(readFileSync(pinsFile(), 'utf8')).registries[origin]).toMatchObject({ keyid: keys.keys.at(-1)!.keyid, tenant: { slug: keys.tenant.slug } });
  const attestation = (await (await fetch(`${origin}/api/v1/skills/${alpha}/versions/1.0.0/attestation`, { headers: { authorization: `Bearer ${authorKey}` } })).json()) as { envelopeSha256: string };
  expect(lock.skills[alpha]!.attestation).toBe(attestation.envelopeSha256);
  expect(added.stdout).not.toContain('signed by');
  const human = await everyskill(['add', beta, '--agent', 'claude-code'], { cwd: project });
  expect(human.stdout).toMatch(new RegExp(`signed by .*, published by ${authorEmail.replace(/[.]/g, '\\.')}, scanned clean`));
  for (const folder of ['.claude/skills', '.agents/skills']) {
    expect(readFileSync(path.join(project, folder, alpha, 'SKILL.md'), 'utf8')).toContain('Version 1.0.0.');
    expect(statSync(path.join(project, folder, alpha, 'scripts/run.sh')).mode & 0o777).toBe(0o755);
  }

  // A colleague's clean checkout: install restores exactly the same folders.
  const clean = path.join(work, 'clean');
  mkdirSync(clean);
  copyFileSync(path.join(project, 'everyskill-lock.json'), path.join(clean, 'everyskill-lock.json'));
  const restored = await everyskill(['install'], { cwd: clean });
  expect(restored.code, restored.stderr).toBe(0);
  for (const folder of ['.claude/skills', '.agents/skills']) expect(snapshot(path.join(clean, folder))).toEqual(snapshot(path.join(project, folder)));
  expect(readFileSync(path.join(clean, 'everyskill-lock.json'), 'utf8')).toBe(readFileSync(path.join(project, 'everyskill-lock.json'), 'utf8'));
});

test('install refuses a signing key that does not follow from the pinned one, and an attestation the server does not have', async () => {
  const project = path.join(work, 'project');
  const pinned = readFileSync(pinsFile(), 'utf8');
  const check = async (dir: string, code: number, text: RegExp) => {
    const run = await everyskill(['install'], { cwd: dir });
    expect(run.code, run.stderr).toBe(code);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(text);
    expect(readdirSync(dir)).toEqual(['everyskill-lock.json']);
  };
  // The pin names a key the workspace never had: as if the server's key had been replaced since.
  const other = path.join(work, 'other-key');
  mkdirSync(other);
  copyFileSync(path.join(project, 'everyskill-lock.json'), path.join(other, 'everyskill-lock.json'));
  const pins = JSON.parse(pinned) as { registries: Record<string, { keyid: string }> };
  pins.registries[origin]!.keyid = 'ab'.repeat(32);
  writeFileSync(pinsFile(), JSON.stringify(pins));
  await check(other, 6, /changed from abababababab \(pinned\) to [0-9a-f]{12}: the tenant's keys no longer include the key you pinned.*nothing was written.*--trust-new-key/);
  writeFileSync(pinsFile(), pinned);

  // A lockfile that records an attestation the server never made.
  const forged = path.join(work, 'forged-attestation');
  mkdirSync(forged);
  const lock = lockOf(project);
  lock.skills[alpha]!.attestation = 'e'.repeat(64);
  writeFileSync(path.join(forged, 'everyskill-lock.json'), JSON.stringify(lock));
  await check(forged, 6, new RegExp(`${alpha}@1\\.0\\.0: the server has no attestation eeeeeeeeeeee, the one the lockfile records`));
});

test('a tampered blob makes install fail naming the skill, with nothing written', async () => {
  test.setTimeout(60_000);
  // The server's local blob folder: the embedded database's data folder, or with DATABASE_URL the
  // default one at the repository's root (playwright.config.ts passes the data folder only then).
  const blobs = path.join(process.env.DATABASE_URL ? path.join(repoRoot, '.data') : process.env.E2E_DATA_DIR!, 'blobs');
  expect(existsSync(blobs), `${blobs} holds the server's blobs`).toBe(true);
  const newest = () =>
    readdirSync(blobs, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /^[0-9a-f]{64}$/.test(e.name))
      .map((e) => path.join(e.parentPath, e.name))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]!;
  // gamma 1.0.0's blob (never read yet) gets the bytes of a valid but different bundle.
  const gammaDetail = await (await fetch(`${origin}/api/v1/skills/${gamma}`, { headers: { authorization: `Bearer ${authorKey}` } })).json();
  const original = newest();
  await publish(gamma, '1.0.1', { 'extra.md': 'changed\n' });
  copyFileSync(newest(), original);

  const project = path.join(work, 'tampered');
  mkdirSync(project);
  const lock = { lockfileVersion: 1, skills: { [gamma]: { version: '1.0.0', digest: gammaDetail.latest.contentSha256, registry: origin, agents: ['claude-code'], attestation: null } } };
  writeFileSync(path.join(project, 'everyskill-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  const result = await everyskill(['install'], { cwd: project });
  expect(result.code).toBe(6);
  expect(result.stderr).toContain(`${gamma}@1.0.0`);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(readdirSync(project)).toEqual(['everyskill-lock.json']);
});

test('outdated reports a new version, update moves to it, a withdrawal shows in outdated and in the digest', async () => {
  test.setTimeout(120_000);
  const project = path.join(work, 'project');
  await publish(alpha, '1.1.0', { 'scripts/run.sh': '#!/bin/sh\necho alpha 1.1\n' });
  const outdated = await everyskill(['outdated', '--json'], { cwd: project });
  expect(outdated.code, outdated.stderr).toBe(0);
  const rows = (JSON.parse(outdated.stdout) as { skills: { name: string; status: string; installed: string; latestVersion: string }[] }).skills;
  expect(rows.find((r) => r.name === alpha)).toMatchObject({ status: 'outdated', installed: '1.0.0', latestVersion: '1.1.0' });
  expect(rows.find((r) => r.name === beta)).toMatchObject({ status: 'ok' });

  const updated = await everyskill(['update', '--json'], { cwd: project });
  expect(updated.code, updated.stderr).toBe(0);
  expect(JSON.parse(updated.stdout)).toEqual({ updated: [{ name: alpha, from: '1.0.0', to: '1.1.0' }] });
  expect(lockOf(project).skills[alpha]!.version).toBe('1.1.0');
  expect(readFileSync(path.join(project, '.claude/skills', alpha, 'scripts/run.sh'), 'utf8')).toContain('alpha 1.1');

  // The author withdraws 1.1.0, the version the reader now has.
  const withdrawn = await fetch(`${origin}/api/v1/skills/${alpha}/versions/1.1.0/withdraw`, {
    method: 'POST',
    headers: { authorization: `Bearer ${authorKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'runs the wrong script' }),
  });
  expect(withdrawn.status, await withdrawn.clone().text()).toBe(200);
  const after = JSON.parse((await everyskill(['outdated', '--json'], { cwd: project })).stdout) as { skills: { name: string; status: string; message: string }[] };
  expect(after.skills.find((r) => r.name === alpha)).toMatchObject({ status: 'withdrawn', message: expect.stringContaining('runs the wrong script') });
  // A fresh install of the withdrawn version is refused, naming it.
  const refused = path.join(work, 'refused');
  mkdirSync(refused);
  copyFileSync(path.join(project, 'everyskill-lock.json'), path.join(refused, 'everyskill-lock.json'));
  const refusedRun = await everyskill(['install'], { cwd: refused });
  expect([refusedRun.code, refusedRun.stderr]).toEqual([8, expect.stringContaining(`${alpha}@1.1.0 was withdrawn: runs the wrong script`)]);
  expect(readdirSync(refused)).toEqual(['everyskill-lock.json']);

  // The weekly digest (the reader's default) carries it.
  const mailDir = process.env.E2E_MAIL_DIR!;
  const started = await fetch(`${origin}/api/cron/weekly-digest`, { method: 'POST', headers: { authorization: `Bearer ${CRON_SECRET}` } });
  expect(started.status).toBe(202);
  const digestsTo = async () => (await readMailFolder(mailDir)).filter((m) => !Array.isArray(m.to) && m.to?.value.some((a) => a.address === readerEmail));
  await expect.poll(async () => (await digestsTo()).length, { timeout: 60_000 }).toBe(1);
  const [digest] = await digestsTo();
  expect(digest!.text).toMatch(/Skills you installed that were withdrawn or deprecated/i);
  expect(digest!.text).toContain(`${alpha} 1.1.0, which you installed, was withdrawn: runs the wrong script`);

  // update moves off the withdrawn version to the latest usable one.
  const back = await everyskill(['update', alpha, '--json'], { cwd: project });
  expect(JSON.parse(back.stdout)).toEqual({ updated: [{ name: alpha, from: '1.1.0', to: '1.0.0' }] });
});

test('bad input: one line, a non-zero exit, nothing written', async () => {
  const dir = path.join(work, 'bad');
  mkdirSync(dir);
  const expectOneLine = (run: Run, code: number, text: RegExp) => {
    expect(run.code, run.stderr).toBe(code);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(text);
    expect(readdirSync(dir)).toEqual(existsSync(path.join(dir, 'everyskill-lock.json')) ? ['everyskill-lock.json'] : []);
  };
  // An unreachable server.
  expectOneLine(await everyskill(['add', alpha, '--registry', 'http://127.0.0.1:32321', '--key', `rlk_${'x'.repeat(43)}`], { cwd: dir }), 5, /cannot reach http:\/\/127\.0\.0\.1:32321/);
  // A skill that does not exist.
  expectOneLine(await everyskill(['add', `no-such-skill-${stamp}`], { cwd: dir }), 4, /no-such-skill/);
  // A lockfile edited by hand into invalid JSON.
  writeFileSync(path.join(dir, 'everyskill-lock.json'), '{ "lockfileVersion": 1, "skills": {');
  expectOneLine(await everyskill(['install'], { cwd: dir }), 7, /not valid JSON/);
  expectOneLine(await everyskill(['add', beta], { cwd: dir }), 7, /not valid JSON/);
  rmSync(path.join(dir, 'everyskill-lock.json'));
  // A revoked key: logout revokes it; the same key then refused.
  const key = JSON.parse(readFileSync(path.join(home, '.config/everyskill/credentials.json'), 'utf8')).registries[origin].key as string;
  const logout = await everyskill(['logout'], { cwd: dir });
  expect(logout.code, logout.stderr).toBe(0);
  expect(existsSync(path.join(home, '.config/everyskill/credentials.json'))).toBe(false);
  expectOneLine(await everyskill(['add', beta, '--registry', origin], { cwd: dir, env: { EVERYSKILL_TOKEN: key } }), 3, /refused the key/);
  expectOneLine(await everyskill(['whoami'], { cwd: dir }), 3, /not signed in/);
});
