import { eq, memberships, tenants, type Transaction } from '@everyskill/db';
import { scopesAllowedForRole, type ApiKeyScope, type Role } from '@everyskill/contracts';
import type { Ctx } from '../context';
import { AppError, forbidden } from '../errors';

/** The person keys are managed for: a signed-in person acts for themselves, the CLI names someone. */
export function keyOwnerOf(ctx: Ctx, forUserId?: string): string {
  if (ctx.actor.kind === 'user') return ctx.actor.userId;
  if (ctx.actor.kind === 'system' && forUserId) return forUserId;
  throw forbidden('API keys are managed by their owner on the profile page, not with another API key');
}

/** Whether the actor may see and revoke every key of the tenant. */
export function canManageTenantKeys(ctx: Ctx): boolean {
  if (ctx.actor.kind === 'system') return true;
  if (ctx.actor.kind === 'user') return ctx.actor.role === 'admin';
  return ctx.actor.role === 'admin' && ctx.actor.scopes.includes('admin');
}

/** The owner's current role, refusing a deactivated or unknown member. */
export async function activeRoleOf(tx: Transaction, userId: string): Promise<Role> {
  const [membership] = await tx
    .select({ role: memberships.role, status: memberships.status })
    .from(memberships)
    .where(eq(memberships.userId, userId));
  if (!membership) throw new AppError('not_found', 'that person is not a member of this workspace');
  if (membership.status !== 'active') throw forbidden('a deactivated member cannot hold API keys');
  return membership.role;
}

/** Refuses scopes the role may not put on a key, naming them. */
export function assertScopesAllowed(role: Role, scopes: readonly ApiKeyScope[]): void {
  const allowed = scopesAllowedForRole[role];
  const refused = scopes.filter((s) => !allowed.includes(s));
  if (refused.length > 0) {
    throw forbidden(
      `your role '${role}' cannot mint the scope${refused.length > 1 ? 's' : ''} ${refused.map((s) => `'${s}'`).join(', ')}; ` +
        `allowed: ${allowed.join(', ')}`,
    );
  }
}

/** The tenant's key lifetime in days (its setting, default 90). */
export async function tenantKeyExpiryDays(tx: Transaction, tenantId: string): Promise<number> {
  const [tenant] = await tx.select({ days: tenants.apiKeyExpiryDays }).from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) throw new AppError('not_found', 'workspace was not found');
  return tenant.days;
}
