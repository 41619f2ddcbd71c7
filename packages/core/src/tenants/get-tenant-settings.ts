import { asc, eq, tenantDomains, tenants, withTenant } from '@everyskill/db';
import type { Ctx } from '../context';
import { notFound } from '../errors';
import { requireAdmin } from '../members/require-admin';
import { toDomainView, type TenantDomainView } from './domain-view';

export interface TenantSettings {
  id: string;
  slug: string;
  name: string;
  logoUrl: string | null;
  apiKeyExpiryDays: number;
  domains: TenantDomainView[];
}

/** The tenant's settings and domains (with pending verification records); admins only. */
export async function getTenantSettings(ctx: Ctx): Promise<TenantSettings> {
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, 'see the workspace settings');
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, ctx.tenantId));
    if (!tenant) throw notFound('this workspace');
    const domains = await tx
      .select()
      .from(tenantDomains)
      .where(eq(tenantDomains.tenantId, ctx.tenantId))
      .orderBy(asc(tenantDomains.kind), asc(tenantDomains.domain));
    return {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      logoUrl: tenant.logoUrl,
      apiKeyExpiryDays: tenant.apiKeyExpiryDays,
      domains: domains.map(toDomainView),
    };
  });
}
