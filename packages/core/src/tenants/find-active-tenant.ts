import { and, eq, isNotNull, tenantDomains, tenants, withoutTenant, type Database, type Tenant } from '@everyskill/db';

export type TenantKey = { slug: string } | { id: string } | { vanityDomain: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The active tenant with that slug, id or verified vanity domain, or null; a lookup before any tenant is known. */
export async function findActiveTenant(db: Database, key: TenantKey): Promise<Tenant | null> {
  if ('id' in key && !UUID.test(key.id)) return null;
  const rows = await withoutTenant(db, (tx) => {
    if ('vanityDomain' in key) {
      return tx
        .select({ tenant: tenants })
        .from(tenantDomains)
        .innerJoin(tenants, eq(tenants.id, tenantDomains.tenantId))
        .where(
          and(
            eq(tenantDomains.domain, key.vanityDomain.toLowerCase()),
            eq(tenantDomains.kind, 'vanity'),
            isNotNull(tenantDomains.verifiedAt),
            eq(tenants.status, 'active'),
          ),
        )
        .limit(1)
        .then((r) => r.map((x) => x.tenant));
    }
    const match = 'slug' in key ? eq(tenants.slug, key.slug.toLowerCase()) : eq(tenants.id, key.id);
    return tx
      .select()
      .from(tenants)
      .where(and(match, eq(tenants.status, 'active')))
      .limit(1);
  });
  return rows[0] ?? null;
}
