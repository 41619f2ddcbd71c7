// Acceptance 5 (core): publishing while the blob store is down fails with a clear `unavailable`
// error and writes no row at all — neither skill, version nor audit entry. The same check against
// the S3 driver pointed at a closed port lives with the web app's blob store wiring.
import type { TestDatabases } from '@everyskill/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors';
import { getSkill } from '../src/skills/get-skill';
import { publishSkill } from '../src/skills/publish-skill';
import { countSkillRows, createSkillsTenant, MemoryBlobStore, mode, openTestDatabases, skillFolder, skillsCtx } from './skills-fixtures';

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await openTestDatabases();
});
afterAll(async () => {
  await dbs?.close();
});

async function unavailable(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('unavailable');
  return error as AppError;
}

describe(`publishing with the blob store down (${mode})`, () => {
  it('a new skill: clear error, zero rows', async () => {
    const tenant = await createSkillsTenant(dbs);
    const blobs = new MemoryBlobStore();
    blobs.down = true;
    const ctx = skillsCtx(dbs.app.db, tenant.tenantId, tenant.author, blobs);
    const error = await unavailable(publishSkill(ctx, { source: { kind: 'files', files: skillFolder('offline-skill') } }));
    expect(error.message).toBe('the skill store is not reachable right now, so nothing was published; try again in a minute');
    expect(error.status).toBe(503);
    // The store's own message (hosts, folders) is kept for the logs, not shown.
    expect(String((error.cause as Error).message)).toMatch(/memory store is down/);
    expect(await countSkillRows(dbs, tenant.tenantId)).toEqual({ skills: 0, versions: 0, ratings: 0, feedback: 0, usage: 0, audit: 0 });
  });

  it('a new version: clear error, the skill unchanged, then it publishes once the store is back', async () => {
    const tenant = await createSkillsTenant(dbs);
    const blobs = new MemoryBlobStore();
    const ctx = skillsCtx(dbs.app.db, tenant.tenantId, tenant.author, blobs);
    await publishSkill(ctx, { source: { kind: 'files', files: skillFolder('flaky', { body: 'first\n' }) } });
    const before = await countSkillRows(dbs, tenant.tenantId);

    blobs.down = true;
    await unavailable(publishSkill(ctx, { source: { kind: 'files', files: skillFolder('flaky', { body: 'second\n' }) } }));
    expect(await countSkillRows(dbs, tenant.tenantId)).toEqual(before);
    const detail = await getSkill(ctx, { slug: 'flaky' });
    expect(detail.versions.map((v) => v.version)).toEqual(['1.0.0']);

    blobs.down = false;
    const retried = await publishSkill(ctx, { source: { kind: 'files', files: skillFolder('flaky', { body: 'second\n' }) } });
    expect(retried.version.version).toBe('1.0.1');
  });

  it('a store that throws something other than an AppError is reported the same way', async () => {
    const tenant = await createSkillsTenant(dbs);
    const broken = {
      put: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9');
      },
      get: async () => null,
    };
    const ctx = { ...skillsCtx(dbs.app.db, tenant.tenantId, tenant.author, new MemoryBlobStore()), blobs: broken };
    const error = await unavailable(publishSkill(ctx, { source: { kind: 'files', files: skillFolder('refused-skill') } }));
    expect(error.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    expect(await countSkillRows(dbs, tenant.tenantId)).toMatchObject({ skills: 0, versions: 0, audit: 0 });
  });
});
