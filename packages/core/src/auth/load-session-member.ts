import type { Role } from '@everyskill/contracts';
import { and, eq, memberships, tenants, users, withTenant, type Database } from '@everyskill/db';

export interface SessionMember {
  userId: string;
  email: string;
  name: string | null;
  image: string | null;
  role: Role;
  tenant: { id: string; slug: string; name: string; logoUrl: string | null };
}

/**
 * `active`: the person may proceed with this role; `deactivated`: their account was deactivated;
 * `workspace_inactive`: their tenant was switched off; `unknown`: no such person (removed).
 */
export type SessionCheck =
  | { status: 'active'; member: SessionMember }
  | { status: 'deactivated' | 'workspace_inactive' | 'unknown' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Re-reads a session's person, role and status on every request, so deactivation and role
 * changes apply at the next request instead of when the session token expires.
 */
export async function loadSessionMember(db: Database, session: { tenantId: string; userId: string }): Promise<SessionCheck> {
  if (!UUID.test(session.tenantId) || !UUID.test(session.userId)) return { status: 'unknown' };
  const [row] = await withTenant(db, session.tenantId, (tx) =>
    tx
      .select({
        userId: users.id,
        email: users.email,
        name: users.name,
        image: users.image,
        role: memberships.role,
        status: memberships.status,
        tenant: { id: tenants.id, slug: tenants.slug, name: tenants.name, logoUrl: tenants.logoUrl, status: tenants.status },
      })
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, users.tenantId)))
      .innerJoin(tenants, eq(tenants.id, users.tenantId))
      .where(eq(users.id, session.userId))
      .limit(1),
  );
  if (!row) return { status: 'unknown' };
  if (row.tenant.status !== 'active') return { status: 'workspace_inactive' };
  if (row.status !== 'active') return { status: 'deactivated' };
  const { id, slug, name, logoUrl } = row.tenant;
  return {
    status: 'active',
    member: { userId: row.userId, email: row.email, name: row.name, image: row.image, role: row.role, tenant: { id, slug, name, logoUrl } },
  };
}
