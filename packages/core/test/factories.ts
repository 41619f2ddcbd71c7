import { openDatabase, type Database } from '@everyskill/db';
import { mode, uniqueSlug, type TestDatabases } from '@everyskill/db/testing';
import type { Actor, Ctx } from '../src/context';
import { acceptSignIn, type SignInClaims, type SignedInPerson } from '../src/auth/accept-sign-in';
import { createTenant } from '../src/tenants/create-tenant';

export const systemActor: Actor = { kind: 'system', label: 'test' };

/** A fresh tenant (own slug, own email domain `<slug>.test`) created through the owner connection, as the CLI does. */
export async function makeTenant(dbs: TestDatabases, prefix = 't'): Promise<{ id: string; slug: string; domain: string }> {
  const slug = uniqueSlug(prefix);
  const domain = `${slug}.test`;
  const tenant = await createTenant(dbs.owner.db, systemActor, { slug, name: `Tenant ${slug}`, emailDomains: [domain] });
  return { id: tenant.id, slug, domain };
}

/** Signs a person in through the real decision and fails the test when it is refused. */
export async function signedIn(db: Database, email: string, claims: Partial<SignInClaims> = {}): Promise<SignedInPerson> {
  const decision = await acceptSignIn(db, { email, emailVerified: true, method: 'google', ...claims });
  if (!decision.ok) throw new Error(`sign-in of ${email} was refused: ${decision.reason}`);
  return decision.person;
}

/** A ctx acting as a signed-in person. */
export function ctxOf(db: Database, person: SignedInPerson): Ctx {
  return {
    tenantId: person.tenant.id,
    db,
    actor: { kind: 'user', userId: person.userId, email: person.email, role: person.role },
  };
}

export interface AuditRow {
  tenant_id: string | null;
  action: string;
  target_id: string | null;
  actor_label: string | null;
  details: Record<string, unknown>;
}

/**
 * Audit rows for a target, read as a superuser: tenant-less rows (refused sign-ins) are visible
 * to no app or owner transaction, by design, so tests read them around row-level security.
 */
export async function auditRowsFor(dbs: TestDatabases, targetId: string): Promise<AuditRow[]> {
  const query = `SELECT tenant_id, action, target_id, actor_label, details FROM audit_log WHERE target_id = $1 ORDER BY id`;
  if (mode === 'pglite') return dbs.owner.session((s) => s.query<AuditRow>(query, [targetId]));
  const admin = new URL(process.env.TEST_PG_ADMIN_URL!);
  admin.pathname = new URL(process.env.DATABASE_URL!).pathname;
  const su = await openDatabase({ url: admin.toString(), poolMax: 1 });
  try {
    return await su.session((s) => s.query<AuditRow>(query, [targetId]));
  } finally {
    await su.close();
  }
}

/** The messages of an error and of the errors it wraps (drizzle puts PostgreSQL's own in `cause`). */
export async function rejectionText(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const parts: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(e.message);
    return parts.join(' <- ');
  }
  throw new Error('expected a rejection, but the promise resolved');
}
