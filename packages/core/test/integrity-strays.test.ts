import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type DbHandle } from '@everyskill/db';
import { openJobQueue, type JobQueue } from '@everyskill/jobs';
import { createScratchDatabase, type TestDatabases } from '@everyskill/db/testing';
import { runIntegrityCheck } from '../src/integrity/check-integrity';
import { publishSkill } from '../src/skills/publish-skill';
import { createSkillsTenant, ListableBlobStore, mode, skillFolder, skillsCtx } from './skills-fixtures';

// A repair over every tenant runs here in a database of its own, so it touches no other test's tenants.

const system = { kind: 'system', label: 'integrity-test' } as const;
let handle: DbHandle;
let dbs: TestDatabases;
let queue: JobQueue;
let drop: () => Promise<void> = async () => {};

beforeAll(async () => {
  let url: string | undefined;
  if (mode === 'pglite') {
    handle = await openDatabase({ pgliteDir: 'memory://' });
  } else {
    const scratch = await createScratchDatabase();
    drop = scratch.drop;
    url = scratch.url;
    handle = await openDatabase({ url, poolMax: 2 });
  }
  await migrate(handle, { log: () => {} });
  // Repair queues the skill's missing embedding; no worker runs it here.
  queue = openJobQueue({ handle, connectionString: url, log: () => {} });
  dbs = { app: handle, owner: handle, close: async () => {} };
});

afterAll(async () => {
  await queue?.close();
  await handle?.close();
  await drop();
});

describe(`integrity repair over every tenant (${mode})`, () => {
  it("reports a bundle under a prefix no tenant here has (another environment's, or a purged tenant's) and never deletes it", async () => {
    const blobs = new ListableBlobStore();
    const t = await createSkillsTenant(dbs);
    await publishSkill(skillsCtx(handle.db, t.tenantId, t.author, blobs), { source: { kind: 'files', files: skillFolder('kept') } });
    const bytes = new TextEncoder().encode('a bundle of another environment');
    const stray = `${randomUUID()}/${createHash('sha256').update(bytes).digest('hex')}`;
    await blobs.put(stray, bytes);
    blobs.modified.set(stray, new Date(Date.now() - 30 * 86_400_000));

    const report = await runIntegrityCheck(handle.db, { blobs, repair: true, actor: system, queue, embedding: { provider: 'builtin', model: 'test' } });
    expect(report.orphanBlobs).toEqual([expect.objectContaining({ tenantId: null, key: stray, removable: false })]);
    expect(report.repairs.orphanBlobsRemoved).toBe(0);
    expect(blobs.blobs.has(stray)).toBe(true);
  });
});
