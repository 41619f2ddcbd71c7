import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '@everyskill/db';
import { mode, uniqueSlug } from '@everyskill/db/testing';

const run = promisify(execFile);
const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = path.join(webDir, 'node_modules/.bin/tsx');
let dataDir: string;

/** The real entry point in its own process: PGlite in a temporary EVERYSKILL_DATA_DIR, or the test server. */
async function everyskill(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, EVERYSKILL_DATA_DIR: dataDir };
  if (mode === 'pglite') {
    delete env.DATABASE_URL;
    delete env.DATABASE_OWNER_URL;
  }
  try {
    const { stdout, stderr } = await run(tsx, ['scripts/everyskill.ts', ...argv], { cwd: webDir, env, timeout: 60_000 });
    return { status: 0, out: stdout.trim(), err: stderr.trim() };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof e.code === 'number' ? e.code : -1, out: (e.stdout ?? '').trim(), err: (e.stderr ?? '').trim() };
  }
}

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'everyskill-cli-'));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe(`pnpm everyskill admin, as a process (${mode})`, () => {
  // Needs a database it can leave unmigrated: a fresh embedded one (the PostgreSQL run shares one migrated server).
  const pgliteOnly = mode === 'pglite' ? it : () => undefined;
  pgliteOnly('refuses to work on a database with pending migrations', async () => {
    const result = await everyskill('admin', 'tenant', 'list');
    expect(result).toMatchObject({ status: 1, err: expect.stringContaining('pnpm db:migrate') });
  });

  it('creates and lists a tenant', async () => {
    if (mode === 'pglite') {
      const handle = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
      await migrate(handle);
      await handle.close();
    }
    const slug = uniqueSlug('proc');
    const created = await everyskill('admin', 'tenant', 'create', '--slug', slug, '--name', 'Process Corp', '--domain', `${slug}.test`);
    expect(created).toMatchObject({ status: 0, out: expect.stringContaining(`created tenant ${slug}`) });
    const listed = await everyskill('admin', 'tenant', 'list');
    expect(listed.out).toContain(`${slug}\tactive\t0 members\tProcess Corp\t${slug}.test (email)`);
  });

  it('answers a bad command line with usage and status 2, without opening the database', async () => {
    expect(await everyskill('--', 'admin', 'tenant')).toMatchObject({ status: 2, err: expect.stringContaining('Usage: pnpm everyskill admin') });
    expect(await everyskill('tenant', 'list')).toMatchObject({ status: 2, err: expect.stringContaining('Usage: pnpm everyskill admin') });
  });
});
