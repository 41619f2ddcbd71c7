import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMembers } from '@everyskill/core/members/list-members';
import { asc, skills, withTenant } from '@everyskill/db';
import { mode, openTestDatabases, type TestDatabases } from '@everyskill/db/testing';
import { LocalBlobStore } from '@everyskill/storage';
import { seedDemo } from './seed-demo';

const SAMPLE_SKILLS = [
  { slug: 'csv-profiler', visibility: 'public' },
  { slug: 'incident-postmortem', visibility: 'tenant' },
  { slug: 'meeting-notes-to-actions', visibility: 'tenant' },
  { slug: 'postgres-migration-review', visibility: 'tenant' },
  { slug: 'release-notes-writer', visibility: 'public' },
];

let dbs: TestDatabases;
let blobDir: string;
beforeAll(async () => {
  dbs = await openTestDatabases();
  blobDir = mkdtempSync(path.join(tmpdir(), 'everyskill-seed-'));
});
afterAll(async () => {
  await dbs?.close();
  rmSync(blobDir, { recursive: true, force: true });
});

describe(`pnpm db:seed's demo data (${mode})`, () => {
  it('creates the demo tenant with its two people and publishes the five sample skills from their folders; a second run changes nothing', async () => {
    const blobs = new LocalBlobStore(blobDir);
    const first = await seedDemo(dbs.owner.db, { blobs });
    // The PostgreSQL run shares one server, where an earlier run may have seeded it already.
    if (mode === 'pglite') expect(first).toMatchObject({ created: true, skillsPublished: 5 });

    const ctx = { tenantId: first.tenantId, actor: { kind: 'system', label: 'test' } as const, db: dbs.app.db };
    expect((await listMembers(ctx)).map((m) => [m.email, m.role, m.status])).toEqual([
      ['ada@demo.test', 'admin', 'active'],
      ['max@demo.test', 'member', 'active'],
    ]);
    const published = await withTenant(dbs.app.db, first.tenantId, (tx) =>
      tx.select({ slug: skills.slug, visibility: skills.visibility }).from(skills).orderBy(asc(skills.slug)),
    );
    expect(published).toEqual(expect.arrayContaining(SAMPLE_SKILLS));

    expect(await seedDemo(dbs.owner.db, { blobs })).toEqual({ tenantId: first.tenantId, created: false, skillsPublished: 0 });
  });
});
