import { email as emailSchema, type Role, type SignInRefusalReason } from '@everyskill/contracts';
import {
  and,
  count,
  eq,
  isNotNull,
  memberships,
  tenantDomains,
  tenants,
  users,
  withTenant,
  withoutTenant,
  type Database,
} from '@everyskill/db';
import { recordAudit, type AuditEvent } from '../audit/record-audit';
import type { Actor } from '../context';
import { isUniqueViolation } from '../db-errors';
import { lockTenant } from '../tenants/lock-tenant';

/** What the identity provider vouches for (Google's ID token, or the development sign-in form). */
export interface SignInClaims {
  email: string;
  /** Google's `email_verified`; the development sign-in vouches for its own addresses. */
  emailVerified: boolean;
  /** Google's `hd` (Workspace domain) claim, when present. */
  hostedDomain?: string | null;
  name?: string | null;
  image?: string | null;
  method: 'google' | 'development';
}

export interface SignedInPerson {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  tenant: { id: string; slug: string; name: string };
  firstSignIn: boolean;
}

export type SignInDecision = { ok: true; person: SignedInPerson } | { ok: false; reason: SignInRefusalReason };

const signInActor: Actor = { kind: 'system', label: 'sign-in' };

/**
 * Decides a sign-in: accepted only for a verified email whose domain is a verified email domain
 * of an active tenant (and equals Google's `hd` claim when there is one). An accepted person is
 * created on first sign-in — as admin when nobody in the tenant came before — and every decision,
 * accepted or refused, is audited in the transaction that makes it.
 */
export async function acceptSignIn(
  db: Database,
  claims: SignInClaims,
  options: { requestId?: string } = {},
): Promise<SignInDecision> {
  const refusal = (reason: SignInRefusalReason, tenantId: string | null): AuditEvent => ({
    tenantId,
    actor: signInActor,
    action: 'auth.sign_in_refused',
    targetType: 'email',
    targetId: claims.email.slice(0, 320),
    details: { reason, method: claims.method, hostedDomain: claims.hostedDomain ?? null },
    requestId: options.requestId,
  });
  const refuse = async (reason: SignInRefusalReason, tenantId: string | null): Promise<SignInDecision> => {
    // Refusals before a tenant is known are recorded without one (policy audit_log_insert_unscoped).
    if (tenantId) await withTenant(db, tenantId, (tx) => recordAudit(tx, refusal(reason, tenantId)));
    else await withoutTenant(db, (tx) => recordAudit(tx, refusal(reason, null)));
    return { ok: false, reason };
  };

  const parsed = emailSchema.safeParse(claims.email);
  if (!parsed.success) return refuse('email_invalid', null);
  const address = parsed.data;
  const domain = address.slice(address.lastIndexOf('@') + 1);
  if (!claims.emailVerified) return refuse('email_unverified', null);
  if (claims.hostedDomain != null && claims.hostedDomain.trim().toLowerCase() !== domain) {
    return refuse('hosted_domain_mismatch', null);
  }

  const [owner] = await withoutTenant(db, (tx) =>
    tx
      .select({ id: tenants.id, slug: tenants.slug, name: tenants.name, status: tenants.status })
      .from(tenantDomains)
      .innerJoin(tenants, eq(tenants.id, tenantDomains.tenantId))
      .where(and(eq(tenantDomains.domain, domain), eq(tenantDomains.kind, 'email'), isNotNull(tenantDomains.verifiedAt)))
      .limit(1),
  );
  if (!owner) return refuse('no_workspace', null);
  if (owner.status !== 'active') return refuse('workspace_inactive', owner.id);
  const tenant = { id: owner.id, slug: owner.slug, name: owner.name };

  try {
    return await withTenant(db, tenant.id, async (tx): Promise<SignInDecision> => {
      // Sign-ins of one tenant take turns, so two first people cannot both become admin.
      await lockTenant(tx, tenant.id);
      const [found] = await tx
        .select({ user: users, role: memberships.role, status: memberships.status })
        .from(users)
        .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, users.tenantId)))
        .where(eq(users.email, address))
        .limit(1);
      if (found?.status === 'deactivated') {
        await recordAudit(tx, refusal('account_deactivated', tenant.id));
        return { ok: false, reason: 'account_deactivated' };
      }

      let userId: string;
      let name: string | null;
      let role: Role;
      const firstSignIn = !found;
      if (found) {
        userId = found.user.id;
        name = claims.name ?? found.user.name;
        await tx
          .update(users)
          .set({ lastSignInAt: new Date(), name, image: claims.image ?? found.user.image })
          .where(eq(users.id, userId));
        role = found.role ?? 'member';
        if (!found.role) await tx.insert(memberships).values({ tenantId: tenant.id, userId, role });
      } else {
        const [{ people } = { people: 0 }] = await tx
          .select({ people: count() })
          .from(memberships);
        role = people === 0 ? 'admin' : 'member';
        name = claims.name ?? null;
        const [created] = await tx
          .insert(users)
          .values({ tenantId: tenant.id, email: address, name, image: claims.image ?? null, lastSignInAt: new Date() })
          .returning({ id: users.id });
        if (!created) throw new Error('user insert returned no row');
        userId = created.id;
        await tx.insert(memberships).values({ tenantId: tenant.id, userId, role });
      }
      await recordAudit(tx, {
        tenantId: tenant.id,
        actor: { kind: 'user', userId, email: address, role },
        action: 'auth.sign_in',
        targetType: 'user',
        targetId: userId,
        details: { method: claims.method, firstSignIn, ...(firstSignIn ? { role } : {}) },
        requestId: options.requestId,
      });
      return { ok: true, person: { userId, email: address, name, role, tenant, firstSignIn } };
    });
  } catch (error) {
    // The address is already a person of another tenant (its domain moved between tenants).
    if (isUniqueViolation(error, 'users_email_key')) return refuse('email_in_other_workspace', null);
    throw error;
  }
}
