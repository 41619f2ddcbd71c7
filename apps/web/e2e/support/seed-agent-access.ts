// Run with tsx before the server starts (the embedded database allows one process):
// `tsx e2e/support/seed-agent-access.ts` prints the fixture of the agent-access suite as JSON.
// Two tenants, people of each role, API keys in every state, and skills of every visibility,
// all made through core services as the product makes them.
import { apiKeys, eq, memberships, openOwnerDatabase, tenantDomains, tenants, users, withTenant, type Database } from '@everyskill/db';
import type { ApiKeyScope, Role } from '@everyskill/contracts';
import { createApiKey } from '@everyskill/core/api-keys/create-api-key';
import { revokeApiKey } from '@everyskill/core/api-keys/revoke-api-key';
import { publishSkill } from '@everyskill/core/skills/publish-skill';
import type { SkillsCtx } from '@everyskill/core/skills/skill-blob-store';
import { createBlobStore } from '@everyskill/storage';

const suffix = Math.random().toString(36).slice(2, 8);
const blobs = createBlobStore();

type People = Record<Role, { userId: string; email: string; role: Role }>;

async function tenantWithPeople(db: Database, slug: string): Promise<{ tenantId: string; slug: string; people: People }> {
  const [tenant] = await db.insert(tenants).values({ slug, name: `Agent e2e ${slug}` }).returning({ id: tenants.id });
  const tenantId = tenant!.id;
  const people = {} as People;
  await withTenant(db, tenantId, async (tx) => {
    // The email domain lets the development sign-in put these people into their tenant.
    await tx.insert(tenantDomains).values({ tenantId, domain: `${slug}.test`, kind: 'email', verifiedAt: new Date() });
    for (const role of ['admin', 'reviewer', 'member'] as const) {
      const email = `${role}@${slug}.test`;
      const [user] = await tx.insert(users).values({ tenantId, email, name: `${role} of ${slug}` }).returning({ id: users.id });
      await tx.insert(memberships).values({ tenantId, userId: user!.id, role });
      people[role] = { userId: user!.id, email, role };
    }
  });
  return { tenantId, slug, people };
}

const as = (db: Database, tenantId: string, p: People[Role]): SkillsCtx => ({
  tenantId,
  db,
  blobs,
  actor: { kind: 'user', userId: p.userId, email: p.email, role: p.role },
});

const md = (name: string, description: string, body = `# ${name}\n\nDo the thing.\n`, version?: string) =>
  `---\nname: ${name}\ndescription: ${description}\n${version ? `metadata:\n  version: "${version}"\n` : ''}---\n${body}`;
const files = (name: string, entries: Record<string, string>) =>
  Object.entries(entries).map(([path, text]) => ({ path: `${name}/${path}`, bytes: new TextEncoder().encode(text) }));

const handle = await openOwnerDatabase();
try {
  const db = handle.db;
  const a = await tenantWithPeople(db, `agents-a-${suffix}`);
  const b = await tenantWithPeople(db, `agents-b-${suffix}`);
  const key = async (t: typeof a, who: Role, name: string, scopes: ApiKeyScope[]) =>
    createApiKey(as(db, t.tenantId, t.people[who]), { name, scopes });
  const all: ApiKeyScope[] = ['skills:read', 'skills:publish', 'usage:write'];

  const full = await key(a, 'admin', 'e2e full', [...all, 'admin']);
  const member = await key(a, 'member', 'e2e member', all);
  const readOnly = await key(a, 'member', 'e2e read only', ['skills:read']);
  const limited = await key(a, 'member', 'e2e rate limited', ['skills:read']);
  const mcp = await key(a, 'member', 'e2e mcp', ['skills:read', 'usage:write']);
  const mcpBatch = await key(a, 'member', 'e2e batched calls', ['skills:read']);
  const revoked = await key(a, 'member', 'e2e revoked', ['skills:read']);
  await revokeApiKey(as(db, a.tenantId, a.people.member), { keyId: revoked.key.id });
  const expired = await key(a, 'member', 'e2e expired', ['skills:read']);
  await withTenant(db, a.tenantId, (tx) =>
    tx.update(apiKeys).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(apiKeys.id, expired.key.id)),
  );
  const bFull = await key(b, 'admin', 'e2e b full', [...all, 'admin']);

  const author = as(db, a.tenantId, a.people.member);
  await publishSkill(author, {
    source: { kind: 'files', files: files('pdf-forms', { 'SKILL.md': md('pdf-forms', 'Fill PDF forms from data.', '# PDF forms\n\nRun scripts/fill.py.\n', '1.0.0'), 'scripts/fill.py': 'print("fill v1")\n', 'reference.md': '# Field names\n' }) },
    visibility: 'public',
    tags: ['pdf'],
  });
  await publishSkill(author, {
    source: { kind: 'files', files: files('pdf-forms', { 'SKILL.md': md('pdf-forms', 'Fill PDF forms from data.', '# PDF forms v1.1\n\nRun scripts/fill.py.\n', '1.1.0'), 'scripts/fill.py': 'print("fill v2")\n', 'reference.md': '# Field names\n' }) },
    slug: 'pdf-forms',
  });
  await publishSkill(author, { source: { kind: 'skill-md', skillMd: md('hello-world', 'Greets the team politely.') }, visibility: 'public' });
  await publishSkill(author, { source: { kind: 'skill-md', skillMd: md('team-notes', 'Writes meeting notes the team way.') } });
  await publishSkill(as(db, a.tenantId, a.people.reviewer), { source: { kind: 'skill-md', skillMd: md('reviewer-private', 'A reviewer’s private draft.') }, visibility: 'private' });
  const bAuthor = as(db, b.tenantId, b.people.member);
  await publishSkill(bAuthor, { source: { kind: 'skill-md', skillMd: md('b-secret-plans', 'Only for tenant B.') } });
  await publishSkill(bAuthor, {
    source: { kind: 'files', files: files('b-public-tool', { 'SKILL.md': md('b-public-tool', 'B’s public tool.'), 'run.sh': 'echo b\n' }) },
    visibility: 'public',
  });

  console.log(
    JSON.stringify({
      a: {
        tenantId: a.tenantId,
        slug: a.slug,
        keys: { full: full.secret, member: member.secret, readOnly: readOnly.secret, limited: limited.secret, mcp: mcp.secret, mcpBatch: mcpBatch.secret, revoked: revoked.secret, expired: expired.secret },
        skills: { archive: 'pdf-forms', single: 'hello-world', tenantOnly: 'team-notes', private: 'reviewer-private' },
      },
      b: { tenantId: b.tenantId, slug: b.slug, keys: { full: bFull.secret }, skills: { tenantOnly: 'b-secret-plans', public: 'b-public-tool' } },
    }),
  );
} finally {
  await handle.close();
}
