import { asc, count, memberships, tenantDomains, tenants, withTenant, withoutTenant, type Database } from '@everyskill/db';

export interface TenantListing {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'inactive';
  createdAt: Date;
  domains: { domain: string; kind: 'email' | 'vanity'; verified: boolean }[];
  members: number;
}

/** Every tenant with its domains and number of members, by slug (admin CLI). */
export async function listTenants(db: Database): Promise<TenantListing[]> {
  const { rows, domains } = await withoutTenant(db, async (tx) => ({
    rows: await tx.select().from(tenants).orderBy(asc(tenants.slug)),
    domains: await tx.select().from(tenantDomains).orderBy(asc(tenantDomains.domain)),
  }));
  const listings: TenantListing[] = [];
  for (const tenant of rows) {
    // Memberships are tenant-scoped: each count runs in its own tenant's context.
    const [members] = await withTenant(db, tenant.id, (tx) => tx.select({ n: count() }).from(memberships));
    listings.push({
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      status: tenant.status,
      createdAt: tenant.createdAt,
      domains: domains
        .filter((d) => d.tenantId === tenant.id)
        .map((d) => ({ domain: d.domain, kind: d.kind, verified: d.verifiedAt !== null })),
      members: Number(members?.n ?? 0),
    });
  }
  return listings;
}
