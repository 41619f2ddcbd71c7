import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from './support/test';
import fc from 'fast-check';
import {
  AUTH_SECRET,
  actionOutcome,
  builtActions,
  callAction,
  mcpCall,
  mcpTools,
  pageOf,
  restOperations,
  restRequest,
  send,
  sessionCookie,
  sourceActions,
  tenantRows,
  toolResult,
  type ActionArgs,
  type HardeningFixture,
  type McpTool,
  type RawAnswer,
  type RestOperation,
  type ServerAction,
  type TenantFixture,
  type TenantRows,
} from './support/hardening-harness';
import { webDir } from './support/paths';
import { prepareDatabase } from './support/prepare-database';
import { startStandalone, type RunningServer } from './support/standalone';

// Hardening of the built app against two tenants: hostile input (NUL, lone surrogates, …) is a
// 400, never a 500; unknown methods are 405; a server action on another tenant's host is 403; and
// a matrix walks every REST operation (OpenAPI), MCP tool (tools/list) and server action (source +
// build manifest) with tenant A's keys and cookies aimed at tenant B's ids, names and host, then
// compares tenant B's rows, table by table, with what they were before. A fuzz run (fast-check)
// sends hostile strings in every field of every operation: no 5xx, nothing lost, B untouched.
//
// FUZZ_REQUESTS sets how many generated requests the fuzz sends (default 10,000; `pnpm fuzz`
// sends more).

const run = promisify(execFile);
test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let fx: HardeningFixture;
let dataDir: string;
let dbEnv: NodeJS.ProcessEnv;
let rowsBefore: TenantRows;
let openapi: Record<string, unknown>;
let operations: RestOperation[];
let tools: McpTool[];
let actions: ServerAction[];
const cookies: Record<'aAdmin' | 'aMember' | 'bAdmin', string> = { aAdmin: '', aMember: '', bAdmin: '' };
const hostOf = (t: TenantFixture) => `${t.slug}.localhost`;

test.beforeAll(async () => {
  test.setTimeout(600_000); // four tool runs (migrate, seed, row census) and a server start, on a busy machine
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'everyskill-hardening-e2e-'));
  const dbVars = process.env.DATABASE_URL
    ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_OWNER_URL: process.env.DATABASE_OWNER_URL }
    : { EVERYSKILL_DATA_DIR: dataDir };
  const storage = { STORAGE_DRIVER: 'local', STORAGE_LOCAL_DIR: path.join(dataDir, 'blobs') };
  dbEnv = { ...process.env, ...dbVars, ...storage };
  await prepareDatabase(dbEnv);
  const seeded = await run('pnpm', ['exec', 'tsx', 'e2e/support/seed-hardening.ts'], { cwd: webDir, env: dbEnv, maxBuffer: 10 * 1024 * 1024 });
  fx = JSON.parse(seeded.stdout.trim().split('\n').at(-1)!) as HardeningFixture;
  rowsBefore = await tenantRows(dbEnv, [fx.a.tenantId, fx.b.tenantId]);
  server = await startStandalone((url) => ({
    APP_ENV: 'test',
    APP_URL: url,
    ROOT_DOMAIN: 'localhost',
    DEV_TENANT_SLUG: fx.a.slug,
    AUTH_SECRET,
    // As in production: the development sign-in (anyone as anyone, by email) is off.
    AUTH_DEV_SIGN_IN: 'off',
    LOG_LEVEL: 'fatal',
    // Nothing but the requests may change a row: no job runs behind the test's back.
    JOBS_WORKERS: 'off',
    API_RATE_LIMIT_PER_KEY: '10000000',
    API_RATE_LIMIT_PER_TENANT: '10000000',
    ...dbVars,
    ...storage,
  }));
  openapi = JSON.parse((await send(server.url, 'GET', '/api/v1/openapi.json')).body) as Record<string, unknown>;
  operations = restOperations(openapi);
  tools = await mcpTools(server.url, fx.a.keys.member);
  actions = builtActions();
  cookies.aAdmin = await sessionCookie(fx.a, 'admin');
  cookies.aMember = await sessionCookie(fx.a, 'member');
  cookies.bAdmin = await sessionCookie(fx.b, 'admin');
});

test.afterAll(async () => {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const json = (answer: RawAnswer) => JSON.parse(answer.body) as { error?: { code: string; message: string; details?: unknown } };
const is5xx = (status: number) => status >= 500;

// ----------------------------------------------------------------- the findings ----

test.describe('hostile input is 400 invalid_input naming the field, on every surface', () => {
  test('REST: search q, list tag, usage idempotencyKey, feedback body', async () => {
    const key = bearer(fx.a.keys.member);
    const cases: [string, Promise<RawAnswer>][] = [
      ['q', send(server.url, 'GET', '/api/v1/search?q=%00', { headers: key })],
      ['tag', send(server.url, 'GET', '/api/v1/skills?tag=%00', { headers: key })],
      [
        'idempotencyKey',
        send(server.url, 'POST', '/api/v1/usage-events', {
          headers: { ...key, 'content-type': 'application/json' },
          body: JSON.stringify({ skill: fx.a.skills.shared, kind: 'use', idempotencyKey: 'retry-\u0000-0001' }),
        }),
      ],
      [
        'body',
        send(server.url, 'POST', `/api/v1/skills/${fx.a.skills.shared}/feedback`, {
          headers: { ...key, 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'suggestion', body: 'please \u0000 fix' }),
        }),
      ],
      [
        'body',
        send(server.url, 'POST', `/api/v1/skills/${fx.a.skills.shared}/feedback`, {
          headers: { ...key, 'content-type': 'application/json' },
          body: '{"kind":"bug_report","body":"half \\ud800 pair"}',
        }),
      ],
    ];
    for (const [field, pending] of cases) {
      const answer = await pending;
      expect(answer.status, answer.body).toBe(400);
      expect(json(answer).error).toMatchObject({ code: 'invalid_input', details: { issues: [{ field }] } });
    }
  });

  test('MCP: search_skills, list_skills, submit_feedback, report_usage', async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['search_skills', { query: 'pdf\u0000' }],
      ['list_skills', { tag: '\u0000' }],
      ['submit_feedback', { name: fx.a.skills.shared, kind: 'suggestion', body: 'use \u0000 less' }],
      ['report_usage', { name: fx.a.skills.shared, idempotency_key: 'use-\u0000-00000001' }],
    ];
    for (const [name, args] of calls) {
      const answer = await mcpCall(server.url, fx.a.keys.member, 'tools/call', { name, arguments: args });
      expect(answer.status).toBe(200);
      const result = toolResult(answer);
      expect(result.isError, name).toBe(true);
      expect(result.text, name).toMatch(/^invalid_input: .* must not contain the NUL character/);
    }
  });

  test('server actions: rating, API key, feedback answer a refusal state', async () => {
    const page = `/skills/${fx.a.skills.shared}`;
    const cases: [string, Record<string, string>, RegExp][] = [
      ['rateSkillAction', { slug: fx.a.skills.shared, stars: '4', comment: 'fine\u0000' }, /comment must not contain the NUL character/],
      ['submitFeedbackAction', { slug: fx.a.skills.shared, kind: 'suggestion', body: 'a \u0000 b' }, /body must not contain the NUL character/],
      ['createKeyAction', { name: 'laptop\u0000', scopes: 'skills:read' }, /name must not contain the NUL character/],
    ];
    for (const [name, fields, message] of cases) {
      const action = actionNamed(name);
      const answer = await callAction(server.url, action, { kind: 'state-form', fields }, { cookie: cookies.aMember, host: 'localhost', page: pageOf(action, fx.a.skills.shared) || page });
      expect(answer.status, name).toBe(200);
      expect(actionOutcome(answer), name).toBe('refused');
      expect(answer.body, name).toMatch(message);
    }
  });

  test('admin-only safety actions refuse a member of the same workspace, saying why', async () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ['overrideSafetyAction', { slug: fx.a.skills.shared, version: '1.0.0', reason: 'a member releasing it anyway' }, /only a workspace admin can override a safety verdict/],
      ['requestSafetyOpinionAction', { slug: fx.a.skills.shared, version: '1.0.0' }, /only an admin of this workspace can ask for a safety review/],
    ];
    for (const [name, fields, message] of cases) {
      const action = actionNamed(name);
      const answer = await callAction(server.url, action, { kind: 'state-form', fields }, { cookie: cookies.aMember, host: hostOf(fx.a), page: pageOf(action, fx.a.skills.shared) });
      expect(answer.status, name).toBe(200);
      expect(actionOutcome(answer), name).toBe('refused');
      expect(answer.body, name).toMatch(message);
    }
  });

  test('portal search with a NUL answers the page with the reason, not a 500', async () => {
    const answer = await send(server.url, 'GET', '/search?q=%00', { host: 'localhost', headers: { cookie: cookies.aMember } });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('role="alert"');
    expect(answer.body).toContain('must not contain the NUL character');
  });
});

test('following a skill that does not exist answers a state, not a 500', async () => {
  const action = actionNamed('followSkillAction');
  const answer = await callAction(server.url, action, { kind: 'state-form', fields: { slug: 'no-such-skill-here', follow: 'true' } }, {
    cookie: cookies.aMember,
    host: 'localhost',
    page: `/skills/${fx.a.skills.shared}`,
  });
  expect(answer.status).toBe(200);
  expect(actionOutcome(answer)).toBe('refused');
  expect(answer.body).toContain('"code":"not_found"');
});

test('TRACE and other unknown methods answer 405 wherever Next serves', async () => {
  for (const target of ['/', '/skills', '/api/health', '/api/mcp', '/.well-known/agent-skills/index.json', '/api/v1/whoami']) {
    for (const method of ['TRACE', 'PROPFIND']) {
      const answer = await send(server.url, method, target);
      expect(answer.status, `${method} ${target}`).toBe(405);
      expect(answer.headers.allow, `${method} ${target}`).toBeTruthy();
    }
  }
});

test('a server action posted to another tenant’s host is refused by the proxy (403) and changes nothing', async () => {
  const action = actionNamed('rateSkillAction');
  const onB = await callAction(server.url, action, { kind: 'state-form', fields: { slug: fx.b.skills.shared, stars: '1' } }, {
    cookie: cookies.aAdmin,
    host: hostOf(fx.b),
    page: `/skills/${fx.b.skills.shared}`,
  });
  expect(onB.status).toBe(403);
  // The same session on its own host works (the refusal is about the host).
  const onA = await callAction(server.url, action, { kind: 'state-form', fields: { slug: fx.a.skills.public, stars: '5' } }, {
    cookie: cookies.aAdmin,
    host: hostOf(fx.a),
    page: `/skills/${fx.a.skills.public}`,
  });
  expect(actionOutcome(onA)).toBe('ok');
});

test('publishing to a colleague’s private skill answers as for a skill that does not exist', async () => {
  const publish = async (slug: string) => {
    const form = new FormData();
    form.set('slug', slug);
    form.set('skillMd', `---\nname: ${slug}\ndescription: Mine now.\n---\n# Mine\n`);
    const request = new Request('http://x/', { method: 'POST', body: form });
    const answer = await send(server.url, 'POST', '/api/v1/skills', {
      headers: { ...bearer(fx.a.keys.member), 'content-type': request.headers.get('content-type')! },
      body: Buffer.from(await request.arrayBuffer()),
    });
    return { status: answer.status, error: { ...json(answer).error, message: json(answer).error?.message.replaceAll(slug, '<name>') } };
  };
  const hidden = await publish(fx.a.skills.private); // the admin's private skill; the key is a member's
  const absent = await publish('never-published-here');
  expect(hidden).toEqual(absent);
  expect(hidden.status).toBe(409);
});

test('path parameters are decoded once: %2540 is a literal %40, not @', async () => {
  const key = bearer(fx.a.keys.member);
  expect((await send(server.url, 'GET', `/api/v1/skills/${fx.a.skills.shared}%401.0.0`, { headers: key })).status).toBe(200);
  const twice = await send(server.url, 'GET', `/api/v1/skills/${fx.a.skills.shared}%25401.0.0`, { headers: key });
  expect(twice.status).toBe(400);
  expect(json(twice).error?.code).toBe('invalid_input');
});

test('admin pages answer 403 to a member', async () => {
  for (const target of ['/admin/members', '/admin/settings', '/admin/integrity']) {
    const answer = await send(server.url, 'GET', target, { host: 'localhost', headers: { cookie: cookies.aMember } });
    expect(answer.status, target).toBe(403);
    expect(answer.body).toContain('Only admins can see this page');
  }
});

// ---------------------------------------------------- the cross-tenant matrix ----

function actionNamed(name: string): ServerAction {
  const action = actions.find((a) => a.name === name);
  if (!action) throw new Error(`no server action ${name} in the build`);
  return action;
}

/**
 * How each REST operation is aimed at tenant B with tenant A's key: the values of its inputs. A new
 * operation in the OpenAPI document without an entry here fails the matrix.
 */
const restFixtures: Record<string, (b: TenantFixture) => Record<string, unknown>> = {
  whoami: () => ({}),
  // B's words, not B's exact description: the query is A's own and shows in A's search analytics.
  searchSkills: (b) => ({ q: `team notes ${b === fx.b ? 'b' : 'a'}` }),
  listSkills: () => ({ tag: 'notes' }),
  getSkill: (b) => ({ ref: b.skills.shared }),
  getSkillVersion: (b) => ({ slug: b.skills.shared, version: '1.0.0' }),
  getSkillVersionAttestation: (b) => ({ slug: b.skills.shared, version: '1.0.0' }),
  getSkillFiles: (b) => ({ ref: b.skills.public }),
  downloadSkill: (b) => ({ ref: b.skills.public, format: 'zip' }),
  publishSkill: (b) => ({ slug: b.skills.shared, skillMd: `---\nname: ${b.skills.shared}\ndescription: Taken over.\n---\n# Mine\n` }),
  withdrawSkillVersion: (b) => ({ slug: b.skills.shared, version: '1.0.0', reason: 'withdrawn across tenants' }),
  deprecateSkill: (b) => ({ slug: b.skills.shared, message: 'deprecated across tenants' }),
  reportUsage: (b) => ({ skill: b.skills.shared, kind: 'use', idempotencyKey: 'cross-tenant-use-0001' }),
  submitFeedback: (b) => ({ slug: b.skills.shared, kind: 'suggestion', body: 'cross tenant words' }),
  resolveSkills: (b) => ({ skills: [{ name: b.skills.shared }, { name: b.skills.public, version: '1.0.0' }] }),
  startDeviceAuthorization: () => ({ clientName: 'matrix laptop' }),
  pollDeviceToken: () => ({ deviceCode: 'not-a-device-code-of-anyone-0123456789' }),
  logout: () => ({}),
};

/**
 * What A's key may get from an operation aimed at B: `read` answers 200 with nothing of B (a search,
 * a list, a lockfile check), `refused` is 403/404/409. `anonymous` operations take no key at all
 * (the command's device sign-in): they act in the host's workspace by design, so they are only
 * called on A's host and must refuse a code that is no one's. Anything not listed is `refused`.
 */
const restExpect: Record<string, 'read' | 'refused' | 'anonymous'> = {
  whoami: 'read',
  searchSkills: 'read',
  listSkills: 'read',
  resolveSkills: 'read',
  logout: 'read',
  startDeviceAuthorization: 'anonymous',
  pollDeviceToken: 'anonymous',
};

/** The key an operation is sent with: logout revokes its own key, so it gets a spare one. */
const restKey = (op: RestOperation, t: TenantFixture, key: string) => (op.operationId === 'logout' ? t.keys.logout : key);


/** The same for each MCP tool (its arguments). */
const mcpFixtures: Record<string, (b: TenantFixture) => Record<string, unknown>> = {
  search_skills: () => ({ query: 'team notes b' }),
  list_skills: () => ({ tag: 'notes' }),
  get_skill: (b) => ({ name: b.skills.shared }),
  install_skill: (b) => ({ name: b.skills.public }),
  report_usage: (b) => ({ name: b.skills.shared, idempotency_key: 'cross-tenant-mcp-0001' }),
  submit_feedback: (b) => ({ name: b.skills.shared, kind: 'bug_report', body: 'cross tenant report' }),
};

/**
 * The same for each server action, called with tenant A's admin session: its arguments aimed at
 * B's rows, and whether it must be refused (`refused`) or may act, in A's own tenant only (`own`:
 * actions that name no row, such as creating a key). A new action without an entry fails the matrix.
 */
const actionFixtures: Record<string, { args: (b: TenantFixture) => ActionArgs; expect: 'refused' | 'own' }> = {
  signInWithGoogle: { args: () => ({ kind: 'form', fields: { callbackUrl: '/' } }), expect: 'own' },
  signInForDevelopment: { args: (b) => ({ kind: 'state-form', fields: { email: b.people.admin.email } }), expect: 'refused' },
  signOutAction: { args: () => ({ kind: 'args', args: [] }), expect: 'own' },
  unsubscribeAction: { args: () => ({ kind: 'state-form', fields: { token: 'not-a-token-of-anyone' } }), expect: 'refused' },
  startBenchmarkAction: { args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.shared, tasks: 'do a thing' } }), expect: 'refused' },
  cancelBenchmarkAction: { args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.shared, runId: b.skillId } }), expect: 'refused' },
  requestAiReviewAction: { args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.shared, version: '1.0.0' } }), expect: 'refused' },
  setAiReviewHiddenAction: { args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.shared, version: '1.0.0', hidden: 'true' } }), expect: 'refused' },
  publishUploadAction: { args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.shared } }), expect: 'refused' },
  publishEditorAction: {
    args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.shared, skillMd: `---\nname: ${b.skills.shared}\ndescription: Taken over.\n---\n# Mine\n` } }),
    expect: 'refused',
  },
  restoreVersionAction: { args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.shared, version: '1.0.0' } }), expect: 'refused' },
  checkDuplicatesAction: { args: (b) => ({ kind: 'args', args: [{ name: b.skills.shared, description: 'Team notes of b.', body: '' }] }), expect: 'own' },
  createVariationAction: { args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.shared, name: 'stolen-notes' } }), expect: 'refused' },
  rateSkillAction: { args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.shared, stars: '1' } }), expect: 'refused' },
  submitFeedbackAction: { args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.shared, kind: 'thumbs_down' } }), expect: 'refused' },
  setVisibilityAction: { args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.private, visibility: 'public' } }), expect: 'refused' },
  deleteSkillAction: { args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.shared } }), expect: 'refused' },
  followSkillAction: { args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.shared, follow: 'true' } }), expect: 'refused' },
  retryJobAction: { args: (b) => ({ kind: 'state-form', fields: { jobId: b.jobId ?? b.skillId } }), expect: 'refused' },
  repairIntegrityAction: { args: () => ({ kind: 'state-form', fields: {} }), expect: 'own' },
  updateReviewSettingsAction: { args: () => ({ kind: 'state-form', fields: { reviewMode: 'direct' } }), expect: 'own' },
  reembedAllAction: { args: () => ({ kind: 'args', args: [{ status: 'idle' }] }), expect: 'own' },
  requestSafetyRescanAction: { args: () => ({ kind: 'args', args: [{ status: 'idle' }] }), expect: 'own' },
  updateSettingsAction: { args: (b) => ({ kind: 'state-form', fields: { name: `Renamed ${b.slug}` } }), expect: 'own' },
  addDomainAction: { args: (b) => ({ kind: 'state-form', fields: { domain: `${b.slug}.test`, kind: 'email' } }), expect: 'own' },
  verifyDomainAction: { args: (b) => ({ kind: 'state-form', fields: { domainId: b.domainId } }), expect: 'refused' },
  removeDomainAction: { args: (b) => ({ kind: 'state-form', fields: { domainId: b.domainId } }), expect: 'refused' },
  changeRoleAction: { args: (b) => ({ kind: 'state-form', fields: { userId: b.people.member.userId, role: 'admin' } }), expect: 'refused' },
  setMemberStatusAction: { args: (b) => ({ kind: 'state-form', fields: { userId: b.people.admin.userId, intent: 'deactivate' } }), expect: 'refused' },
  createKeyAction: { args: () => ({ kind: 'state-form', fields: { name: 'matrix key', scopes: 'skills:read' } }), expect: 'own' },
  rotateKeyAction: { args: (b) => ({ kind: 'state-form', fields: { keyId: b.keyIds.admin } }), expect: 'refused' },
  revokeKeyAction: { args: (b) => ({ kind: 'args', args: [b.keyIds.member] }), expect: 'refused' },
  submitForReviewAction: { args: (b) => ({ kind: 'state-form', fields: { skillMd: `---\nname: ${b.skills.shared}\ndescription: Taken over.\n---\n# Mine\n` } }), expect: 'refused' },
  decideAction: { args: (b) => ({ kind: 'state-form', fields: { submissionId: b.skillId, decision: 'approve' } }), expect: 'refused' },
  markNotificationsReadAction: { args: () => ({ kind: 'args', args: [] }), expect: 'own' },
  markAllReadAction: { args: () => ({ kind: 'state-form', fields: {} }), expect: 'own' },
  setDigestFrequencyAction: { args: () => ({ kind: 'state-form', fields: { digest: 'weekly' } }), expect: 'own' },
  overrideSafetyAction: { args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.shared, version: '1.0.0', reason: 'released across tenants, on purpose' } }), expect: 'refused' },
  requestSafetyOpinionAction: { args: (b) => ({ kind: 'state-form', fields: { slug: b.skills.shared, version: '1.0.0' } }), expect: 'refused' },
  rotateSigningKeyAction: { args: () => ({ kind: 'state-form', fields: {} }), expect: 'own' },
  decideDeviceAction: { args: () => ({ kind: 'form', fields: { userCode: 'BCDF-GHJK', decision: 'approve' } }), expect: 'refused' },
};

/** Whether an answer shows anything of tenant B beyond what the request itself said (an echoed name is no leak). */
function leaksB(text: string, sent: unknown): boolean {
  const strings = (value: unknown): string[] =>
    typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];
  const echoed = strings(sent).filter((v) => v.length > 0);
  const rest = echoed.reduce((t, value) => t.replaceAll(value, '').replaceAll(JSON.stringify(value).slice(1, -1), ''), text);
  return [fx.b.skills.shared, fx.b.skills.public, fx.b.skills.private, fx.b.tenantId, 'Team notes of b', 'Public tool of b', 'Private draft of b'].some((s) => rest.includes(s));
}

test.describe('cross-tenant matrix: every operation, tool and action with the other tenant’s ids, keys and cookies', () => {
  test('discovery: every REST operation, MCP tool and server action has a fixture (and the discovery sees them all)', () => {
    expect(operations.length).toBeGreaterThanOrEqual(9);
    expect(tools.length).toBeGreaterThanOrEqual(6);
    const fromSource = sourceActions();
    // Every action of the source is in the build, and the other way round.
    expect(actions.map((a) => `${a.name} ${a.file}`).sort()).toEqual(fromSource.map((a) => `${a.name} ${a.file}`).sort());
    expect(operations.map((o) => o.operationId).filter((id) => !restFixtures[id]), 'REST operations without a fixture').toEqual([]);
    expect(tools.map((t) => t.name).filter((n) => !mcpFixtures[n]), 'MCP tools without a fixture').toEqual([]);
    expect(actions.map((a) => a.name).filter((n) => !actionFixtures[n]), 'server actions without a fixture').toEqual([]);
    // A fixture names only inputs its operation has (a renamed parameter would otherwise go unsent).
    for (const op of operations) {
      const inputs = [...op.pathParams, ...op.queryParams, ...op.bodyFields];
      expect(Object.keys(restFixtures[op.operationId]!(fx.b)).filter((k) => !inputs.includes(k)), op.operationId).toEqual([]);
    }
    for (const tool of tools) expect(Object.keys(mcpFixtures[tool.name]!(fx.b)).filter((k) => !tool.fields.includes(k)), tool.name).toEqual([]);
    test.info().annotations.push({ type: 'matrix', description: `${operations.length} REST operations, ${tools.length} MCP tools, ${actions.length} server actions` });
  });

  test('REST: tenant A’s key reads and writes nothing of tenant B; on B’s host it is refused', async () => {
    for (const op of operations) {
      const expected = restExpect[op.operationId] ?? 'refused';
      const key = restKey(op, fx.a, fx.a.keys.admin);
      const { target, headers, body } = restRequest(op, restFixtures[op.operationId]!(fx.b));
      const answer = await send(server.url, op.method, target, { headers: { ...headers, ...bearer(key) }, body });
      expect(is5xx(answer.status), `${op.operationId}: ${answer.status} ${answer.body.slice(0, 200)}`).toBe(false);
      if (expected === 'read') {
        expect(answer.status, `${op.operationId}: ${answer.body.slice(0, 200)}`).toBe(200);
      } else if (expected === 'anonymous') {
        expect([200, 400, 404], `${op.operationId}: ${answer.status} ${answer.body.slice(0, 200)}`).toContain(answer.status);
      } else {
        expect([403, 404, 409], `${op.operationId}: ${answer.status} ${answer.body.slice(0, 200)}`).toContain(answer.status);
      }
      expect(leaksB(answer.body, restFixtures[op.operationId]!(fx.b)), `${op.operationId} leaks B: ${answer.body.slice(0, 300)}`).toBe(false);
      if (expected === 'anonymous') continue;
      // The same request on tenant B's host: the key belongs to A (logout's spare key is spent: 401 all the same).
      const onB = await send(server.url, op.method, target, { host: hostOf(fx.b), headers: { ...headers, ...bearer(key) }, body });
      expect(onB.status, `${op.operationId} on B's host`).toBe(401);
    }
  });

  test('MCP: every tool with B’s names answers not found or nothing of B; on B’s host the key is refused', async () => {
    for (const tool of tools) {
      const args = mcpFixtures[tool.name]!(fx.b);
      const answer = await mcpCall(server.url, fx.a.keys.admin, 'tools/call', { name: tool.name, arguments: args });
      expect(answer.status, tool.name).toBe(200);
      const result = toolResult(answer);
      const named = typeof args.name === 'string' ? args.name : null;
      expect(leaksB(result.text, args), `${tool.name} leaks B: ${result.text.slice(0, 300)}`).toBe(false);
      if (named) expect(result, tool.name).toMatchObject({ isError: true, text: expect.stringMatching(/^not_found: /) });
      const onB = await mcpCall(server.url, fx.a.keys.admin, 'tools/call', { name: tool.name, arguments: args }, hostOf(fx.b));
      expect(onB.status, `${tool.name} on B's host`).toBe(401);
    }
  });

  test('server actions: A’s session with B’s ids is refused or acts in A only; on B’s host the proxy refuses all of them', async () => {
    for (const action of actions) {
      const fixture = actionFixtures[action.name]!;
      const args = fixture.args(fx.b);
      const page = pageOf(action, fx.a.skills.shared);
      const mine = await callAction(server.url, action, args, { cookie: cookies.aAdmin, host: hostOf(fx.a), page });
      expect(is5xx(mine.status), `${action.name}: ${mine.status} ${mine.body.slice(0, 300)}`).toBe(false);
      if (fixture.expect === 'refused') expect(['refused', 'redirect'], `${action.name}: ${mine.status} ${mine.body.slice(0, 300)}`).toContain(actionOutcome(mine));
      expect(leaksB(mine.body, args.kind === 'args' ? Object.assign({}, ...args.args.map((x, i) => (x && typeof x === 'object' ? x : { [i]: x }))) : args.fields), `${action.name} leaks B: ${mine.body.slice(0, 300)}`).toBe(false);
      const onB = await callAction(server.url, action, args, { cookie: cookies.aAdmin, host: hostOf(fx.b), page: pageOf(action, fx.b.skills.shared) });
      expect(onB.status, `${action.name} on B's host`).toBe(403);
    }
  });
});

// -------------------------------------------------------------------- the fuzz ----

const FUZZ_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);

/** Strings an attacker sends: NUL, lone surrogates, bidi controls, 100 kB values, %-escapes, and noise. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfff',
    'pair-split-\ud83d',
    '\u202e\u2066evil\u2069',
    '\u200f\u061c\u2067',
    '%00',
    '%2540',
    '%',
    '%ZZ',
    '%ED%A0%80',
    '../../etc/passwd',
    '$$',
    '$K1',
    '$@0',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '',
    ' ',
    '-1',
    '1e309',
    'x'.repeat(102_400),
    `${'\u0000'.repeat(10)}${'y'.repeat(102_400)}`,
  ),
  fc.string({ unit: 'binary', maxLength: 48 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\u202e', '%', '\ud800', '\udc00', 'a', '@', '/', '.', '-', '$', ' '), maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
);

/** A field's value: absent, a valid one (so the rest of the request gets past the first check), or hostile. */
const fieldValue = (valid: string | undefined) =>
  fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(valid) }, { weight: 4, arbitrary: hostileString });

type FuzzTarget = { surface: 'rest' | 'mcp' | 'action'; name: string; fields: string[]; valid: Record<string, string>; send: (values: Record<string, string | undefined>) => Promise<number> };

function fuzzTargets(): FuzzTarget[] {
  const a = fx.a;
  const rest: FuzzTarget[] = operations.map((op) => {
    // The fuzz sends text: a fixture's structured value (resolve's list) stays out of its valid set.
    const valid = Object.fromEntries(Object.entries(restFixtures[op.operationId]!(a)).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    return {
      surface: 'rest',
      name: op.operationId,
      fields: [...op.pathParams, ...op.queryParams, ...op.bodyFields],
      valid,
      send: async (values) => {
        const { target, headers, body } = restRequest(op, values);
        try {
          return (await send(server.url, op.method, target, { headers: { ...headers, ...bearer(restKey(op, a, a.keys.member)) }, body })).status;
        } catch (error) {
          // Node's HTTP parser answers 431 to a request line over its 16 KiB limit and closes the
          // connection, often before the client has read the answer: a refusal, not a failure.
          if (target.length > 16 * 1024 && ['ECONNRESET', 'EPIPE'].includes((error as NodeJS.ErrnoException).code ?? '')) return 431;
          throw error;
        }
      },
    };
  });
  const mcp: FuzzTarget[] = tools.map((tool) => {
    const valid = Object.fromEntries(Object.entries(mcpFixtures[tool.name]!(a)).map(([k, v]) => [k, String(v)]));
    return {
      surface: 'mcp',
      name: tool.name,
      fields: tool.fields,
      valid,
      send: async (values) => {
        const args = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
        const answer = await mcpCall(server.url, a.keys.member, 'tools/call', { name: tool.name, arguments: args });
        return answer.status;
      },
    };
  });
  const action: FuzzTarget[] = actions
    .filter((x) => !['signOutAction', 'signInWithGoogle', 'signInForDevelopment'].includes(x.name)) // they end the session or leave the app
    .map((x) => {
      const args = actionFixtures[x.name]!.args(a);
      const fields = args.kind === 'args' ? ['0'] : Object.keys(args.fields);
      const valid = args.kind === 'args' ? { 0: typeof args.args[0] === 'string' ? args.args[0] : '' } : (args.fields as Record<string, string>);
      const fuzzed = (values: Record<string, string | undefined>): ActionArgs => {
        if (args.kind !== 'args') return { kind: args.kind, fields: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<string, string> };
        const first = args.args[0];
        const value = values['0'];
        if (first && typeof first === 'object') return { kind: 'args', args: [Object.fromEntries(Object.keys(first).map((k) => [k, value ?? '']))] };
        return { kind: 'args', args: value === undefined ? [] : [value] };
      };
      return {
        surface: 'action',
        name: x.name,
        fields,
        valid,
        // A member's session: the fuzz must not demote or deactivate the admin whose rows it checks.
        send: async (values) => (await callAction(server.url, x, fuzzed(values), { cookie: cookies.aMember, host: hostOf(a), page: pageOf(x, a.skills.shared) })).status,
      };
    });
  return [...rest, ...mcp, ...action];
}

test('fuzz: hostile strings in every field of every operation, tool and action; no 5xx', async () => {
  test.setTimeout(Math.max(600_000, FUZZ_REQUESTS * 100));
  const targets = fuzzTargets();
  // REST and MCP answers are cheap, an action renders through Next: weighted so the run stays short.
  const weight = { rest: 4, mcp: 3, action: 1 } as const;
  const unit = FUZZ_REQUESTS / targets.reduce((sum, t) => sum + weight[t.surface], 0);
  const failures: string[] = [];
  const counts = { rest: 0, mcp: 0, action: 0 };
  const seconds_ = { rest: 0, mcp: 0, action: 0 };
  const started = performance.now();
  for (const target of targets) {
    const record = fc.record(Object.fromEntries(target.fields.map((f) => [f, fieldValue(target.valid[f])])) as Record<string, fc.Arbitrary<string | undefined>>);
    const samples = fc.sample(record, { numRuns: Math.ceil(unit * weight[target.surface]), seed: Number(process.env.FUZZ_SEED ?? 20261206) });
    const targetStarted = performance.now();
    // A few requests in flight at once, as clients send them.
    for (let i = 0; i < samples.length; i += 8) {
      const statuses = await Promise.all(samples.slice(i, i + 8).map((values) => target.send(values).catch((error: Error) => -1 * (error.message.length || 1))));
      statuses.forEach((status, j) => {
        counts[target.surface]++;
        if (status >= 500 || status < 0) failures.push(`${target.surface} ${target.name} → ${status} with ${JSON.stringify(samples[i + j]).slice(0, 300)}`);
      });
    }
    seconds_[target.surface] += (performance.now() - targetStarted) / 1000;
  }
  const seconds = (performance.now() - started) / 1000;
  const total = counts.rest + counts.mcp + counts.action;
  test.info().annotations.push({
    type: 'fuzz',
    description: `${total} requests (${counts.rest} REST in ${seconds_.rest.toFixed(0)} s, ${counts.mcp} MCP in ${seconds_.mcp.toFixed(0)} s, ${counts.action} actions in ${seconds_.action.toFixed(0)} s) over ${targets.length} operations in ${seconds.toFixed(1)} s; ${failures.length} × 5xx`,
  });
  console.log(`fuzz: ${test.info().annotations.at(-1)?.description}`);
  expect(failures.slice(0, 20)).toEqual([]);
  expect(total).toBeGreaterThanOrEqual(FUZZ_REQUESTS);
});

test('after the matrix and the fuzz: tenant B’s rows are exactly as before; tenant A lost none', async () => {
  test.setTimeout(120_000);
  await server.stop(); // the embedded database allows one process
  const after = await tenantRows(dbEnv, [fx.a.tenantId, fx.b.tenantId]);
  expect(after.tables).toEqual(rowsBefore.tables);
  const b = (rows: TenantRows) => rows.tenants[fx.b.tenantId]!;
  // Keys of B are never used here, so even their last-used time stays.
  expect(b(after)).toEqual(b(rowsBefore));
  const a = (rows: TenantRows) => rows.tenants[fx.a.tenantId]!;
  for (const table of after.tables) {
    const lost = (a(rowsBefore)[table]?.ids ?? []).filter((id) => !(a(after)[table]?.ids ?? []).includes(id));
    expect(lost, `rows of ${table} lost`).toEqual([]);
  }
});
