// bench:web — the portal's main pages on the built app, signed in: Lighthouse category scores
// (desktop and mobile profiles, Debian's Chromium) and the compressed JavaScript each page loads
// on a cold cache. Starts the standalone server on a fresh embedded database seeded with the demo
// workspace and its sample skills, signs in with the development sign-in, prints a table (stderr)
// and one JSON document (stdout, also written to .data/bench/web.json).
//
// Needs: a build (`pnpm build`) and /usr/bin/chromium.
// Knobs: BENCH_RUNS (3 Lighthouse runs per page and profile; the run with the median performance
// score is kept), BENCH_PAGES (comma-separated page names, default all), BENCH_PROFILES
// (desktop,mobile), BENCH_BASELINE=off (skip the baseline).
//
// The baseline, measured in the same run: a bare Next.js App Router page (bench/web-baseline:
// the portal's versions of Next and React, markup like /skills, no JavaScript of its own), built
// on demand. What it ships and scores is the framework's floor on this machine, so a page's
// figures read against it rather than against a machine that may be busier today.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Cookie } from '@playwright/test';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { type Config, type Flags } from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../../apps/web/e2e/support/chromium';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const standalone = path.join(root, 'apps/web/.next/standalone/apps/web/server.js');
const baselineDir = path.join(root, 'bench/web-baseline');
const withBaseline = process.env.BENCH_BASELINE !== 'off';
const run = promisify(execFile);
const log = (line: string) => console.error(`bench:web: ${line}`);

/** The pages measured: every main page a signed-in person (an admin, for /admin) opens first. */
const PAGES = [
  { name: 'home', path: '/' },
  { name: 'skills', path: '/skills' },
  { name: 'search', path: '/search?q=database%20migration' },
  { name: 'skill', path: '/skills/postgres-migration-review' },
  { name: 'publish', path: '/skills/new' },
  { name: 'admin-members', path: '/admin/members' },
] as const;
type PageName = (typeof PAGES)[number]['name'];

/** The targets of the portal (docs/architecture.md, "Page speed and accessibility"). */
const TARGETS = {
  performance: 95,
  accessibility: 100,
  firstLoadJsKb: { skills: 110, search: 110, skill: 140 } as Partial<Record<PageName, number>>,
};
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
type Category = (typeof CATEGORIES)[number];
const PROFILES = ['desktop', 'mobile'] as const;
type Profile = (typeof PROFILES)[number];

const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const onlyPages = process.env.BENCH_PAGES?.split(',').map((s) => s.trim()).filter(Boolean);
const pages = PAGES.filter((p) => !onlyPages || onlyPages.includes(p.name));
const profiles = (process.env.BENCH_PROFILES?.split(',').map((s) => s.trim()) ?? [...PROFILES]).filter((p): p is Profile =>
  (PROFILES as readonly string[]).includes(p),
);

if (!existsSync(standalone)) {
  log(`${standalone} is missing: run \`pnpm build\` first`);
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  log(`${CHROMIUM} is missing: install Debian's chromium (scripts/install-system-deps.sh)`);
  process.exit(2);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

/** Compressed bytes of every script a cold, signed-in load of the page fetches (the transfer, as the network saw it). */
async function firstLoadJs(context: BrowserContext, url: string): Promise<{ bytes: number; files: ScriptFile[]; finalPath: string }> {
  const page = await context.newPage();
  const sizes: Promise<ScriptFile>[] = [];
  page.on('requestfinished', (request) => {
    if (request.resourceType() === 'script') sizes.push(request.sizes().then((s) => ({ path: new URL(request.url()).pathname, bytes: s.responseBodySize })));
  });
  const response = await page.goto(url, { waitUntil: 'networkidle' });
  if (!response?.ok()) throw new Error(`${url} answered ${response?.status()}`);
  const finalPath = new URL(page.url()).pathname;
  const files = (await Promise.all(sizes)).sort((a, b) => b.bytes - a.bytes);
  await page.close();
  return { bytes: files.reduce((sum, f) => sum + f.bytes, 0), files, finalPath };
}

/** One script a page loaded: its path on the server and its compressed size. */
interface ScriptFile {
  path: string;
  bytes: number;
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

interface LighthouseResult {
  scores: Record<Category, number>;
  metrics: { fcpMs: number; lcpMs: number; tbtMs: number; cls: number; speedIndexMs: number };
  scriptTransferBytes: number;
  failedAudits: Partial<Record<Category, string[]>>;
}

async function lighthouseOnce(port: number, url: string, profile: Profile, cookieHeader: string): Promise<LighthouseResult> {
  const flags: Flags = {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: [...CATEGORIES],
    extraHeaders: cookieHeader ? { Cookie: cookieHeader } : {},
  };
  const config: Config | undefined = profile === 'desktop' ? desktopConfig : undefined;
  const result = await lighthouse(url, flags, config);
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.message}`);
  const score = (c: Category) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
  const numeric = (id: string) => Math.round(lhr.audits[id]?.numericValue ?? Number.NaN);
  const resourceItems = (lhr.audits['resource-summary']?.details as { items?: { resourceType: string; transferSize: number }[] } | undefined)?.items ?? [];
  const failedAudits: Partial<Record<Category, string[]>> = {};
  for (const category of CATEGORIES) {
    const failed = (lhr.categories[category]?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 0.9)
      .map((ref) => ref.id);
    if (failed.length > 0) failedAudits[category] = failed;
  }
  return {
    scores: Object.fromEntries(CATEGORIES.map((c) => [c, score(c)])) as Record<Category, number>,
    metrics: {
      fcpMs: numeric('first-contentful-paint'),
      lcpMs: numeric('largest-contentful-paint'),
      tbtMs: numeric('total-blocking-time'),
      cls: Math.round((lhr.audits['cumulative-layout-shift']?.numericValue ?? 0) * 1000) / 1000,
      speedIndexMs: numeric('speed-index'),
    },
    scriptTransferBytes: resourceItems.find((i) => i.resourceType === 'script')?.transferSize ?? 0,
    failedAudits,
  };
}

/** BENCH_RUNS runs, keeping the one with the median performance score (Lighthouse's own advice against noise). */
async function lighthouseMedian(port: number, url: string, profile: Profile, cookieHeader: string): Promise<LighthouseResult & { performanceRuns: number[] }> {
  const results: LighthouseResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await lighthouseOnce(port, url, profile, cookieHeader));
  const sorted = [...results].sort((a, b) => a.scores.performance - b.scores.performance);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { ...median, performanceRuns: results.map((r) => r.scores.performance) };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'everyskill-bench-web-'));
const appPort = await freePort();
const origin = `http://localhost:${appPort}`;
const serverEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  APP_ENV: 'test',
  APP_URL: origin,
  ROOT_DOMAIN: 'localhost',
  DEV_TENANT_SLUG: 'demo',
  AUTH_DEV_SIGN_IN: 'on',
  EVERYSKILL_DATA_DIR: dataDir,
  PORT: String(appPort),
  HOSTNAME: '127.0.0.1',
  LOG_LEVEL: 'warn',
};

// An embedded database: never a PostgreSQL the shell happens to point at.
delete serverEnv.DATABASE_URL;
delete serverEnv.DATABASE_OWNER_URL;

let server: ChildProcess | null = null;
let baselineServer: ChildProcess | null = null;
let chrome: chromeLauncher.LaunchedChrome | null = null;
try {
  log('seeding a fresh embedded database with the demo workspace and its sample skills');
  await run('pnpm', ['--filter', '@everyskill/web', 'run', 'seed'], { cwd: root, env: serverEnv });
  server = spawn(process.execPath, [standalone], { env: serverEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForHealth(`${origin}/api/health`, server);

  let baselineOrigin: string | null = null;
  if (withBaseline) {
    log('building the baseline (a bare Next.js page, bench/web-baseline)');
    await run('pnpm', ['--filter', '@everyskill/bench-web-baseline', 'run', '--silent', 'build:baseline'], { cwd: root });
    const baselinePort = await freePort();
    baselineOrigin = `http://localhost:${baselinePort}`;
    baselineServer = spawn(process.execPath, [path.join(baselineDir, 'node_modules/next/dist/bin/next'), 'start', '--port', String(baselinePort), '--hostname', '127.0.0.1'], {
      cwd: baselineDir,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitForHealth(`${baselineOrigin}/`, baselineServer);
  }

  log('signing in as ada@demo.test (admin) with the development sign-in');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ baseURL: origin });
  const signIn = await context.newPage();
  await signIn.goto('/sign-in');
  const form = signIn.getByTestId('development-sign-in');
  await form.getByLabel('Email').fill('ada@demo.test');
  await form.getByRole('button', { name: 'Sign in for development' }).click();
  await signIn.waitForURL((url) => url.pathname !== '/sign-in');
  await signIn.close();
  const cookies: Cookie[] = await context.cookies();
  const cookieHeader = cookies.map((c) => `${c.name}=${c.value}`).join('; ');

  log('measuring first-load JavaScript (compressed) per page');
  const js: Partial<Record<PageName, { bytes: number; files: ScriptFile[] }>> = {};
  for (const page of pages) {
    // A fresh context per page: a cold cache, the session cookie only.
    const cold = await browser.newContext({ baseURL: origin });
    await cold.addCookies(cookies);
    await firstLoadJs(cold, page.path); // warm the server's own caches (compiled routes, database)
    await cold.close();
    const measured = await browser.newContext({ baseURL: origin });
    await measured.addCookies(cookies);
    const result = await firstLoadJs(measured, page.path);
    await measured.close();
    if (result.finalPath !== new URL(page.path, origin).pathname) throw new Error(`${page.path} ended at ${result.finalPath}: not signed in?`);
    js[page.name] = { bytes: result.bytes, files: result.files };
  }
  let baselineJs: { bytes: number; files: ScriptFile[] } | null = null;
  if (baselineOrigin) {
    const warm = await browser.newContext();
    await firstLoadJs(warm, `${baselineOrigin}/`); // warm, as for the pages
    await warm.close();
    const measured = await browser.newContext();
    baselineJs = await firstLoadJs(measured, `${baselineOrigin}/`);
    await measured.close();
  }
  await browser.close();

  chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: ['--headless=new', ...CHROMIUM_ARGS] });
  let baseline: Record<string, unknown> | null = null;
  if (baselineOrigin && baselineJs) {
    baseline = { path: '/', firstLoadJsKb: kb(baselineJs.bytes), scripts: baselineJs.files.length };
    for (const profile of profiles) {
      log(`Lighthouse ${profile} baseline (${runs} run${runs === 1 ? '' : 's'})`);
      baseline[profile] = await lighthouseMedian(chrome.port, `${baselineOrigin}/`, profile, '');
    }
  }
  const report = [];
  for (const page of pages) {
    const files = js[page.name]?.files ?? [];
    // scriptFiles: which chunks make up the figure, largest first (compare two builds to see what moved).
    const entry: Record<string, unknown> = {
      page: page.name,
      path: page.path,
      firstLoadJsKb: kb(js[page.name]?.bytes ?? 0),
      scripts: files.length,
      scriptFiles: files.map((f) => ({ path: f.path, kb: kb(f.bytes) })),
    };
    const misses: string[] = [];
    const jsTarget = TARGETS.firstLoadJsKb[page.name];
    if (jsTarget !== undefined && (entry.firstLoadJsKb as number) > jsTarget) misses.push(`first-load JS ${entry.firstLoadJsKb} kB > ${jsTarget} kB`);
    for (const profile of profiles) {
      log(`Lighthouse ${profile} ${page.path} (${runs} run${runs === 1 ? '' : 's'})`);
      const result = await lighthouseMedian(chrome.port, `${origin}${page.path}`, profile, cookieHeader);
      // How far the page is from the framework's own floor in this run (negative: below it).
      const floor = baseline?.[profile] as LighthouseResult | undefined;
      entry[profile] = floor ? { ...result, performanceMinusBaseline: result.scores.performance - floor.scores.performance } : result;
      if (result.scores.performance < TARGETS.performance) misses.push(`${profile} performance ${result.scores.performance} < ${TARGETS.performance}`);
      if (result.scores.accessibility < TARGETS.accessibility)
        misses.push(`${profile} accessibility ${result.scores.accessibility} < ${TARGETS.accessibility} (${(result.failedAudits.accessibility ?? []).join(', ')})`);
    }
    entry.misses = misses;
    report.push(entry);
  }

  const rows = baseline ? [...report, { ...baseline, page: 'baseline (bare Next.js)', misses: ['the framework floor, no target'] }] : report;
  const table = [
    ['page', 'JS kB', ...profiles.flatMap((p) => [`${p} perf`, `${p} a11y`, `${p} bp`, `${p} seo`, `${p} TBT ms`, `${p} LCP ms`]), 'targets'],
    ...rows.map((e) => [
      String(e.page),
      String(e.firstLoadJsKb),
      ...profiles.flatMap((p) => {
        const r = e[p] as LighthouseResult;
        return [r.scores.performance, r.scores.accessibility, r.scores['best-practices'], r.scores.seo, r.metrics.tbtMs, r.metrics.lcpMs].map(String);
      }),
      (e.misses as string[]).length === 0 ? 'met' : (e.misses as string[]).join('; '),
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  console.error(table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n'));

  const document = {
    bench: 'web',
    at: new Date().toISOString(),
    lighthouse: (await import('lighthouse/package.json', { with: { type: 'json' } })).default.version,
    chromium: (await run(CHROMIUM, ['--version'])).stdout.trim(),
    runsPerPageAndProfile: runs,
    targets: TARGETS,
    // The framework's floor in this run (null with BENCH_BASELINE=off).
    baseline,
    pages: report,
    allTargetsMet: report.every((e) => (e.misses as string[]).length === 0),
  };
  const out = path.join(root, '.data/bench/web.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(JSON.stringify(document, null, 2));
} finally {
  chrome?.kill();
  if (baselineServer) {
    baselineServer.kill('SIGTERM');
    await new Promise((r) => baselineServer?.once('exit', r));
  }
  if (server) {
    server.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
  }
  rmSync(dataDir, { recursive: true, force: true });
}
