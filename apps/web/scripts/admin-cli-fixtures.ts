// What the admin CLI's tests set up and read back, through core's services and the app role only
// (core's own test factories stay in core).
import type { Actor } from '@everyskill/core';
import { acceptSignIn, type SignedInPerson } from '@everyskill/core/auth/accept-sign-in';
import { createTenant } from '@everyskill/core/tenants/create-tenant';
import { asc, auditLog, eq, withTenant, type Database } from '@everyskill/db';
import { uniqueSlug, type TestDatabases } from '@everyskill/db/testing';

const testActor: Actor = { kind: 'system', label: 'test' };

/** Signs a person in through the real decision and fails the test when it is refused. */
export async function signedIn(db: Database, email: string): Promise<SignedInPerson> {
  const decision = await acceptSignIn(db, { email, emailVerified: true, method: 'google' });
  if (!decision.ok) throw new Error(`sign-in of ${email} was refused: ${decision.reason}`);
  return decision.person;
}

/** A fresh tenant (email domain `<slug>.test`) with an admin (its first person to sign in) and a member. */
export async function tenantWithPeople(dbs: TestDatabases): Promise<{ tenantId: string; slug: string; people: Record<'admin' | 'member', SignedInPerson> }> {
  const slug = uniqueSlug('keys');
  const tenant = await createTenant(dbs.owner.db, testActor, { slug, name: `Tenant ${slug}`, emailDomains: [`${slug}.test`] });
  const admin = await signedIn(dbs.app.db, `admin@${slug}.test`);
  const member = await signedIn(dbs.app.db, `member@${slug}.test`);
  return { tenantId: tenant.id, slug, people: { admin, member } };
}

/** The audit rows of one target in its tenant, oldest first, as the app role reads them. */
export async function auditRowsFor(db: Database, tenantId: string, targetId: string): Promise<{ action: string; actor_label: string | null }[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({ action: auditLog.action, actor_label: auditLog.actorLabel })
      .from(auditLog)
      .where(eq(auditLog.targetId, targetId))
      .orderBy(asc(auditLog.id)),
  );
}
