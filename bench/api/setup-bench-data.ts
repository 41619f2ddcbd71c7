// Creates the bench's tenant, person, API key and skill through core services, and prints
// {tenantId, slug, secret} as JSON. Uses DATABASE_OWNER_URL (tenants) and DATABASE_URL.
import { randomUUID } from 'node:crypto';
import { createApiKey } from '@everyskill/core/api-keys/create-api-key';
import { publishSkill } from '@everyskill/core/skills/publish-skill';
import { memberships, openDatabase, tenants, users, withTenant } from '@everyskill/db';
import { createBlobStore } from '@everyskill/storage';

const owner = await openDatabase({ url: process.env.DATABASE_OWNER_URL, poolMax: 2 });
const app = await openDatabase({ url: process.env.DATABASE_URL, poolMax: 2 });
try {
  const slug = `bench-${randomUUID().slice(0, 8)}`;
  const [tenant] = await owner.db.insert(tenants).values({ slug, name: 'Bench' }).returning({ id: tenants.id });
  const tenantId = tenant!.id;
  const userId = await withTenant(app.db, tenantId, async (tx) => {
    const [user] = await tx.insert(users).values({ tenantId, email: `bench@${slug}.test`, name: 'Bench' }).returning({ id: users.id });
    await tx.insert(memberships).values({ tenantId, userId: user!.id, role: 'member' });
    return user!.id;
  });
  const ctx = { tenantId, db: app.db, blobs: createBlobStore(), actor: { kind: 'user' as const, userId, email: `bench@${slug}.test`, role: 'member' as const } };
  const body = `# PDF forms\n\n${'Fill each field from the data, then check the result.\n'.repeat(40)}`;
  await publishSkill(ctx, { source: { kind: 'skill-md', skillMd: `---\nname: pdf-forms\ndescription: Fill PDF forms from data.\n---\n${body}` } });
  const { secret } = await createApiKey(ctx, { name: 'bench', scopes: ['skills:read'] });
  console.log(JSON.stringify({ tenantId, slug: 'pdf-forms', secret }));
} finally {
  await app.close();
  await owner.close();
}
