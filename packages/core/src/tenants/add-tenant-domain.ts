import { randomBytes } from 'node:crypto';
import { addTenantDomainInput, type AddTenantDomainInput } from '@everyskill/contracts';
import { eq, tenantDomains, withTenant } from '@everyskill/db';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { isUniqueViolation } from '../db-errors';
import { conflict, invalidInput } from '../errors';
import { requireAdmin } from '../members/require-admin';
import { parseInput } from '../parse-input';
import { toDomainView, type TenantDomainView } from './domain-view';

/**
 * Adds an email or vanity domain. From the portal it starts unverified with a DNS TXT token and
 * counts for nothing (sign-in, hosting) until verified; the admin CLI's operator vouches for it.
 */
export async function addTenantDomain(
  ctx: Ctx,
  input: AddTenantDomainInput,
  options: { rootDomain?: string } = {},
): Promise<TenantDomainView> {
  const { domain, kind } = parseInput(addTenantDomainInput, input);
  const root = options.rootDomain?.toLowerCase();
  if (root && (domain === root || domain.endsWith(`.${root}`))) {
    throw invalidInput(`${domain} is part of this service's own domain (${root}); add a domain your company controls`);
  }
  const preVerified = ctx.actor.kind === 'system';
  try {
    return await withTenant(ctx.db, ctx.tenantId, async (tx) => {
      await requireAdmin(tx, ctx, 'add domains');
      // Domains are globally readable (sign-in looks them up before a tenant is known).
      // Another workspace's pending (unverified) claim blocks nobody; its verified domain does.
      const claims = await tx.select().from(tenantDomains).where(eq(tenantDomains.domain, domain));
      if (claims.some((c) => c.tenantId === ctx.tenantId)) throw conflict(`${domain} is already one of this workspace's domains`);
      if (claims.some((c) => c.verifiedAt !== null)) {
        throw conflict(`${domain} already belongs to another workspace; contact support if it is yours`);
      }
      const [row] = await tx
        .insert(tenantDomains)
        .values({
          tenantId: ctx.tenantId,
          domain,
          kind,
          verificationToken: randomBytes(16).toString('hex'),
          verifiedAt: preVerified ? new Date() : null,
        })
        .returning();
      if (!row) throw new Error('domain insert returned no row');
      await recordAudit(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: 'tenant.domain_added',
        targetType: 'tenant_domain',
        targetId: row.id,
        details: { domain, kind, verified: preVerified },
        requestId: ctx.requestId,
      });
      return toDomainView(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`${domain} was just added by another workspace or request`);
    throw error;
  }
}
