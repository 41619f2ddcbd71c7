import { tenantSettingsInput, type TenantSettingsInput } from '@everyskill/contracts';
import { eq, tenants, withTenant } from '@everyskill/db';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { notFound } from '../errors';
import { requireAdmin } from '../members/require-admin';
import { parseInput } from '../parse-input';

/** Changes the tenant's name, logo URL and API-key lifetime; audits what changed, from and to. */
export async function updateTenantSettings(ctx: Ctx, input: TenantSettingsInput): Promise<{ changed: string[] }> {
  const next = parseInput(tenantSettingsInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, 'change the workspace settings');
    const [current] = await tx.select().from(tenants).where(eq(tenants.id, ctx.tenantId)).for('update');
    if (!current) throw notFound('this workspace');
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of ['name', 'logoUrl', 'apiKeyExpiryDays'] as const) {
      if (current[field] !== next[field]) changes[field] = { from: current[field], to: next[field] };
    }
    const changed = Object.keys(changes);
    if (changed.length === 0) return { changed };
    await tx
      .update(tenants)
      .set({ name: next.name, logoUrl: next.logoUrl, apiKeyExpiryDays: next.apiKeyExpiryDays, updatedAt: new Date() })
      .where(eq(tenants.id, ctx.tenantId));
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'tenant.settings_changed',
      targetType: 'tenant',
      targetId: ctx.tenantId,
      details: { changes },
      requestId: ctx.requestId,
    });
    return { changed };
  });
}
