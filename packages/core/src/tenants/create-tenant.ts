import { and, eq, isNotNull, tenantDomains, tenants, withTenant, type Database } from '@everyskill/db';
import { domainName, tenantSlug } from '@everyskill/contracts';
import { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../context';
import { parseInput } from '../parse-input';
import { conflict } from '../errors';
import { insertSigningKey } from '../provenance/signing-keys';

export const createTenantInput = z.object({
  slug: tenantSlug,
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  emailDomains: z.array(domainName).min(1, 'a tenant needs at least one email domain'),
});
export type CreateTenantInput = z.input<typeof createTenantInput>;

/**
 * Creates a tenant with its email domains. Needs the owner connection (the app role may not
 * insert tenants): used by the admin CLI and the seed, never by a request.
 */
export async function createTenant(ownerDb: Database, actor: Actor, input: CreateTenantInput) {
  const { slug, name, emailDomains } = parseInput(createTenantInput, input);
  const taken = await ownerDb.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
  if (taken.length > 0) throw conflict(`a tenant with slug '${slug}' already exists`);
  const [tenant] = await ownerDb.insert(tenants).values({ slug, name }).returning();
  if (!tenant) throw new Error('tenant insert returned no row');
  try {
    await withTenant(ownerDb, tenant.id, async (tx) => {
      for (const domain of emailDomains) {
        // Only a verified domain is someone's; a pending claim elsewhere does not stand in the way.
        const used = await tx
          .select({ id: tenantDomains.id })
          .from(tenantDomains)
          .where(and(eq(tenantDomains.domain, domain), isNotNull(tenantDomains.verifiedAt)));
        if (used.length > 0) throw conflict(`domain '${domain}' already belongs to another tenant`);
        await tx.insert(tenantDomains).values({ tenantId: tenant.id, domain, kind: 'email', verifiedAt: new Date() });
      }
      // The tenant's signing key, made with it (docs/provenance.md).
      await insertSigningKey(tx, tenant.id, new Date());
      await recordAudit(tx, {
        tenantId: tenant.id,
        actor,
        action: 'tenant.created',
        targetType: 'tenant',
        targetId: tenant.id,
        details: { slug, name, emailDomains },
      });
    });
  } catch (error) {
    // The tenant row came first (the app role cannot insert it); without its domains it must go.
    await ownerDb.delete(tenants).where(eq(tenants.id, tenant.id));
    throw error;
  }
  return tenant;
}
