import { email as emailSchema } from '@everyskill/contracts';
import { and, eq, isNotNull, tenantDomains, tenants, users, withTenant, withoutTenant, type Database } from '@everyskill/db';
import { notFound } from '../errors';
import { parseInput } from '../parse-input';

/**
 * Finds a person by email for the admin CLI: in the tenant named by `tenantSlug`, else in the
 * tenant owning the address's email domain.
 */
export async function findMemberByEmail(
  db: Database,
  input: { email: string; tenantSlug?: string },
): Promise<{ tenantId: string; tenantSlug: string; userId: string; email: string }> {
  const address = parseInput(emailSchema, input.email);
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const [tenant] = await withoutTenant(db, (tx) =>
    input.tenantSlug
      ? tx.select({ id: tenants.id, slug: tenants.slug }).from(tenants).where(eq(tenants.slug, input.tenantSlug.toLowerCase()))
      : tx
          .select({ id: tenants.id, slug: tenants.slug })
          .from(tenantDomains)
          .innerJoin(tenants, eq(tenants.id, tenantDomains.tenantId))
          .where(and(eq(tenantDomains.domain, domain), eq(tenantDomains.kind, 'email'), isNotNull(tenantDomains.verifiedAt))),
  );
  if (!tenant) {
    throw notFound(
      input.tenantSlug ? `tenant '${input.tenantSlug}'` : `a tenant with email domain '${domain}' (pass --tenant <slug>)`,
    );
  }
  const [user] = await withTenant(db, tenant.id, (tx) =>
    tx.select({ id: users.id }).from(users).where(eq(users.email, address)),
  );
  if (!user) throw notFound(`${address} in tenant '${tenant.slug}' (people appear after their first sign-in)`);
  return { tenantId: tenant.id, tenantSlug: tenant.slug, userId: user.id, email: address };
}
