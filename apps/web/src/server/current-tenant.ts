import 'server-only';
import { headers } from 'next/headers';
import { cache } from 'react';
import { and, eq, getDatabase, tenants, withoutTenant, type Tenant } from '@everyskill/db';
import { readServerEnv } from './env';
import { resolveTenantFromHost } from './resolve-tenant-host';

/**
 * The tenant a request is for, and how it was found:
 * - `subdomain`: `<slug>.<ROOT_DOMAIN>`; tenant is null when no active tenant has that slug;
 * - `dev-fallback`: the bare root domain outside production, serving DEV_TENANT_SLUG; tenant is
 *   null when that tenant does not exist yet (the database has not been seeded);
 * - `root-domain`: the bare root domain in production, which belongs to no tenant;
 * - `unknown-host`: a host this app does not serve (yet: vanity domains come later).
 */
export type CurrentTenant =
  | { via: 'subdomain' | 'dev-fallback'; slug: string; tenant: Tenant | null }
  | { via: 'root-domain' | 'unknown-host'; slug: null; tenant: null };

/** Resolves the current request's tenant once per request (layout and page share the answer). */
export const getCurrentTenant = cache(async (): Promise<CurrentTenant> => {
  const env = readServerEnv();
  const target = resolveTenantFromHost((await headers()).get('host'), {
    rootDomain: env.ROOT_DOMAIN,
    production: env.APP_ENV === 'production',
  });
  if (target.kind === 'unknown') return { via: 'unknown-host', slug: null, tenant: null };
  if (target.kind === 'subdomain') {
    return { via: 'subdomain', slug: target.slug, tenant: await findActiveTenantBySlug(target.slug) };
  }
  if (!env.DEV_TENANT_SLUG) return { via: 'root-domain', slug: null, tenant: null };
  return { via: 'dev-fallback', slug: env.DEV_TENANT_SLUG, tenant: await findActiveTenantBySlug(env.DEV_TENANT_SLUG) };
});

// TODO(core): move to @everyskill/core (tenants/find-tenant-by-slug.ts) once it exists there.
async function findActiveTenantBySlug(slug: string): Promise<Tenant | null> {
  const { db } = await getDatabase();
  const rows = await withoutTenant(db, (tx) =>
    tx
      .select()
      .from(tenants)
      .where(and(eq(tenants.slug, slug), eq(tenants.status, 'active')))
      .limit(1),
  );
  return rows[0] ?? null;
}
