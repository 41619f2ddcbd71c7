import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Page } from '@playwright/test';
import { verifyAttestation, verifyKeySet, verifySubjects, type DsseEnvelope, type TenantKeySet } from '@everyskill/provenance';
import { expect, test } from './support/test';
import { OpenApiValidator } from './support/openapi-validator';
import { webDir } from './support/paths';
import { prepareDatabase } from './support/prepare-database';
import { ensureSkillsCli } from './support/skills-cli';
import { freePort, type RunningServer } from './support/standalone';
import { spawn } from 'node:child_process';
import { isolatedEnv } from './support/server-env';
import { standaloneServer } from './support/paths';

// Acceptance of agent access, against the built app: keys (every refusal), every /api/v1 route
// validated against the app's own OpenAPI document, cross-tenant 404s, rate limits, the official
// MCP SDK client, and the real `skills` CLI installing from the discovery index.

const run = promisify(execFile);
test.describe.configure({ mode: 'serial' });

interface Fixture {
  a: { tenantId: string; slug: string; keys: Record<'full' | 'member' | 'readOnly' | 'limited' | 'mcp' | 'mcpBatch' | 'revoked' | 'expired', string>; skills: Record<'archive' | 'single' | 'tenantOnly' | 'private', string> };
  b: { tenantId: string; slug: string; keys: { full: string }; skills: { tenantOnly: string; public: string } };
}

const RATE_LIMIT_PER_KEY = 400;
let server: RunningServer;
let fx: Fixture;
let openapi: OpenApiValidator;
let dataDir: string;

interface ApiResult {
  status: number;
  headers: Headers;
  body: unknown;
  bytes: Buffer;
}

/** A request to the app; every /api/v1 answer is checked against the OpenAPI document. */
async function api(
  method: string,
  pathname: string,
  options: { key?: string | null; json?: unknown; form?: FormData; headers?: Record<string, string> } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) body = options.form;
  const response = await fetch(`${server.url}${pathname}`, { method, headers, body });
  const bytes = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  const parsed = type.includes('application/json') && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : bytes.length ? null : '';
  if (pathname.startsWith('/api/v1/') && !pathname.startsWith('/api/v1/openapi.json')) {
    openapi.check(method, `${server.url}${pathname}`, response.status, response.status === 304 ? null : type, parsed);
  }
  return { status: response.status, headers: response.headers, body: parsed, bytes };
}

/** A GET with an explicit Host header (fetch will not send one), as a proxy forwards a tenant host. */
function getWithHost(pathname: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${server.url}${pathname}`, { headers: { ...headers, host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (c) => (body += c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
    });
    request.on('error', reject);
  });
}

const errorCode = (r: ApiResult) => (r.body as { error: { code: string } }).error.code;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'everyskill-agent-e2e-'));
  const dbVars = process.env.DATABASE_URL
    ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_OWNER_URL: process.env.DATABASE_OWNER_URL }
    : { EVERYSKILL_DATA_DIR: dataDir };
  const storage = { STORAGE_DRIVER: 'local', STORAGE_LOCAL_DIR: path.join(dataDir, 'blobs') };
  const env = { ...process.env, ...dbVars, ...storage };
  await prepareDatabase(env);
  const seeded = await run('pnpm', ['exec', 'tsx', 'e2e/support/seed-agent-access.ts'], { cwd: webDir, env, maxBuffer: 10 * 1024 * 1024 });
  fx = JSON.parse(seeded.stdout.trim().split('\n').at(-1)!) as Fixture;
  server = await startServer({
    APP_ENV: 'test',
    ROOT_DOMAIN: 'localhost',
    DEV_TENANT_SLUG: fx.a.slug,
    LOG_LEVEL: 'warn',
    ...dbVars,
    ...storage,
    API_RATE_LIMIT_PER_KEY: String(RATE_LIMIT_PER_KEY),
    API_RATE_LIMIT_PER_TENANT: '100000',
    API_RATE_LIMIT_WINDOW_SECONDS: '600',
  });
  const document = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
  openapi = new OpenApiValidator(document as Record<string, unknown>);
});

/** The built server on a free port with APP_URL on that port (sign-in cookies and redirects need it). */
async function startServer(vars: Record<string, string | undefined>): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [standaloneServer], {
    env: isolatedEnv({ ...vars, APP_URL: url, PORT: String(port), HOSTNAME: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited early:\n${output}`);
    if ((await fetch(`${url}/robots.txt`).catch(() => null))?.ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, output: () => output, stop };
}

test.afterAll(async () => {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test.describe('API keys', () => {
  test('a valid key works and says who it acts as', async () => {
    const me = await api('GET', '/api/v1/whoami', { key: fx.a.keys.member });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ tenant: { id: fx.a.tenantId, slug: fx.a.slug }, user: { role: 'member' }, key: { name: 'e2e member' } });
    expect(me.headers.get('x-request-id')).toBeTruthy();
    expect(me.headers.get('ratelimit-limit')).toBe(String(RATE_LIMIT_PER_KEY));
  });

  test('missing, malformed, unknown, revoked and expired keys are refused with 401', async () => {
    const cases: [string | null, string][] = [
      [null, 'send an API key'],
      ['rlk_tooshort', 'malformed'],
      [`rlk_${'A'.repeat(43)}`, 'not valid'],
      [fx.a.keys.revoked, 'revoked'],
      [fx.a.keys.expired, 'expired'],
    ];
    for (const [key, message] of cases) {
      const r = await api('GET', '/api/v1/whoami', { key });
      expect(r.status, message).toBe(401);
      expect(errorCode(r)).toBe('unauthorized');
      expect((r.body as { error: { message: string } }).error.message).toContain(message);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  test('a key used on another tenant’s host is refused with 401; on its own host it works', async () => {
    const wrong = await getWithHost('/api/v1/whoami', `${fx.b.slug}.localhost`, { authorization: `Bearer ${fx.a.keys.member}` });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body).error.message).toContain('another workspace');
    const right = await getWithHost('/api/v1/whoami', `${fx.a.slug}.localhost`, { authorization: `Bearer ${fx.a.keys.member}` });
    expect(right.status).toBe(200);
  });

  test('a key without the scope an operation needs is refused with 403', async () => {
    const r = await api('POST', '/api/v1/usage-events', { key: fx.a.keys.readOnly, json: { skill: fx.a.skills.single, idempotencyKey: randomUUID() } });
    expect(r.status).toBe(403);
    expect(errorCode(r)).toBe('forbidden');
    const form = new FormData();
    form.set('skillMd', '---\nname: nope\ndescription: no\n---\n');
    expect((await api('POST', '/api/v1/skills', { key: fx.a.keys.readOnly, form })).status).toBe(403);
  });
});

test.describe('REST /api/v1, validated against /api/v1/openapi.json', () => {
  test('the OpenAPI document is 3.1 and lists every route', async () => {
    expect(openapi.document.openapi).toBe('3.1.0');
    expect(openapi.operationIds()).toEqual(
      [
        'downloadSkill',
        'getSkill',
        'getSkillVersion',
        'listSkills',
        'publishSkill',
        'reportUsage',
        'searchSkills',
        'submitFeedback',
        'whoami',
        'resolveSkills',
        'getSkillFiles',
        'withdrawSkillVersion',
        'deprecateSkill',
        'startDeviceAuthorization',
        'pollDeviceToken',
        'logout',
        'getSkillVersionAttestation',
      ].sort(),
    );
  });

  test('search, list, get (latest and @version) and one version', async () => {
    const found = await api('GET', '/api/v1/search?q=pdf', { key: fx.a.keys.member });
    expect(found.status).toBe(200);
    expect((found.body as { items: { slug: string }[] }).items.map((s) => s.slug)).toContain('pdf-forms');
    const listed = await api('GET', '/api/v1/skills?pageSize=50', { key: fx.a.keys.member });
    const slugs = (listed.body as { items: { slug: string }[] }).items.map((s) => s.slug).sort();
    expect(slugs).toEqual(['hello-world', 'pdf-forms', 'team-notes']); // not the reviewer’s private skill
    const skill = await api('GET', '/api/v1/skills/pdf-forms', { key: fx.a.keys.member });
    expect(skill.body).toMatchObject({ slug: 'pdf-forms', latestVersion: '1.1.0', skillMd: expect.stringContaining('PDF forms v1.1') });
    const pinned = await api('GET', `/api/v1/skills/${encodeURIComponent('pdf-forms@1.0.0')}`, { key: fx.a.keys.member });
    expect((pinned.body as { skillMd: string }).skillMd).not.toContain('v1.1');
    const version = await api('GET', '/api/v1/skills/pdf-forms/versions/1.0.0', { key: fx.a.keys.member });
    expect(version.body).toMatchObject({ version: '1.0.0', files: expect.arrayContaining([expect.objectContaining({ path: 'scripts/fill.py' })]) });
    expect((await api('GET', '/api/v1/skills/pdf-forms/versions/9.9.9', { key: fx.a.keys.member })).status).toBe(404);
    expect((await api('GET', '/api/v1/search?q=', { key: fx.a.keys.member })).status).toBe(400);
  });

  test('download as zip and tar.gz, pinned, with ETag = sha256 and 304 on If-None-Match', async () => {
    for (const [query, type, magic] of [
      ['', 'application/zip', 'PK'],
      ['?format=tar.gz', 'application/gzip', '\x1f\x8b'],
    ] as const) {
      const r = await api('GET', `/api/v1/skills/${encodeURIComponent('pdf-forms@1.0.0')}/download${query}`, { key: fx.a.keys.member });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe(type);
      expect(r.bytes.subarray(0, 2).toString('latin1')).toBe(magic);
      const etag = r.headers.get('etag')!;
      expect(etag).toBe(`"${createHash('sha256').update(r.bytes).digest('hex')}"`);
      const again = await api('GET', `/api/v1/skills/${encodeURIComponent('pdf-forms@1.0.0')}/download${query}`, { key: fx.a.keys.member, headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.bytes.length).toBe(0);
    }
    const latest = await api('GET', '/api/v1/skills/pdf-forms/download', { key: fx.a.keys.member });
    expect(latest.headers.get('content-disposition')).toContain('pdf-forms-1.1.0.zip');
  });

  test("a version's attestation verifies against the workspace's keys at /.well-known, and the download against it", async () => {
    const keys = await getWithHost('/.well-known/everyskill/keys.json', `${fx.a.slug}.localhost`);
    expect(keys.status).toBe(200);
    const keySet = JSON.parse(keys.body) as TenantKeySet;
    expect(keySet.tenant.id).toBe(fx.a.tenantId);
    expect(verifyKeySet(keySet)).toEqual({ ok: true });
    const attestation = await api('GET', '/api/v1/skills/pdf-forms/versions/1.0.0/attestation', { key: fx.a.keys.member });
    expect(attestation.status).toBe(200);
    expect(attestation.body).toMatchObject({ slug: 'pdf-forms', version: '1.0.0', keysUrl: '/.well-known/everyskill/keys.json' });
    const checked = verifyAttestation((attestation.body as { envelope: DsseEnvelope }).envelope, keySet);
    if (!checked.ok) throw new Error(checked.problem);
    const zip = await api('GET', `/api/v1/skills/${encodeURIComponent('pdf-forms@1.0.0')}/download`, { key: fx.a.keys.member });
    expect(verifySubjects(checked.statement, { bundle: zip.bytes })).toEqual({ ok: true });
    // Another workspace's keys do not verify it.
    const other = JSON.parse((await getWithHost('/.well-known/everyskill/keys.json', `${fx.b.slug}.localhost`)).body) as TenantKeySet;
    expect(verifyAttestation((attestation.body as { envelope: DsseEnvelope }).envelope, other).ok).toBe(false);
    expect((await api('GET', '/api/v1/skills/pdf-forms/versions/9.9.9/attestation', { key: fx.a.keys.member })).status).toBe(404);
  });

  test('downloads count installs: HEAD counts none, a retried Idempotency-Key counts once, a stray % is a 400', async () => {
    const installs = async () => ((await api('GET', '/api/v1/skills/pdf-forms', { key: fx.a.keys.member })).body as { installsCount: number }).installsCount;
    const start = await installs();
    // HEAD is not an operation of its own in the OpenAPI document: sent directly.
    const head = await fetch(`${server.url}/api/v1/skills/pdf-forms/download`, { method: 'HEAD', headers: { authorization: `Bearer ${fx.a.keys.member}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
    expect(head.headers.get('content-type')).toBe('application/zip');
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    expect(await installs()).toBe(start);
    const retry = { key: fx.a.keys.member, headers: { 'idempotency-key': `dl-${Date.now()}` } };
    expect((await api('GET', '/api/v1/skills/pdf-forms/download', retry)).status).toBe(200);
    expect((await api('GET', '/api/v1/skills/pdf-forms/download', retry)).status).toBe(200);
    expect(await installs()).toBe(start + 1);
    const stray = await api('GET', '/api/v1/skills/pdf%25forms/download', { key: fx.a.keys.member });
    expect(stray.status).toBe(400);
    expect(stray.body).toMatchObject({ error: { code: 'invalid_input' } });
  });

  test('the server answers /api/v1 itself: 405 with Allow and the error body, OPTIONS, a malformed escape, gzip', async () => {
    const auth = { authorization: `Bearer ${fx.a.keys.member}` };
    // Next's own router answers a missing method with an empty 405, and a malformed escape with a 500 page.
    const refused = await fetch(`${server.url}/api/v1/skills/pdf-forms`, { method: 'DELETE', headers: auth });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(refused.headers.get('x-request-id')).toBeTruthy();
    expect(await refused.json()).toEqual({
      error: { code: 'method_not_allowed', message: '/api/v1/skills/pdf-forms does not answer DELETE; it allows GET, HEAD, OPTIONS (see /api/v1/openapi.json)' },
    });
    const options = await fetch(`${server.url}/api/v1/usage-events`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('OPTIONS, POST');
    const malformed = await fetch(`${server.url}/api/v1/skills/pdf%forms/download`, { headers: auth });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'invalid_input', message: expect.stringContaining("a '%' must start an escape") } });
    // Compressed as Next compresses: JSON of 1 KiB or more when the client accepts gzip, never an archive.
    const skill = await fetch(`${server.url}/api/v1/skills/pdf-forms`, { headers: { ...auth, 'accept-encoding': 'gzip' } });
    expect(skill.headers.get('content-encoding')).toBe('gzip');
    expect(((await skill.json()) as { slug: string }).slug).toBe('pdf-forms');
    const archive = await fetch(`${server.url}/api/v1/skills/pdf-forms/download?format=tar.gz`, { headers: { ...auth, 'accept-encoding': 'gzip' } });
    expect(archive.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await archive.arrayBuffer()).subarray(0, 2).toString('latin1')).toBe('\x1f\x8b');
  });

  test('publish through the portal’s service: a new skill, then identical content changes nothing', async () => {
    const skillMd = '---\nname: api-published\ndescription: Published over the REST API.\n---\n# From the API\n';
    const form = () => {
      const f = new FormData();
      f.set('bundle', new Blob([new Uint8Array(tarOf({ 'SKILL.md': skillMd, 'notes.txt': 'hi\n' }))], { type: 'application/gzip' }), 'api-published.tar.gz');
      f.set('visibility', 'tenant');
      f.set('tags', 'api, e2e');
      return f;
    };
    const first = await api('POST', '/api/v1/skills', { key: fx.a.keys.member, form: form() });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ skill: { slug: 'api-published' }, created: true, newSkill: true });
    const second = await api('POST', '/api/v1/skills', { key: fx.a.keys.member, form: form() });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ created: false });
    const bad = new FormData();
    bad.set('skillMd', '---\nname: Bad Name\n---\n');
    const refused = await api('POST', '/api/v1/skills', { key: fx.a.keys.member, form: bad });
    expect(refused.status).toBe(400);
    expect(errorCode(refused)).toBe('invalid_input');
  });

  test('usage events count once per idempotency key; feedback is recorded with secrets redacted', async () => {
    const before = (await api('GET', '/api/v1/skills/team-notes', { key: fx.a.keys.member })).body as { usesCount: number; installsCount: number };
    const idempotencyKey = randomUUID();
    const first = await api('POST', '/api/v1/usage-events', { key: fx.a.keys.member, json: { skill: 'team-notes', idempotencyKey } });
    expect(first.body).toEqual({ recorded: true });
    const retry = await api('POST', '/api/v1/usage-events', { key: fx.a.keys.member, json: { skill: 'team-notes' }, headers: { 'idempotency-key': idempotencyKey } });
    expect(retry.body).toEqual({ recorded: false });
    await api('POST', '/api/v1/usage-events', { key: fx.a.keys.member, json: { skill: 'team-notes', kind: 'install', idempotencyKey: randomUUID() } });
    const after = (await api('GET', '/api/v1/skills/team-notes', { key: fx.a.keys.member })).body as typeof before;
    expect(after.usesCount).toBe(before.usesCount + 1);
    expect(after.installsCount).toBe(before.installsCount + 1);
    expect((await api('POST', '/api/v1/usage-events', { key: fx.a.keys.member, json: { skill: 'team-notes' } })).status).toBe(400);

    // Assembled from pieces so the repository holds nothing that looks like a token.
    const secret = ['gh', 'p_', 'a1B2c3D4e5F6g7H8i9J0', 'k1L2m3N4o5P6q7R8'].join('');
    const feedback = await api('POST', '/api/v1/skills/team-notes/feedback', {
      key: fx.a.keys.member,
      json: { kind: 'bug_report', body: `It printed my token ${secret} into the notes` },
    });
    expect(feedback.status).toBe(201);
    expect((feedback.body as { body: string }).body).not.toContain(secret);
  });

  test('an address no operation has, and a body past the limit, are answered in the one error body', async () => {
    const unknown = await fetch(`${server.url}/api/v1/skills/pdf-forms/versions`, { headers: { authorization: `Bearer ${fx.a.keys.member}` } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-request-id')).toBeTruthy();
    expect(await unknown.json()).toMatchObject({
      error: { code: 'not_found', message: 'there is no API operation at GET /api/v1/skills/pdf-forms/versions; see /api/v1/openapi.json' },
    });
    // A JSON body past 64 KiB is refused before it is parsed.
    const big = await api('POST', '/api/v1/usage-events', { key: fx.a.keys.member, json: { skill: 'team-notes', idempotencyKey: 'x'.repeat(70_000) } });
    expect(big.status).toBe(400);
    expect(big.body).toMatchObject({ error: { code: 'invalid_input', message: 'the body is larger than 64 KiB' } });
  });

  test('the everyskill command’s operations: device sign-in, resolve, files, withdraw, deprecate, logout', async ({ page }) => {
    test.setTimeout(90_000);
    // A skill of its own, so the other tests' fixtures keep their state.
    for (const version of ['1.0.0', '1.1.0']) {
      const form = new FormData();
      if (version !== '1.0.0') form.set('slug', 'cli-ops');
      form.set('skillMd', `---\nname: cli-ops\ndescription: Exercises the command line operations.\nmetadata:\n  version: "${version}"\n---\n# cli-ops ${version}\n`);
      expect((await api('POST', '/api/v1/skills', { key: fx.a.keys.full, form })).status).toBe(201);
    }
    const files = await api('GET', '/api/v1/skills/cli-ops/files', { key: fx.a.keys.member });
    expect(files.body).toMatchObject({ name: 'cli-ops', version: '1.1.0', files: [expect.objectContaining({ path: 'SKILL.md', executable: false })] });
    const withdrawn = await api('POST', '/api/v1/skills/cli-ops/versions/1.1.0/withdraw', { key: fx.a.keys.full, json: { reason: 'wrong steps' } });
    expect(withdrawn.body).toMatchObject({ version: '1.1.0', latestVersion: '1.0.0' });
    expect((await api('GET', `/api/v1/skills/${encodeURIComponent('cli-ops@1.1.0')}/files`, { key: fx.a.keys.member })).status).toBe(409);
    expect((await api('POST', '/api/v1/skills/cli-ops/deprecate', { key: fx.a.keys.member, json: { message: 'no' } })).status).toBe(403);
    expect((await api('POST', '/api/v1/skills/cli-ops/deprecate', { key: fx.a.keys.full, json: { message: 'use pdf-forms', replacement: 'pdf-forms' } })).status).toBe(200);
    const resolved = await api('POST', '/api/v1/resolve', { key: fx.a.keys.member, json: { skills: [{ name: 'cli-ops', version: '1.1.0' }, { name: fx.b.skills.tenantOnly }] } });
    expect((resolved.body as { skills: { status: string }[] }).skills.map((r) => r.status)).toEqual(['withdrawn', 'not_found']);

    // Device sign-in: no key; pending until a member approves in the portal, then the key once.
    const started = await api('POST', '/api/v1/device/code', { key: null, json: { clientName: 'e2e-box' } });
    const { deviceCode, userCode, verificationUriComplete } = started.body as { deviceCode: string; userCode: string; verificationUriComplete: string };
    const pending = await api('POST', '/api/v1/device/token', { key: null, json: { deviceCode } });
    expect([pending.status, errorCode(pending)]).toEqual([400, 'authorization_pending']);
    await page.goto(`${server.url}/sign-in?callbackUrl=${encodeURIComponent(new URL(verificationUriComplete).pathname + new URL(verificationUriComplete).search)}`);
    await page.getByTestId('development-sign-in').getByLabel('Email').fill(`member@${fx.a.slug}.test`);
    await page.getByRole('button', { name: 'Sign in for development' }).click();
    await expect(page.getByTestId('device-user-code')).toHaveText(userCode);
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect(page.getByText(/is signed in as you/)).toBeVisible();
    await new Promise((r) => setTimeout(r, 5_100)); // the poll interval
    const token = await api('POST', '/api/v1/device/token', { key: null, json: { deviceCode } });
    expect(token.body).toMatchObject({ name: 'everyskill on e2e-box', scopes: ['skills:read', 'usage:write'] });
    const key = (token.body as { apiKey: string }).apiKey;
    expect((await api('POST', '/api/v1/device/token', { key: null, json: { deviceCode } })).status).toBe(400);
    expect((await api('POST', '/api/v1/logout', { key })).body).toMatchObject({ revoked: true });
    expect((await api('GET', '/api/v1/whoami', { key })).status).toBe(401);
  });

  test('every operation was validated against the document with a success response', () => {
    const succeeded = new Set([...openapi.covered].filter((c) => /\s2\d\d$/.test(c)).map((c) => c.split(' ')[0]));
    expect([...succeeded].sort()).toEqual(openapi.operationIds());
  });
});

test.describe('tenant isolation', () => {
  test('with tenant A’s key, every route given tenant B’s skills answers 404, never data', async () => {
    const key = fx.a.keys.full; // an admin of A: sees everything of A, nothing of B
    const aSlugs = ((await api('GET', '/api/v1/skills?pageSize=100', { key })).body as { items: { slug: string }[] }).items.map((s) => s.slug);
    for (const slug of [fx.b.skills.tenantOnly, fx.b.skills.public]) {
      const routes: [string, string, Parameters<typeof api>[2]][] = [
        ['GET', `/api/v1/skills/${slug}`, {}],
        ['GET', `/api/v1/skills/${encodeURIComponent(`${slug}@1.0.0`)}`, {}],
        ['GET', `/api/v1/skills/${slug}/versions/1.0.0`, {}],
        ['GET', `/api/v1/skills/${slug}/download`, {}],
        ['GET', `/api/v1/skills/${slug}/download?format=tar.gz`, {}],
        ['POST', `/api/v1/skills/${slug}/feedback`, { json: { kind: 'thumbs_up' } }],
        ['GET', `/api/v1/skills/${slug}/files`, {}],
        ['POST', `/api/v1/skills/${slug}/versions/1.0.0/withdraw`, { json: { reason: 'hijack' } }],
        ['POST', `/api/v1/skills/${slug}/deprecate`, { json: { message: 'hijack' } }],
        ['POST', '/api/v1/usage-events', { json: { skill: slug, idempotencyKey: randomUUID() } }],
        ['POST', '/api/v1/usage-events', { json: { skill: slug, kind: 'install', idempotencyKey: randomUUID() } }],
      ];
      for (const [method, pathname, options] of routes) {
        const r = await api(method, pathname, { ...options, key });
        expect(r.status, `${method} ${pathname}`).toBe(404);
        expect(errorCode(r)).toBe('not_found');
        expect(r.bytes.toString('utf8')).not.toContain(fx.b.tenantId);
      }
      // Publishing "a new version" of B's skill from A is refused (no such skill in A), and B's skill is untouched.
      const form = new FormData();
      form.set('slug', slug);
      form.set('skillMd', `---\nname: ${slug}\ndescription: hijack\n---\n# hijack\n`);
      const hijack = await api('POST', '/api/v1/skills', { key, form });
      // One answer for a skill you may not publish to, whether it is another tenant's, private or absent.
      expect(hijack.status, JSON.stringify(hijack.body)).toBe(409);
      expect(hijack.body).toMatchObject({ error: { code: 'conflict', details: { reason: 'not-yours' } } });
      const bView = await api('GET', `/api/v1/skills/${slug}`, { key: fx.b.keys.full });
      expect(bView.body).toMatchObject({ latestVersion: '1.0.0', versions: [expect.objectContaining({ version: '1.0.0' })] });
      expect((bView.body as { skillMd: string }).skillMd).not.toContain('hijack');
      // A's own skills may match B's name by its words or meaning; B's skill never does.
      const searched = await api('GET', `/api/v1/search?q=${slug}`, { key });
      const found = (searched.body as { items: { slug: string }[] }).items.map((s) => s.slug);
      expect(found).not.toContain(slug);
      expect(found.filter((s) => !aSlugs.includes(s))).toEqual([]);
    }
    // Nor by the words or the meaning of B's skills (their descriptions), over REST and MCP.
    const client = new Client({ name: 'everyskill-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/api/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    try {
      for (const q of ['Only for tenant B', 'B’s public tool', 'b secret plans', 'public tool']) {
        const rest = await api('GET', `/api/v1/search?${new URLSearchParams({ q })}`, { key });
        const mcp = await client.callTool({ name: 'search_skills', arguments: { query: q } });
        for (const body of [JSON.stringify(rest.body), (mcp as { content: { text: string }[] }).content[0]!.text]) {
          expect(body, q).not.toContain(fx.b.tenantId);
          expect(body, q).not.toMatch(/b-secret-plans|b-public-tool/);
        }
      }
    } finally {
      await client.close();
    }
    const listed = await api('GET', '/api/v1/skills?pageSize=100', { key });
    expect(JSON.stringify(listed.body)).not.toContain(fx.b.tenantId);
    // And the other way round, B's key reaches nothing of A.
    expect((await api('GET', '/api/v1/skills/pdf-forms', { key: fx.b.keys.full })).status).toBe(404);
  });
});

test.describe('rate limits', () => {
  test('past the per-key limit the API answers 429 with Retry-After, in the one error shape', async () => {
    let refused: ApiResult | null = null;
    // Fixed windows: at most the limit passes in one window, at most twice the limit when the loop
    // happens to straddle a window boundary; a 429 must come before that.
    for (let i = 0; i <= 2 * RATE_LIMIT_PER_KEY && !refused; i++) {
      const r = await api('GET', '/api/v1/whoami', { key: fx.a.keys.limited });
      if (r.status === 429) refused = r;
      else expect(r.status).toBe(200);
    }
    expect(refused).not.toBeNull();
    expect(errorCode(refused!)).toBe('rate_limited');
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // Another key of the same tenant still works: limits are per key (and per tenant, far higher here).
    expect((await api('GET', '/api/v1/whoami', { key: fx.a.keys.member })).status).toBe(200);
  });
});

test.describe('MCP over Streamable HTTP', () => {
  async function connect(key: string): Promise<Client> {
    const client = new Client({ name: 'everyskill-e2e', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/api/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    });
    await client.connect(transport);
    return client;
  }
  const json = (result: unknown) => JSON.parse((result as { content: { text: string }[] }).content[0]!.text);

  test('the official SDK client lists tools, searches, gets and installs a skill, and reports a use', async () => {
    const client = await connect(fx.a.keys.mcp);
    try {
      const tools = (await client.listTools()).tools.map((t) => t.name).sort();
      expect(tools).toEqual(['get_skill', 'install_skill', 'list_skills', 'report_usage', 'search_skills', 'submit_feedback']);
      const found = json(await client.callTool({ name: 'search_skills', arguments: { query: 'pdf' } }));
      expect(found.items.map((s: { slug: string }) => s.slug)).toContain('pdf-forms');
      const listed = json(await client.callTool({ name: 'list_skills', arguments: {} }));
      expect(listed.items.length).toBeGreaterThanOrEqual(3);
      const skill = json(await client.callTool({ name: 'get_skill', arguments: { name: 'pdf-forms' } }));
      expect(skill.skillMd).toContain('PDF forms v1.1');
      const installed = json(await client.callTool({ name: 'install_skill', arguments: { name: 'pdf-forms', version: '1.0.0' } }));
      expect(installed.files.map((f: { path: string }) => f.path)).toEqual(['SKILL.md', 'reference.md', 'scripts/fill.py']);
      const script = installed.files.find((f: { path: string }) => f.path === 'scripts/fill.py');
      expect(script.content).toBe('print("fill v1")\n');
      expect(json(await client.callTool({ name: 'report_usage', arguments: { name: 'pdf-forms', idempotency_key: randomUUID() } }))).toEqual({ recorded: true });
      const missing = await client.callTool({ name: 'get_skill', arguments: { name: fx.b.skills.tenantOnly } });
      expect(missing.isError).toBe(true);
      expect(JSON.stringify(missing.content)).toContain('not_found');
    } finally {
      await client.close();
    }
  });

  test('search_skills is the portal’s search: ranked, with why each matched; never another person’s private skill', async () => {
    const client = await connect(fx.a.keys.mcp);
    try {
      const found = json(await client.callTool({ name: 'search_skills', arguments: { query: 'fill pdf forms', limit: 5 } }));
      expect(found).toMatchObject({ query: 'fill pdf forms', degraded: false, degradedReason: null, hasMore: false });
      expect(found.items[0]).toMatchObject({ slug: 'pdf-forms', latestVersion: '1.1.0', position: 1, match: expect.stringMatching(/^(words|both)$/) });
      const rest = await api('GET', `/api/v1/search?${new URLSearchParams({ q: 'fill pdf forms', limit: '5' })}`, { key: fx.a.keys.member });
      expect(found.items.map((s: { slug: string }) => s.slug)).toEqual((rest.body as { items: { slug: string }[] }).items.map((s) => s.slug));
      // The reviewer's private draft, by its name and its words: not for a member's key, nor an admin's.
      for (const key of [fx.a.keys.member, fx.a.keys.full]) {
        for (const q of [fx.a.skills.private, 'A reviewer’s private draft']) {
          const r = await api('GET', `/api/v1/search?${new URLSearchParams({ q })}`, { key });
          expect((r.body as { items: { slug: string }[] }).items.map((s) => s.slug), q).not.toContain(fx.a.skills.private);
        }
      }
      for (const query of [fx.a.skills.private, 'A reviewer’s private draft']) {
        const answer = json(await client.callTool({ name: 'search_skills', arguments: { query } }));
        expect(answer.items.map((s: { slug: string }) => s.slug), query).not.toContain(fx.a.skills.private);
      }
    } finally {
      await client.close();
    }
  });

  test('a batch of n calls counts as n requests against the rate limits', async () => {
    const post = (count: number) =>
      fetch(`${server.url}/api/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fx.a.keys.mcpBatch}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify(Array.from({ length: count }, (_, i) => ({ jsonrpc: '2.0', id: i + 1, method: 'tools/list' }))),
      });
    // The key's limit is RATE_LIMIT_PER_KEY per window: four batches of 100 use it up (unless a
    // window boundary passes in between, which only lets more through), the next is refused.
    let refused: Response | null = null;
    for (let i = 0; i < 8 && !refused; i++) {
      const r = await post(100);
      if (r.status === 429) refused = r;
      else {
        expect(r.status).toBe(200);
        expect(((await r.json()) as unknown[]).length).toBe(100);
      }
    }
    expect(refused).not.toBeNull();
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    const unparsable = await fetch(`${server.url}/api/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fx.a.keys.mcp}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{not json',
    });
    expect(unparsable.status).toBe(400);
    expect(((await unparsable.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });

  test('without a valid key the MCP endpoint refuses to connect', async () => {
    await expect(connect(fx.a.keys.revoked)).rejects.toThrow();
    const raw = await fetch(`${server.url}/api/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(raw.status).toBe(401);
  });
});

test.describe('Agent Skills discovery', () => {
  test('the index lists the host tenant’s public skills only, with the RFC’s content types, GET and HEAD', async () => {
    const index = await fetch(`${server.url}/.well-known/agent-skills/index.json`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('application/json');
    const body = (await index.json()) as { $schema: string; skills: { name: string; type: string; url: string; digest: string }[] };
    expect(body.$schema).toBe('https://schemas.agentskills.io/discovery/0.2.0/schema.json');
    expect(body.skills.map((s) => [s.name, s.type])).toEqual([
      ['hello-world', 'skill-md'],
      ['pdf-forms', 'archive'],
    ]);
    for (const entry of body.skills) {
      const artifact = await fetch(new URL(entry.url, `${server.url}/.well-known/agent-skills/index.json`));
      expect(artifact.status).toBe(200);
      expect(artifact.headers.get('content-type')).toContain(entry.type === 'archive' ? 'application/gzip' : 'text/markdown');
      const bytes = Buffer.from(await artifact.arrayBuffer());
      expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(entry.digest);
      const head = await fetch(new URL(entry.url, server.url), { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    }
    expect((await fetch(`${server.url}/.well-known/agent-skills/index.json`, { method: 'HEAD' })).status).toBe(200);
    for (const unknown of ['team-notes/SKILL.md', 'reviewer-private/SKILL.md', `${fx.b.skills.public}.tar.gz`, 'nope/SKILL.md', 'nope.tar.gz', 'hello-world.tar.gz']) {
      expect((await fetch(`${server.url}/.well-known/agent-skills/${unknown}`)).status, unknown).toBe(404);
    }
    const bHost = await getWithHost('/.well-known/agent-skills/index.json', `${fx.b.slug}.localhost`);
    expect(JSON.parse(bHost.body).skills.map((s: { name: string }) => s.name)).toEqual([fx.b.skills.public]);
    expect((await getWithHost('/.well-known/agent-skills/index.json', 'no-such-tenant.localhost')).status).toBe(404);
  });

  test('a client holding the current index or artifact gets 304 without a body; a changed one gets 200', async () => {
    const indexUrl = `${server.url}/.well-known/agent-skills/index.json`;
    const index = await fetch(indexUrl);
    const etag = index.headers.get('etag')!;
    expect(etag).toBe(`"${createHash('sha256').update(Buffer.from(await index.arrayBuffer())).digest('hex')}"`);
    const again = await fetch(indexUrl, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('public, max-age=60');
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    expect((await fetch(indexUrl, { headers: { 'if-none-match': `W/${etag}, "other"` } })).status).toBe(304);
    expect((await fetch(indexUrl, { headers: { 'if-none-match': '"an-older-index"' } })).status).toBe(200);
    for (const path of ['hello-world/SKILL.md', 'pdf-forms.tar.gz']) {
      const artifact = await fetch(`${server.url}/.well-known/agent-skills/${path}`);
      // An artifact's entity tag is its digest as the index gives it: `sha256:<hex>`.
      const digest = `"sha256:${createHash('sha256').update(Buffer.from(await artifact.arrayBuffer())).digest('hex')}"`;
      expect(artifact.headers.get('etag'), path).toBe(digest);
      const cached = await fetch(`${server.url}/.well-known/agent-skills/${path}`, { headers: { 'if-none-match': digest } });
      expect(cached.status, path).toBe(304);
      expect((await cached.arrayBuffer()).byteLength, path).toBe(0);
    }
  });

  test('the real `skills` CLI installs a public skill from the app’s host, digests verified', async () => {
    test.setTimeout(300_000);
    const { node, cli } = await ensureSkillsCli();
    const project = mkdtempSync(path.join(os.tmpdir(), 'everyskill-skills-cli-'));
    try {
      await run(node, [cli, 'add', server.url, '--skill', 'pdf-forms', 'hello-world', '--agent', 'claude-code', '--yes', '--copy'], {
        cwd: project,
        env: { ...process.env, HOME: project, DISABLE_TELEMETRY: '1', DO_NOT_TRACK: '1', CI: '1' },
        timeout: 120_000,
      });
      const installed = path.join(project, '.claude/skills');
      expect(readdirSync(installed).sort()).toEqual(['hello-world', 'pdf-forms']);
      expect(readFileSync(path.join(installed, 'pdf-forms/scripts/fill.py'), 'utf8')).toBe('print("fill v2")\n');
      expect(readFileSync(path.join(installed, 'pdf-forms/SKILL.md'), 'utf8')).toContain('PDF forms v1.1');
      const index = (await (await fetch(`${server.url}/.well-known/agent-skills/index.json`)).json()) as { skills: { name: string; digest: string }[] };
      const lock = JSON.parse(readFileSync(path.join(project, 'skills-lock.json'), 'utf8')) as { skills: Record<string, { wellKnownDigest: string }> };
      for (const entry of index.skills) expect(lock.skills[entry.name]?.wellKnownDigest).toBe(entry.digest);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

test.describe('profile: API keys in the browser', () => {
  async function signIn(page: Page, email: string) {
    await page.goto(`${server.url}/sign-in?callbackUrl=${encodeURIComponent('/profile/api-keys')}`);
    await page.getByTestId('development-sign-in').getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Sign in for development' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'API keys' })).toBeVisible();
  }

  test('a member mints a key (shown once, with the MCP setup), uses it, and revokes it', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await signIn(page, `member@${fx.a.slug}.test`);
    // A member is offered the scopes of their role only, and sees only their own keys.
    await expect(page.getByRole('checkbox', { name: /admin/ })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'All keys of this workspace' })).toHaveCount(0);
    await page.getByLabel('Name').fill('browser key');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secretText = page.getByTestId('new-key-secret');
    await expect(secretText).toHaveText(/^rlk_[0-9A-Za-z]{43}$/);
    const secret = (await secretText.textContent())!;
    await expect(page.getByTestId('mcp-claude-command').first()).toContainText(
      `claude mcp add --transport http everyskill ${server.url}/api/mcp --header "Authorization: Bearer ${secret}"`,
    );
    await page.getByTestId('new-key').getByRole('button', { name: 'Copy' }).first().click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    expect((await api('GET', '/api/v1/whoami', { key: secret })).body).toMatchObject({ key: { name: 'browser key', scopes: ['skills:read', 'usage:write'] } });

    // Shown once: after a reload only the display prefix is left.
    await page.reload();
    await expect(page.getByText(secret)).toHaveCount(0);
    const row = page.getByRole('row', { name: /browser key/ });
    await expect(row).toContainText(secret.slice(0, 10));
    page.once('dialog', (dialog) => dialog.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect(row).toContainText('revoked');
    expect((await api('GET', '/api/v1/whoami', { key: secret })).status).toBe(401);
  });

  test('rotating a key shows the replacement once; a key created next shows its own secret', async ({ page }) => {
    await signIn(page, `member@${fx.a.slug}.test`);
    await page.getByLabel('Name').fill('rotated key');
    await page.getByRole('button', { name: 'Create key' }).click();
    const card = page.getByTestId('new-key');
    const original = (await card.getByTestId('new-key-secret').textContent())!;
    expect(original).toMatch(/^rlk_/);

    await page.getByRole('row', { name: /rotated key/ }).first().getByRole('button', { name: 'Rotate' }).click();
    await expect(card.getByRole('heading', { name: 'Your replacement key' })).toBeVisible();
    const replacement = (await card.getByTestId('new-key-secret').textContent())!;
    expect(replacement).not.toBe(original);
    expect((await api('GET', '/api/v1/whoami', { key: replacement })).status).toBe(200);

    await page.getByLabel('Name').fill('after rotation');
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect(card.getByRole('heading', { name: 'Your new key' })).toBeVisible();
    const fresh = (await card.getByTestId('new-key-secret').textContent())!;
    expect([original, replacement]).not.toContain(fresh);
    expect((await api('GET', '/api/v1/whoami', { key: fresh })).body).toMatchObject({ key: { name: 'after rotation' } });
  });

  test('an admin sees and revokes any key of the workspace', async ({ page }) => {
    await signIn(page, `admin@${fx.a.slug}.test`);
    await expect(page.getByRole('checkbox', { name: /admin/ })).toHaveCount(1);
    const section = page.getByRole('heading', { name: 'All keys of this workspace' }).locator('xpath=ancestor::div[contains(@class,"rounded-xl")][1]');
    const row = section.getByRole('row', { name: /e2e mcp/ });
    await expect(row).toContainText(`member@${fx.a.slug}.test`);
    expect((await api('GET', '/api/v1/whoami', { key: fx.a.keys.mcp })).status).toBe(200);
    page.once('dialog', (dialog) => dialog.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect(row).toContainText('revoked');
    expect((await api('GET', '/api/v1/whoami', { key: fx.a.keys.mcp })).status).toBe(401);
  });
});

/** A minimal ustar archive, gzipped (what a person's `tar czf` would upload). */
function tarOf(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const header = Buffer.alloc(512);
    header.write(name, 0);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header[156] = 48;
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
