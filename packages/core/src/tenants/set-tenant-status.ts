import { eq, sql, tenants, type Database } from '@everyskill/db';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../context';
import { notFound } from '../errors';

/**
 * Switches a tenant on or off (admin CLI; needs the owner connection, the app role may not change
 * status). An inactive tenant's people cannot sign in, their sessions end at the next request and
 * its host names stop being served.
 */
export async function setTenantStatus(
  ownerDb: Database,
  actor: Actor,
  input: { slug: string; status: 'active' | 'inactive' },
): Promise<{ changed: boolean; tenantId: string }> {
  return ownerDb.transaction(async (tx) => {
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.slug, input.slug.toLowerCase())).for('update');
    if (!tenant) throw notFound(`tenant '${input.slug}'`);
    if (tenant.status === input.status) return { changed: false, tenantId: tenant.id };
    // The owner keeps its own role (it may update status); the tenant setting lets the audit row pass RLS.
    await tx.execute(sql`select set_config('app.tenant_id', ${tenant.id}, true)`);
    await tx.update(tenants).set({ status: input.status, updatedAt: new Date() }).where(eq(tenants.id, tenant.id));
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor,
      action: 'tenant.status_changed',
      targetType: 'tenant',
      targetId: tenant.id,
      details: { slug: tenant.slug, from: tenant.status, to: input.status },
    });
    return { changed: true, tenantId: tenant.id };
  });
}
