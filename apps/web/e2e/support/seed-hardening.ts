// Run with tsx before the server starts (the embedded database allows one process):
// `tsx e2e/support/seed-hardening.ts` prints the fixture of the hardening suite as JSON: two
// tenants with people of each role, full-scope API keys, skills of every visibility, and the ids
// of tenant B's rows an attacker from tenant A would aim at. Made through core services.
import { memberships, openOwnerDatabase, sql, tenantDomains, tenants, users, withTenant, rowsOf, type Database } from '@everyskill/db';
import type { ApiKeyScope, Role } from '@everyskill/contracts';
import { createApiKey } from '@everyskill/core/api-keys/create-api-key';
import { publishSkill } from '@everyskill/core/skills/publish-skill';
import { rateSkill } from '@everyskill/core/skills/rate-skill';
import { submitFeedback } from '@everyskill/core/skills/submit-feedback';
import { followSkill } from '@everyskill/core/notifications/notifications';
import type { SkillsCtx } from '@everyskill/core/skills/skill-blob-store';
import { createBlobStore } from '@everyskill/storage';

const suffix = Math.random().toString(36).slice(2, 8);
const blobs = createBlobStore();

type People = Record<Role, { userId: string; email: string; role: Role }>;

async function tenantWithPeople(db: Database, slug: string) {
  const [tenant] = await db.insert(tenants).values({ slug, name: `Hardening ${slug}` }).returning({ id: tenants.id });
  const tenantId = tenant!.id;
  const people = {} as People;
  let domainId = '';
  await withTenant(db, tenantId, async (tx) => {
    const [domain] = await tx.insert(tenantDomains).values({ tenantId, domain: `${slug}.test`, kind: 'email', verifiedAt: new Date() }).returning({ id: tenantDomains.id });
    domainId = domain!.id;
    for (const role of ['admin', 'reviewer', 'member'] as const) {
      const email = `${role}@${slug}.test`;
      const [user] = await tx.insert(users).values({ tenantId, email, name: `${role} of ${slug}` }).returning({ id: users.id });
      await tx.insert(memberships).values({ tenantId, userId: user!.id, role });
      people[role] = { userId: user!.id, email, role };
    }
  });
  return { tenantId, slug, people, domainId };
}

const as = (db: Database, tenantId: string, p: People[Role]): SkillsCtx => ({
  tenantId,
  db,
  blobs,
  actor: { kind: 'user', userId: p.userId, email: p.email, role: p.role },
});

const md = (name: string, description: string, version = '1.0.0') =>
  `---\nname: ${name}\ndescription: ${description}\nmetadata:\n  version: "${version}"\n---\n# ${name}\n\nDo the thing.\n`;
const all: ApiKeyScope[] = ['skills:read', 'skills:publish', 'usage:write'];

const handle = await openOwnerDatabase();
try {
  const db = handle.db;
  const fixture: Record<string, unknown> = {};
  for (const name of ['a', 'b'] as const) {
    const t = await tenantWithPeople(db, `harden-${name}-${suffix}`);
    const member = as(db, t.tenantId, t.people.member);
    const admin = as(db, t.tenantId, t.people.admin);
    const memberKey = await createApiKey(member, { name: 'hardening member', scopes: all });
    const adminKey = await createApiKey(admin, { name: 'hardening admin', scopes: [...all, 'admin'] });
    const logoutKey = await createApiKey(member, { name: 'hardening logout', scopes: ['skills:read'] });
    const shared = `${name}-team-notes`;
    const v1 = await publishSkill(member, { source: { kind: 'skill-md', skillMd: md(shared, `Team notes of ${name}.`) }, tags: ['notes'] });
    await publishSkill(member, { slug: shared, source: { kind: 'skill-md', skillMd: md(shared, `Team notes of ${name}, better.`, '1.1.0') } });
    await publishSkill(member, { source: { kind: 'skill-md', skillMd: md(`${name}-public-tool`, `Public tool of ${name}.`) }, visibility: 'public' });
    await publishSkill(admin, { source: { kind: 'skill-md', skillMd: md(`${name}-private-draft`, `Private draft of ${name}.`) }, visibility: 'private' });
    await rateSkill(admin, { slug: shared, stars: 4, comment: 'useful' });
    await submitFeedback(admin, { slug: shared, kind: 'suggestion', body: 'add an example', source: 'portal' });
    await followSkill(admin, { slug: shared, follow: true });
    const [version] = rowsOf<{ id: string }>(await withTenant(db, t.tenantId, (tx) => tx.execute(sql`SELECT id FROM skill_versions WHERE id = ${v1.version.id}`)));
    // A background job of the tenant (the publishes queued embeddings): job_queue on the embedded
    // database, pg-boss's table on PostgreSQL.
    const jobQuery = (table: string) => db.execute(sql`SELECT id::text AS id FROM ${sql.raw(table)} WHERE data ->> 'tenantId' = ${t.tenantId} LIMIT 1`);
    const jobs = rowsOf<{ id: string }>(await jobQuery('job_queue').catch(() => jobQuery('pgboss.job')));
    fixture[name] = {
      jobId: jobs[0]?.id ?? null,
      tenantId: t.tenantId,
      slug: t.slug,
      people: Object.fromEntries(Object.entries(t.people).map(([role, p]) => [role, { userId: p.userId, email: p.email }])),
      keys: { member: memberKey.secret, admin: adminKey.secret, logout: logoutKey.secret },
      keyIds: { member: memberKey.key.id, admin: adminKey.key.id },
      domainId: t.domainId,
      skills: { shared, public: `${name}-public-tool`, private: `${name}-private-draft` },
      skillId: v1.skill.id,
      versionId: version!.id,
    };
  }
  console.log(JSON.stringify(fixture));
} finally {
  await handle.close();
}
