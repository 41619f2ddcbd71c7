import { eq, memberships, tenants, users, withTenant, type Database } from '@everyskill/db';
import type { Actor } from '@everyskill/core';
import type { SkillBlobStore, SkillsCtx } from '@everyskill/core/skills/skill-blob-store';
import { createTenant } from '@everyskill/core/tenants/create-tenant';
import { seedSampleSkills } from './seed-sample-skills';

export const DEMO_TENANT = { slug: 'demo', name: 'Demo Company', emailDomains: ['demo.test'] } as const;
export const DEMO_PEOPLE = [
  { email: 'ada@demo.test', name: 'Ada Admin', role: 'admin' as const },
  { email: 'max@demo.test', name: 'Max Member', role: 'member' as const },
];

const seedActor: Actor = { kind: 'system', label: 'seed' };

/** Creates the demo tenant, its people and (given a blob store) sample skills; running it again changes nothing. */
export async function seedDemo(
  ownerDb: Database,
  options: { blobs?: SkillBlobStore; afterPublish?: SkillsCtx['afterPublish'] } = {},
): Promise<{ tenantId: string; created: boolean; skillsPublished: number }> {
  const existing = await ownerDb.select().from(tenants).where(eq(tenants.slug, DEMO_TENANT.slug));
  const tenant =
    existing[0] ?? (await createTenant(ownerDb, seedActor, { ...DEMO_TENANT, emailDomains: [...DEMO_TENANT.emailDomains] }));
  await withTenant(ownerDb, tenant.id, async (tx) => {
    for (const person of DEMO_PEOPLE) {
      const found = await tx.select({ id: users.id }).from(users).where(eq(users.email, person.email));
      if (found.length > 0) continue;
      const [user] = await tx
        .insert(users)
        .values({ tenantId: tenant.id, email: person.email, name: person.name })
        .returning({ id: users.id });
      await tx.insert(memberships).values({ tenantId: tenant.id, userId: user!.id, role: person.role });
    }
  });
  const skills = options.blobs ? await seedSampleSkills(ownerDb, tenant.id, options.blobs, options.afterPublish) : { published: 0 };
  return { tenantId: tenant.id, created: existing.length === 0, skillsPublished: skills.published };
}
