// What the hardening specs (cross-tenant matrix, fuzz) share: the two-tenant fixture, a server of
// the built app, raw HTTP with any Host header, and the three surfaces — REST operations from the
// app's OpenAPI document, MCP tools from the server's tool list, server actions from the source
// and the build's server-reference manifest — each discovered, so a new one needs a fixture.
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { encode } from 'next-auth/jwt';
import { webDir } from './paths';

const run = promisify(execFile);

export interface TenantFixture {
  tenantId: string;
  slug: string;
  people: Record<'admin' | 'reviewer' | 'member', { userId: string; email: string }>;
  /** `logout` is a spare key of the member's: the logout operation revokes the key it is sent with. */
  keys: { member: string; admin: string; logout: string };
  keyIds: { member: string; admin: string };
  domainId: string;
  jobId: string | null;
  skills: { shared: string; public: string; private: string };
  skillId: string;
  versionId: string;
}
export interface HardeningFixture {
  a: TenantFixture;
  b: TenantFixture;
}

export const AUTH_SECRET = 'hardening-e2e-auth-secret-0123456789abcdef';
const SESSION_COOKIE = 'authjs.session-token';

/** A session cookie for a person, as Auth.js would set it after sign-in (APP_ENV=test: not __Secure-). */
export async function sessionCookie(tenant: TenantFixture, role: 'admin' | 'member'): Promise<string> {
  const person = tenant.people[role];
  const token = await encode({
    token: { sub: person.userId, uid: person.userId, tid: tenant.tenantId, email: person.email, name: person.email, signedInAt: Date.now() },
    secret: AUTH_SECRET,
    salt: SESSION_COOKIE,
    maxAge: 8 * 60 * 60,
  });
  return `${SESSION_COOKIE}=${token}`;
}

/** Rows of each tenant, table by table (count, md5, ids): `tsx e2e/support/tenant-rows.ts`. */
export interface TenantRows {
  tables: string[];
  tenants: Record<string, Record<string, { count: number; md5: string | null; ids?: string[] }>>;
}
export async function tenantRows(env: NodeJS.ProcessEnv, tenantIds: string[]): Promise<TenantRows> {
  const out = await run('pnpm', ['exec', 'tsx', 'e2e/support/tenant-rows.ts', ...tenantIds], { cwd: webDir, env, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as TenantRows;
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** One HTTP request with exactly these headers (Host included, which fetch will not send). */
export function send(
  base: string,
  method: string,
  target: string,
  options: { headers?: Record<string, string>; body?: Buffer | string; host?: string } = {},
): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method,
        path: target,
        headers: { ...(options.host ? { host: options.host } : {}), ...options.headers, ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}) },
        timeout: 60_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${target} timed out`)));
    request.on('error', reject);
    request.end(options.body);
  });
}

// ---------------------------------------------------------------- REST (OpenAPI) ----

export interface RestOperation {
  operationId: string;
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  /** JSON body fields, or multipart form fields (`multipart`). */
  bodyFields: string[];
  multipart: boolean;
}

type Json = Record<string, unknown>;
const propertiesOf = (schema: unknown, document: Json): string[] => {
  let s = schema as Json | undefined;
  if (s && typeof s.$ref === 'string') s = resolveRef(document, s.$ref);
  return s && typeof s.properties === 'object' && s.properties ? Object.keys(s.properties as Json) : [];
};
function resolveRef(document: Json, ref: string): Json | undefined {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], document) as Json | undefined;
}

/** Every operation of the OpenAPI document, with the names of its inputs. */
export function restOperations(document: Json): RestOperation[] {
  const operations: RestOperation[] = [];
  // Paths are relative to the server's URL (…/api/v1).
  const base = new URL(String((document.servers as { url: string }[] | undefined)?.[0]?.url ?? 'http://x/')).pathname.replace(/\/+$/, '');
  for (const [route, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const operation = op as Json;
      const parameters = ((operation.parameters ?? []) as Json[]).map((p) => (typeof p.$ref === 'string' ? resolveRef(document, p.$ref)! : p));
      const content = ((operation.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
      const multipart = 'multipart/form-data' in content;
      const bodySchema = (content['application/json'] ?? content['multipart/form-data'])?.schema;
      operations.push({
        operationId: String(operation.operationId),
        method: method.toUpperCase(),
        path: `${base}${route}`,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => String(p.name)),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => String(p.name)),
        bodyFields: propertiesOf(bodySchema, document),
        multipart,
      });
    }
  }
  return operations.sort((x, y) => x.operationId.localeCompare(y.operationId));
}

/** A path segment escaped; text that is not valid Unicode (a lone surrogate) goes as the UTF-8 bytes Node sends for it. */
function escapeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
  }
}

/** The request for an operation with these values (path parameters escaped, the rest encoded as the API reads them). */
export function restRequest(op: RestOperation, values: Record<string, unknown>): { target: string; headers: Record<string, string>; body?: Buffer } {
  let target = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => escapeSegment(values[name] === undefined ? 'x' : String(values[name])));
  const query = new URLSearchParams();
  for (const name of op.queryParams) if (values[name] !== undefined) query.set(name, String(values[name]));
  if ([...query].length) target += `?${query}`;
  if (op.method === 'GET' || op.bodyFields.length === 0) return { target, headers: {} };
  if (op.multipart) {
    const { body, type } = multipartOf(Object.entries(values).filter(([k, v]) => op.bodyFields.includes(k) && v !== undefined).map(([k, v]) => [k, String(v)]));
    return { target, headers: { 'content-type': type }, body };
  }
  const json: Record<string, unknown> = {};
  for (const name of op.bodyFields) if (values[name] !== undefined) json[name] = values[name];
  return { target, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(json)) };
}

// ----------------------------------------------------------------------- MCP ----

export interface McpTool {
  name: string;
  fields: string[];
}

export async function mcpCall(base: string, key: string, method: string, params: unknown, host?: string): Promise<RawAnswer & { json: Json | null }> {
  const answer = await send(base, 'POST', '/api/mcp', {
    host,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  let json: Json | null = null;
  try {
    json = JSON.parse(answer.body) as Json;
  } catch {
    json = null;
  }
  return { ...answer, json };
}

/** The tools the MCP server lists, with their argument names. */
export async function mcpTools(base: string, key: string): Promise<McpTool[]> {
  const listed = await mcpCall(base, key, 'tools/list', {});
  const tools = ((listed.json?.result as Json | undefined)?.tools ?? []) as { name: string; inputSchema?: { properties?: Json } }[];
  return tools.map((t) => ({ name: t.name, fields: Object.keys(t.inputSchema?.properties ?? {}) })).sort((x, y) => x.name.localeCompare(y.name));
}

/** What a tools/call answered: the tool's text and whether it is an error. */
export function toolResult(answer: { json: Json | null }): { isError: boolean; text: string } {
  const result = answer.json?.result as { isError?: boolean; content?: { text?: string }[] } | undefined;
  if (!result) return { isError: true, text: JSON.stringify(answer.json?.error ?? answer.json) };
  return { isError: result.isError === true, text: (result.content ?? []).map((c) => c.text ?? '').join('\n') };
}

// ------------------------------------------------------------- server actions ----

export interface ServerAction {
  id: string;
  name: string;
  file: string;
  /** The page worker that holds the action, e.g. `app/(portal)/skills/[slug]/page`. */
  worker: string;
}

/** Every server action exported by a `'use server'` file under src, by name and file. */
export function sourceActions(): { name: string; file: string }[] {
  const found: { name: string; file: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.includes('.test.')) {
        const text = readFileSync(full, 'utf8');
        if (!/^\s*['"]use server['"]/.test(text)) continue;
        for (const m of text.matchAll(/^export\s+async\s+function\s+([A-Za-z0-9_]+)/gm)) {
          found.push({ name: m[1]!, file: path.relative(path.resolve(webDir, '../..'), full) });
        }
      }
    }
  };
  walk(path.join(webDir, 'src'));
  return found.sort((x, y) => x.name.localeCompare(y.name));
}

/** The actions of the build, with their ids (`.next/server/server-reference-manifest.json`). */
export function builtActions(): ServerAction[] {
  const manifest = JSON.parse(readFileSync(path.join(webDir, '.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName?: string; filename?: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node)
    .map(([id, entry]) => ({ id, name: entry.exportedName ?? '', file: entry.filename ?? '', worker: Object.keys(entry.workers).sort((x, y) => x.length - y.length)[0]! }))
    .sort((x, y) => x.name.localeCompare(y.name));
}

/** A URL of the page that holds the action (route groups dropped, `[param]` filled in). */
export function pageOf(action: ServerAction, slug: string): string {
  const route = action.worker
    .replace(/^app/, '')
    .replace(/\/page$/, '')
    .split('/')
    .filter((s) => !/^\(.*\)$/.test(s))
    .map((s) => (s === '[slug]' ? slug : s === '[id]' ? '00000000-0000-4000-8000-000000000000' : s))
    .join('/');
  return route || '/';
}

/** How an action is called: (state, FormData) like useActionState, (FormData) like a form, or plain arguments. */
export type ActionArgs = { kind: 'state-form'; fields: Record<string, string | Blob> } | { kind: 'form'; fields: Record<string, string | Blob> } | { kind: 'args'; args: unknown[] };

function multipartOf(entries: [string, string][]): { body: Buffer; type: string } {
  const boundary = `----hardening${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of entries) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name.replace(/["\r\n]/g, '_')}"\r\n\r\n`), Buffer.from(value, 'utf8'), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

// React's own reply encoder, the one Next's client uses, so the body is exactly what a browser sends.
const { encodeReply } = createRequire(import.meta.url)('next/dist/compiled/react-server-dom-webpack/client.node.js') as {
  encodeReply: (value: unknown) => Promise<string | FormData>;
};

/** The body React's client sends for a server action call with these arguments. */
export async function encodeActionBody(args: ActionArgs): Promise<{ body: Buffer; type: string }> {
  let value: unknown[];
  if (args.kind === 'args') value = args.args;
  else {
    const form = new FormData();
    for (const [name, field] of Object.entries(args.fields)) form.append(name, field);
    value = args.kind === 'state-form' ? [{ status: 'idle' }, form] : [form];
  }
  const encoded = await encodeReply(value);
  if (typeof encoded === 'string') return { body: Buffer.from(encoded, 'utf8'), type: 'text/plain;charset=UTF-8' };
  const request = new Request('http://encoder.invalid/', { method: 'POST', body: encoded });
  return { body: Buffer.from(await request.arrayBuffer()), type: request.headers.get('content-type')! };
}

/** Calls a server action over HTTP as the browser does (`Next-Action` header), with the cookie and host given. */
export async function callAction(
  base: string,
  action: ServerAction,
  args: ActionArgs,
  options: { cookie?: string; host: string; page: string },
): Promise<RawAnswer> {
  const { body, type } = await encodeActionBody(args);
  return send(base, 'POST', options.page, {
    host: options.host,
    headers: {
      'next-action': action.id,
      accept: 'text/x-component',
      'content-type': type,
      origin: `http://${options.host}`,
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    body,
  });
}

/** What an action's answer says: its returned state's status (or a refusal before it ran). */
export function actionOutcome(answer: RawAnswer): 'ok' | 'refused' | 'redirect' | 'unknown' {
  if (answer.status === 403 || answer.status === 401 || answer.status === 404 || answer.status === 400) return 'refused';
  if (answer.status === 303 || answer.headers['x-action-redirect']) return 'redirect';
  // The action's return value is the row the first one points at ("a":"$@1"); the rest of the
  // answer may be the page rendered again, whose text proves nothing.
  const row = /"a":"\$@([0-9a-f]+)"/.exec(answer.body)?.[1];
  const line = row ? new RegExp(`^${row}:(.*)$`, 'm').exec(answer.body)?.[1] ?? '' : answer.body;
  // Action states: {status: 'error'}, {ok: false}, or the sign-in form's {error: '…'}.
  if (/"status":"error"|"ok":false|^\{"error":"/.test(line)) return 'refused';
  if (/"status":"(ok|created)"|"ok":true/.test(line)) return 'ok';
  return 'unknown';
}
