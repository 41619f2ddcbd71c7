// Acceptance 2 (service level): publishing mutated archives never leaves partial rows or blobs.
// The bundle reader's own property tests cover 10 000 inputs; these runs go through publishSkill
// and the database, so a few hundred keep the suite quick.
import fc from 'fast-check';
import { rowsOf, skillVersions, sql, withTenant } from '@everyskill/db';
import type { TestDatabases } from '@everyskill/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors';
import { writeTarGz, writeZip } from '../src/skills/bundle/write-archive';
import { publishSkill } from '../src/skills/publish-skill';
import { countSkillRows, createSkillsTenant, MemoryBlobStore, mode, openTestDatabases, skillFolder, skillsCtx } from './skills-fixtures';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await openTestDatabases();
});
afterAll(async () => {
  await dbs?.close();
});

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
);

function mutate(input: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = input;
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    if (m.kind === 'flip') {
      bytes = bytes.slice();
      if (bytes.length > 0) bytes[at] = m.byte;
    } else if (m.kind === 'truncate') {
      bytes = bytes.slice(0, at);
    } else if (m.kind === 'insert') {
      bytes = new Uint8Array([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
    } else {
      bytes = new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + m.length)]);
    }
  }
  return bytes;
}

describe(`publishSkill with mutated archives (${mode})`, () => {
  it('either publishes completely or refuses with invalid_input, leaving no rows and no blobs', async () => {
    const tenant = await createSkillsTenant(dbs);
    const blobs = new MemoryBlobStore();
    const ctx = skillsCtx(dbs.app.db, tenant.tenantId, tenant.author, blobs);
    const files = skillFolder('mutant', {
      description: 'A skill whose archive gets damaged on purpose.',
      files: { 'scripts/run.sh': '#!/bin/sh\necho "run"\n', 'references/guide.md': '# Guide\n\nSome text to compress.\n'.repeat(20) },
    });
    const originals = { zip: writeZip(files), 'tar.gz': await writeTarGz(files) };
    let refusedCount = 0;
    let publishedCount = 0;

    await fc.assert(
      fc.asyncProperty(fc.constantFrom('zip' as const, 'tar.gz' as const), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (format, mutations) => {
        const bytes = mutate(originals[format], mutations);
        const before = await countSkillRows(dbs, tenant.tenantId);
        const putsBefore = blobs.puts;
        const blobsBefore = blobs.blobs.size;
        try {
          const result = await publishSkill(ctx, { source: { kind: 'archive', fileName: `mutant.${format}`, bytes } });
          publishedCount++;
          const after = await countSkillRows(dbs, tenant.tenantId);
          expect(after.versions! - before.versions!).toBe(result.created ? 1 : 0);
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'invalid_input') throw error;
          refusedCount++;
          expect(await countSkillRows(dbs, tenant.tenantId)).toEqual(before);
          expect(blobs.puts).toBe(putsBefore);
          expect(blobs.blobs.size).toBe(blobsBefore);
        }
      }),
      { numRuns: 300 },
    );

    // Every version row points at a stored blob, and every stored blob belongs to a version.
    const keys = await withTenant(dbs.app.db, tenant.tenantId, (tx) => tx.select({ key: skillVersions.blobKey }).from(skillVersions));
    expect(new Set(keys.map((k) => k.key))).toEqual(new Set(blobs.blobs.keys()));
    const orphans = rowsOf<{ n: number }>(
      await withTenant(dbs.app.db, tenant.tenantId, (tx) =>
        tx.execute(sql`SELECT count(*)::int AS n FROM skills s WHERE s.latest_version_id IS NULL`),
      ),
    );
    expect(orphans[0]?.n).toBe(0);
    console.log(`mutated archives: ${refusedCount} refused, ${publishedCount} published (${mode})`);
    expect(refusedCount).toBeGreaterThan(100);
  }, 600_000);
});
