// Acceptance 1: every valid skill of the public corpus publishes through the real publishSkill
// into a test tenant, and every invalid one is refused with the problem INVALID.tsv names.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestDatabases } from '@everyskill/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors';
import { listSkills } from '../src/skills/list-skills';
import { publishSkill } from '../src/skills/publish-skill';
import { countSkillRows, createSkillsTenant, MemoryBlobStore, mode, openTestDatabases, skillsCtx } from './skills-fixtures';

/** `<repo>/../shared/corpus` (found from this file), or EVERYSKILL_CORPUS_DIR. */
function corpusDir(): string {
  if (process.env.EVERYSKILL_CORPUS_DIR) return path.resolve(process.env.EVERYSKILL_CORPUS_DIR);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('no pnpm-workspace.yaml above the corpus test');
    dir = parent;
  }
  return path.resolve(dir, '..', 'shared', 'corpus');
}

const CORPUS = corpusDir();

function readTsv(file: string): Record<string, string>[] {
  const [header = '', ...lines] = readFileSync(path.join(CORPUS, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const columns = header.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

/** The folder that held the SKILL.md in its source repository: the last `__` part of the id. */
const folderOf = (id: string) => id.split('__').at(-1)!;

/** The validation error (field and rule) each INVALID.tsv problem must produce. */
const EXPECTED_ERROR: Record<string, { path: string; code: string }> = {
  'bad-yaml': { path: 'frontmatter', code: 'yaml-syntax' },
  'compatibility-too-long': { path: 'compatibility', code: 'too-long' },
  'description-too-long': { path: 'description', code: 'too-long' },
  'metadata-not-a-mapping': { path: 'metadata', code: 'type' },
  'missing-description': { path: 'description', code: 'required' },
  'missing-name': { path: 'name', code: 'required' },
  'name-dir-mismatch': { path: 'name', code: 'mismatch' },
  'name-invalid-chars': { path: 'name', code: 'pattern' },
  'name-not-a-string': { path: 'name', code: 'type' },
  'name-uppercase': { path: 'name', code: 'pattern' },
  'name-uppercase-spaces': { path: 'name', code: 'pattern' },
  'no-frontmatter': { path: 'frontmatter', code: 'missing-frontmatter' },
};

let dbs: TestDatabases;

beforeAll(async () => {
  if (!existsSync(path.join(CORPUS, 'INVALID.tsv')) || !existsSync(path.join(CORPUS, 'skills'))) {
    throw new Error(
      `The skills corpus is missing at ${CORPUS}: check out shared/corpus beside the repository or set EVERYSKILL_CORPUS_DIR. ` +
        'This acceptance test does not pass without it.',
    );
  }
  dbs = await openTestDatabases();
}, 300_000);

afterAll(async () => {
  await dbs?.close();
});

describe(`skills corpus through publishSkill (${mode})`, () => {
  it('publishes all 481 valid skills', async () => {
    const ids = readdirSync(path.join(CORPUS, 'skills')).sort();
    expect(ids).toHaveLength(481);
    const tenant = await createSkillsTenant(dbs);
    const blobs = new MemoryBlobStore();
    const ctx = skillsCtx(dbs.app.db, tenant.tenantId, tenant.author, blobs);
    const failures: string[] = [];
    const started = performance.now();
    // PostgreSQL takes several publishes at once (as a busy portal would); PGlite is one connection.
    const queue = [...ids];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const bytes = readFileSync(path.join(CORPUS, 'skills', id, 'SKILL.md'));
        try {
          const result = await publishSkill(ctx, { source: { kind: 'files', files: [{ path: `${folderOf(id)}/SKILL.md`, bytes }] } });
          if (!result.created || result.skill.slug !== folderOf(id)) failures.push(`${id}: ${JSON.stringify(result)}`);
        } catch (error) {
          failures.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: mode === 'postgres' ? 4 : 1 }, worker));
    const seconds = (performance.now() - started) / 1000;
    console.log(`corpus: published ${ids.length - failures.length}/${ids.length} in ${seconds.toFixed(1)} s (${mode})`);
    expect(failures).toEqual([]);
    expect(await countSkillRows(dbs, tenant.tenantId)).toMatchObject({ skills: 481, versions: 481, audit: 481 });
    expect(blobs.blobs.size).toBe(481);
    expect((await listSkills(ctx, { pageSize: 1 })).total).toBe(481);
  }, 900_000);

  it('refuses all 30 invalid skills with the problem INVALID.tsv names, storing nothing', async () => {
    const rows = readTsv('INVALID.tsv');
    expect(rows).toHaveLength(30);
    const tenant = await createSkillsTenant(dbs);
    const blobs = new MemoryBlobStore();
    const ctx = skillsCtx(dbs.app.db, tenant.tenantId, tenant.author, blobs);
    const wrong: string[] = [];
    for (const row of rows) {
      const id = row.id!;
      const expected = EXPECTED_ERROR[row.problem!];
      if (!expected) throw new Error(`INVALID.tsv names a problem this test does not know: ${row.problem}`);
      const bytes = readFileSync(path.join(CORPUS, 'invalid', id, 'SKILL.md'));
      const error = await publishSkill(ctx, { source: { kind: 'files', files: [{ path: `${folderOf(id)}/SKILL.md`, bytes }] } }).then(
        () => null,
        (e: unknown) => e,
      );
      const errors = error instanceof AppError ? ((error.details as { errors?: { path: string; code: string }[] })?.errors ?? []) : [];
      const found = errors.some((e) => e.path === expected.path && e.code === expected.code);
      if (!(error instanceof AppError) || error.code !== 'invalid_input' || !found) {
        wrong.push(`${id} (${row.problem}): expected ${expected.path}/${expected.code}, got ${error instanceof Error ? error.message : 'success'}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(blobs.puts).toBe(0);
    expect(await countSkillRows(dbs, tenant.tenantId)).toMatchObject({ skills: 0, versions: 0, audit: 0 });
  }, 300_000);
});
