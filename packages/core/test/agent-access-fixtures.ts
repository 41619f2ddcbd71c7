import { memberships, tenants, users, withTenant, type Database } from '@everyskill/db';
import type { Role } from '@everyskill/contracts';
import type { Ctx } from '../src/context';
import { uniqueSlug } from '@everyskill/db/testing';

export { openTestDatabases, uniqueSlug, mode } from '@everyskill/db/testing';

export interface TestPerson {
  userId: string;
  email: string;
  role: Role;
}

/** A fresh tenant with one person per role, created as the owner (tenants) and the app role (people). */
export async function createTestTenant(
  owner: Database,
  app: Database,
  options: { keyExpiryDays?: number } = {},
): Promise<{ tenantId: string; slug: string; people: Record<Role, TestPerson> }> {
  const slug = uniqueSlug('agent');
  const [tenant] = await owner
    .insert(tenants)
    .values({ slug, name: `Agent access ${slug}`, apiKeyExpiryDays: options.keyExpiryDays ?? 90 })
    .returning({ id: tenants.id });
  const tenantId = tenant!.id;
  const people = {} as Record<Role, TestPerson>;
  await withTenant(app, tenantId, async (tx) => {
    for (const role of ['admin', 'reviewer', 'member'] as const) {
      const email = `${role}-${slug}@${slug}.test`;
      const [user] = await tx.insert(users).values({ tenantId, email, name: role }).returning({ id: users.id });
      await tx.insert(memberships).values({ tenantId, userId: user!.id, role });
      people[role] = { userId: user!.id, email, role };
    }
  });
  return { tenantId, slug, people };
}

/** A ctx for a signed-in person of a test tenant. */
export function personCtx(db: Database, tenantId: string, person: TestPerson): Ctx {
  return { tenantId, db, actor: { kind: 'user', userId: person.userId, email: person.email, role: person.role } };
}
