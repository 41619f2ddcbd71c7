import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect, test } from './support/test';
import { OpenApiValidator } from './support/openapi-validator';
import { webDir } from './support/paths';
import { prepareDatabase } from './support/prepare-database';
import { startStandalone, type RunningServer } from './support/standalone';

// Acceptance of agent search, against the built app: with the public skills corpus published in
// one tenant, REST /api/v1/search and the MCP tool search_skills give, for 30 queries of the
// search benchmark, the portal's top 10 in the portal's order (what searchSkills answered before
// the server started, and what the portal page shows); with the embedding service failing, both
// still answer, from words, flagged degraded.

const run = promisify(execFile);
test.describe.configure({ mode: 'serial' });

interface Fixture {
  tenantId: string;
  slug: string;
  memberEmail: string;
  skills: number;
  key: string;
  /** Query → the portal's top 10 slugs (hybrid), and keyword-only (what a degraded search gives). */
  portal: Record<string, string[]>;
  keyword: Record<string, string[]>;
  /** The portal's answer to one query narrowed to the category of its best hit (at most 50). */
  filtered: { q: string; category: string; slugs: string[] };
}

interface SearchAnswer {
  query: string;
  items: {
    slug: string;
    name: string;
    description: string;
    latestVersion: string | null;
    position: number;
    score: number;
    match: 'words' | 'meaning' | 'both';
    matchedBy: string[];
    status: string;
    category: string;
    usesCount: number;
    installsCount: number;
    ratingAvg: number;
  }[];
  hasMore: boolean;
  degraded: boolean;
  degradedReason: string | null;
}

let fx: Fixture;
let server: RunningServer;
let openapi: OpenApiValidator;
let dataDir: string;
let serverVars: Record<string, string | undefined>;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'everyskill-search-e2e-'));
  const dbVars = process.env.DATABASE_URL
    ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_OWNER_URL: process.env.DATABASE_OWNER_URL }
    : { EVERYSKILL_DATA_DIR: dataDir };
  const env = { ...process.env, ...dbVars };
  await prepareDatabase(env);
  const seeded = await run('pnpm', ['exec', 'tsx', 'e2e/support/seed-search-corpus.ts'], { cwd: webDir, env, maxBuffer: 10 * 1024 * 1024 });
  fx = JSON.parse(seeded.stdout.trim().split('\n').at(-1)!) as Fixture;
  serverVars = {
    APP_ENV: 'test',
    ROOT_DOMAIN: 'localhost',
    DEV_TENANT_SLUG: fx.slug,
    LOG_LEVEL: 'warn',
    ...dbVars,
    STORAGE_DRIVER: 'local',
    STORAGE_LOCAL_DIR: path.join(dataDir, 'blobs'),
    API_RATE_LIMIT_PER_KEY: '100000',
    API_RATE_LIMIT_PER_TENANT: '100000',
    // This suite checks ranking, not the deadline: a busy machine must not turn a search degraded.
    SEARCH_EMBED_TIMEOUT_MS: '10000',
  };
  server = await startStandalone(serverVars, { appUrlOnPort: true });
  openapi = new OpenApiValidator((await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as Record<string, unknown>);
});

test.afterAll(async () => {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** GET /api/v1/search with the corpus member's key; the answer is checked against the OpenAPI document. */
async function restSearch(params: Record<string, string>): Promise<SearchAnswer> {
  const url = `${server.url}/api/v1/search?${new URLSearchParams(params)}`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${fx.key}` } });
  const body = (await response.json()) as SearchAnswer;
  openapi.check('GET', url, response.status, response.headers.get('content-type'), body);
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body;
}

async function connectMcp(): Promise<Client> {
  const client = new Client({ name: 'everyskill-search-e2e', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/api/mcp`), { requestInit: { headers: { authorization: `Bearer ${fx.key}` } } }),
  );
  return client;
}

async function mcpSearch(client: Client, args: Record<string, unknown>): Promise<SearchAnswer> {
  const result = (await client.callTool({ name: 'search_skills', arguments: args })) as { isError?: boolean; content: { text: string }[] };
  expect(result.isError ?? false, result.content[0]?.text).toBe(false);
  return JSON.parse(result.content[0]!.text) as SearchAnswer;
}

const slugs = (answer: SearchAnswer) => answer.items.map((item) => item.slug);

test('REST and MCP give the portal’s top 10, in the portal’s order, for the search benchmark’s queries', async () => {
  test.setTimeout(180_000);
  const queries = Object.keys(fx.portal);
  expect(fx.skills).toBeGreaterThanOrEqual(400);
  expect(queries.length).toBeGreaterThanOrEqual(20);
  // The comparison means something only when the portal finds things: most queries fill a page.
  expect(queries.filter((q) => fx.portal[q]!.length === 10).length).toBeGreaterThanOrEqual(20);
  // And only when another ranking would differ: keyword-only search orders many of them otherwise.
  expect(queries.filter((q) => JSON.stringify(fx.portal[q]) !== JSON.stringify(fx.keyword[q])).length).toBeGreaterThanOrEqual(10);

  const client = await connectMcp();
  const differences: string[] = [];
  try {
    for (const q of queries) {
      const expected = fx.portal[q]!;
      const rest = await restSearch({ q, limit: '10' });
      const mcp = await mcpSearch(client, { query: q, limit: 10 });
      for (const [surface, answer] of [['REST', rest], ['MCP', mcp]] as const) {
        if (answer.degraded) differences.push(`${surface} "${q}": degraded (${answer.degradedReason})`);
        if (JSON.stringify(slugs(answer)) !== JSON.stringify(expected)) {
          differences.push(`${surface} "${q}": ${JSON.stringify(slugs(answer))}, the portal: ${JSON.stringify(expected)}`);
        }
      }
      expect(mcp.items).toEqual(rest.items);
    }
  } finally {
    await client.close();
  }
  expect(differences).toEqual([]);

  // Each result says what an agent needs to choose: name, description, version, score, why it matched, use.
  const answer = await restSearch({ q: queries[0]!, limit: '10' });
  expect(answer.query).toBe(queries[0]);
  answer.items.forEach((item, i) => {
    expect(item).toMatchObject({
      name: expect.any(String),
      description: expect.any(String),
      latestVersion: '1.0.0',
      position: i + 1,
      score: expect.any(Number),
      match: expect.stringMatching(/^(words|meaning|both)$/),
      status: 'published',
      usesCount: 0,
      installsCount: 0,
      ratingAvg: 0,
    });
    if (i > 0) expect(item.score).toBeLessThanOrEqual(answer.items[i - 1]!.score);
  });
});

test('the portal page shows the same first ten as the API', async ({ page }) => {
  await page.goto(`${server.url}/sign-in?callbackUrl=${encodeURIComponent('/')}`);
  await page.getByTestId('development-sign-in').getByLabel('Email').fill(fx.memberEmail);
  await page.getByRole('button', { name: 'Sign in for development' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
  for (const q of Object.keys(fx.portal).slice(0, 3)) {
    await page.goto(`${server.url}/search?${new URLSearchParams({ q })}`);
    await expect(page.getByTestId('search-result').first()).toBeVisible();
    // Each result's first link is the skill's name (the corpus's names are their slugs).
    const shown = await page.getByTestId('search-result').evaluateAll((items) => items.map((li) => li.querySelector('a')?.textContent ?? ''));
    expect(shown.slice(0, 10), q).toEqual(fx.portal[q]);
    expect(shown.slice(0, 10), q).toEqual(slugs(await restSearch({ q, limit: '10' })));
  }
});

test('category and tag filters narrow REST and MCP searches as they narrow the portal’s', async () => {
  const { q, category, slugs: expected } = fx.filtered;
  expect(expected.length).toBeGreaterThan(0);
  const rest = await restSearch({ q, category, limit: '50' });
  expect(slugs(rest)).toEqual(expected);
  expect(rest.items.every((item) => item.category === category)).toBe(true);
  const client = await connectMcp();
  try {
    expect(slugs(await mcpSearch(client, { query: q, category, limit: 50 }))).toEqual(expected);
    // The corpus is loaded without tags: a tag filter leaves nothing.
    expect((await mcpSearch(client, { query: q, tag: 'no-such-tag' })).items).toEqual([]);
    const refused = (await client.callTool({ name: 'search_skills', arguments: { query: q, category: 'slides' } })) as { isError?: boolean };
    expect(refused.isError).toBe(true);
  } finally {
    await client.close();
  }
  expect((await restSearch({ q, tag: 'no-such-tag' })).items).toEqual([]);
  const bad = await fetch(`${server.url}/api/v1/search?${new URLSearchParams({ q, category: 'slides' })}`, { headers: { authorization: `Bearer ${fx.key}` } });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ error: { code: 'invalid_input', message: expect.stringContaining('category') } });
});

test('with the embedding service failing, REST and MCP still answer from words, flagged degraded', async () => {
  test.setTimeout(120_000);
  // A stand-in for Voyage's embeddings endpoint that is down (503 to every request).
  let calls = 0;
  const voyage = http.createServer((request, response) => {
    calls++;
    request.resume();
    response.writeHead(503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ detail: 'service unavailable' }));
  });
  await new Promise<void>((resolve) => voyage.listen(0, '127.0.0.1', resolve));
  await server.stop();
  try {
    server = await startStandalone(
      {
        ...serverVars,
        VOYAGE_API_KEY: 'e2e-voyage-key',
        VOYAGE_BASE_URL: `http://127.0.0.1:${(voyage.address() as AddressInfo).port}/v1`,
      },
      { appUrlOnPort: true },
    );
    const client = await connectMcp();
    try {
      for (const q of Object.keys(fx.keyword).slice(0, 20)) {
        const rest = await restSearch({ q, limit: '10' });
        const mcp = await mcpSearch(client, { query: q, limit: 10 });
        for (const answer of [rest, mcp]) {
          expect(answer.degraded, q).toBe(true);
          expect(answer.degradedReason, q).toMatch(/voyage/);
          expect(slugs(answer), q).toEqual(fx.keyword[q]);
          expect(answer.items.every((item) => item.match === 'words'), q).toBe(true);
        }
      }
    } finally {
      await client.close();
    }
    expect(calls).toBeGreaterThan(0);
  } finally {
    await new Promise((resolve) => voyage.close(resolve));
  }
});
