import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { Readable } from 'node:stream';
import { memberships, rowsOf, sql, tenants, users, withTenant, type Database } from '@everyskill/db';
import { openTestDatabases, uniqueSlug, type TestDatabases } from '@everyskill/db/testing';
import type { Role } from '@everyskill/contracts';
import { AppError } from '../src/errors';
import type { IntegrityBlobStore } from '../src/integrity/check-integrity';
import type { SkillBlobStore, SkillsCtx } from '../src/skills/skill-blob-store';

export { mode, openTestDatabases, uniqueSlug } from '@everyskill/db/testing';

/** An in-memory blob store with the storage package's contract: content-addressed, never overwritten. */
export class MemoryBlobStore implements SkillBlobStore {
  readonly blobs = new Map<string, Uint8Array>();
  /** When set, every call fails as a store that is down. */
  down = false;
  puts = 0;

  async put(key: string, bytes: Uint8Array): Promise<{ key: string; created: boolean }> {
    this.puts++;
    if (this.down) throw new AppError('unavailable', 'blob store unavailable: memory store is down (test)');
    if (!key.endsWith(`/${createHash('sha256').update(bytes).digest('hex')}`)) throw new AppError('invalid_input', `key ${key} does not name its bytes`);
    if (this.blobs.has(key)) return { key, created: false };
    this.blobs.set(key, new Uint8Array(bytes));
    return { key, created: true };
  }

  async get(key: string): Promise<Readable | null> {
    if (this.down) throw new AppError('unavailable', 'blob store unavailable: memory store is down (test)');
    const bytes = this.blobs.get(key);
    return bytes ? Readable.from([Buffer.from(bytes)]) : null;
  }
}

/** Everything a stream yields, as bytes. */
export async function bytesOf(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return new Uint8Array(Buffer.concat(chunks));
}

export interface SkillsTestPerson {
  userId: string;
  email: string;
  role: Role;
}

export interface SkillsTestTenant {
  tenantId: string;
  slug: string;
  admin: SkillsTestPerson;
  author: SkillsTestPerson;
  other: SkillsTestPerson;
}

/** A fresh tenant with an admin and two members, so every test works in its own tenant. */
export async function createSkillsTenant(dbs: TestDatabases): Promise<SkillsTestTenant> {
  const slug = uniqueSlug('sk');
  const [tenant] = await dbs.owner.db.insert(tenants).values({ slug, name: `Skills ${slug}` }).returning({ id: tenants.id });
  const tenantId = tenant!.id;
  const people: SkillsTestPerson[] = [];
  await withTenant(dbs.app.db, tenantId, async (tx) => {
    for (const [label, role] of [
      ['admin', 'admin'],
      ['author', 'member'],
      ['other', 'member'],
    ] as const) {
      const email = `${label}@${slug}.test`;
      const [user] = await tx.insert(users).values({ tenantId, email, name: `${label} person` }).returning({ id: users.id });
      await tx.insert(memberships).values({ tenantId, userId: user!.id, role });
      people.push({ userId: user!.id, email, role });
    }
  });
  return { tenantId, slug, admin: people[0]!, author: people[1]!, other: people[2]! };
}

/** A ctx acting as a person of a test tenant, with a blob store. */
export function skillsCtx(db: Database, tenantId: string, person: SkillsTestPerson, blobs: SkillBlobStore): SkillsCtx {
  return { tenantId, db, blobs, actor: { kind: 'user', userId: person.userId, email: person.email, role: person.role } };
}

/**
 * The skills tests' setup: this file's test databases (opened before its tests, closed after) and
 * a memory blob store. Read `suite.dbs` inside tests, once beforeAll has run.
 */
export function useSkillsTestSuite(): { readonly dbs: TestDatabases; blobs: MemoryBlobStore; tenant: () => ReturnType<typeof createSkillsTenantWithCtx> } {
  let dbs: TestDatabases | undefined;
  const blobs = new MemoryBlobStore();
  beforeAll(async () => {
    dbs = await openTestDatabases();
  });
  afterAll(async () => {
    await dbs?.close();
  });
  const suite = {
    get dbs(): TestDatabases {
      if (!dbs) throw new Error('the test databases are open only inside tests');
      return dbs;
    },
    blobs,
    tenant: () => createSkillsTenantWithCtx(suite.dbs, blobs),
  };
  return suite;
}

/** A fresh test tenant whose `as(who)` is a ctx acting as its admin, author or other member. */
export async function createSkillsTenantWithCtx(
  dbs: TestDatabases,
  blobs: SkillBlobStore,
): Promise<SkillsTestTenant & { as: (who: 'admin' | 'author' | 'other') => SkillsCtx }> {
  const t = await createSkillsTenant(dbs);
  return { ...t, as: (who) => skillsCtx(dbs.app.db, t.tenantId, t[who], blobs) };
}

/** The AppError a call was refused with; fails the test when it succeeded or threw anything else. */
export async function refused(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to be refused').toBeInstanceOf(AppError);
  return error as AppError;
}

/** A SKILL.md with the given frontmatter fields (strings written as-is) and a body. */
export function skillMarkdown(fields: Record<string, string>, body = '# Skill\n\nDo the thing.\n'): string {
  const lines = Object.entries(fields).map(([k, v]) => `${k}: ${v}`);
  return `---\n${lines.join('\n')}\n---\n${body}`;
}

/** Files of a skill folder named `name`, ready for { kind: 'files' }. */
export function skillFolder(
  name: string,
  options: { version?: string; description?: string; body?: string; files?: Record<string, string> } = {},
): { path: string; bytes: Uint8Array }[] {
  const fields: Record<string, string> = { name, description: options.description ?? `Helps with ${name} tasks.` };
  const md = options.version
    ? `${skillMarkdown(fields, '').replace(/---\n$/, '')}metadata:\n  version: "${options.version}"\n---\n${options.body ?? '# Skill\n'}`
    : skillMarkdown(fields, options.body);
  const encoder = new TextEncoder();
  return [
    { path: `${name}/SKILL.md`, bytes: encoder.encode(md) },
    ...Object.entries(options.files ?? {}).map(([path, text]) => ({ path: `${name}/${path}`, bytes: encoder.encode(text) })),
  ];
}

/** Row counts of every skills table and the audit log in one tenant. */
export async function countSkillRows(dbs: TestDatabases, tenantId: string): Promise<Record<string, number>> {
  const rows = rowsOf<Record<string, number | string>>(
    await withTenant(dbs.app.db, tenantId, (tx) => tx.execute(sql`
      SELECT
        (SELECT count(*) FROM skills WHERE tenant_id = ${tenantId})::int AS skills,
        (SELECT count(*) FROM skill_versions WHERE tenant_id = ${tenantId})::int AS versions,
        (SELECT count(*) FROM skill_ratings WHERE tenant_id = ${tenantId})::int AS ratings,
        (SELECT count(*) FROM skill_feedback WHERE tenant_id = ${tenantId})::int AS feedback,
        (SELECT count(*) FROM skill_usage_events WHERE tenant_id = ${tenantId})::int AS usage,
        (SELECT count(*) FROM audit_log WHERE tenant_id = ${tenantId})::int AS audit`)),
  );
  return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, Number(v)]));
}

/** The memory store with what the integrity check needs: exists, list (with ages a test can set) and delete. */
export class ListableBlobStore extends MemoryBlobStore implements IntegrityBlobStore {
  readonly modified = new Map<string, Date>();
  override async put(key: string, bytes: Uint8Array) {
    const result = await super.put(key, bytes);
    this.modified.set(key, new Date()); // as the storage package does: a second put refreshes the time
    return result;
  }
  async exists(key: string) {
    return this.blobs.has(key);
  }
  async head(key: string) {
    const bytes = this.blobs.get(key);
    return bytes ? { key, size: bytes.length, lastModified: this.modified.get(key) ?? new Date(), contentType: 'application/octet-stream' } : null;
  }
  async *list(prefix: string) {
    for (const [key, bytes] of this.blobs) {
      if (key.startsWith(prefix)) yield { key, size: bytes.length, lastModified: this.modified.get(key) ?? new Date() };
    }
  }
  async delete(key: string) {
    this.blobs.delete(key);
    this.modified.delete(key);
  }
}
