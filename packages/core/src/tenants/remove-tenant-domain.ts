import { tenantDomainIdInput, type TenantDomainIdInput } from '@everyskill/contracts';
import { and, eq, isNotNull, ne, tenantDomains, withTenant } from '@everyskill/db';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { conflict, notFound } from '../errors';
import { requireAdmin } from '../members/require-admin';
import { parseInput } from '../parse-input';
import { lockTenant } from './lock-tenant';

/** Removes a domain; refused for the last verified email domain, without which nobody could sign in. */
export async function removeTenantDomain(ctx: Ctx, input: TenantDomainIdInput): Promise<void> {
  const { domainId } = parseInput(tenantDomainIdInput, input);
  await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await lockTenant(tx, ctx.tenantId);
    await requireAdmin(tx, ctx, 'remove domains');
    const [row] = await tx
      .select()
      .from(tenantDomains)
      .where(and(eq(tenantDomains.id, domainId), eq(tenantDomains.tenantId, ctx.tenantId)));
    if (!row) throw notFound('that domain of this workspace');
    if (row.kind === 'email' && row.verifiedAt) {
      const others = await tx
        .select({ id: tenantDomains.id })
        .from(tenantDomains)
        .where(
          and(
            eq(tenantDomains.tenantId, ctx.tenantId),
            eq(tenantDomains.kind, 'email'),
            isNotNull(tenantDomains.verifiedAt),
            ne(tenantDomains.id, domainId),
          ),
        );
      if (others.length === 0) {
        throw conflict(`${row.domain} is this workspace's only verified email domain; nobody could sign in without it`);
      }
    }
    await tx.delete(tenantDomains).where(eq(tenantDomains.id, domainId));
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'tenant.domain_removed',
      targetType: 'tenant_domain',
      targetId: domainId,
      details: { domain: row.domain, kind: row.kind, wasVerified: row.verifiedAt !== null },
      requestId: ctx.requestId,
    });
  });
}
