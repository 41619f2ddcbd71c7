import 'server-only';
import { headers } from 'next/headers';
import { cache } from 'react';
import { resolveTenantFromHost } from '@everyskill/core/tenants/resolve-tenant-from-host';
import { getDatabase, type Tenant } from '@everyskill/db';
import { readServerEnv } from './env';
import { getSignedInMember } from './session';

/**
 * The tenant a request is for, and how it was found (the rule lives in core's resolveTenantFromHost):
 * - `subdomain` / `vanity`: the host names it; tenant is null when no active tenant has that slug;
 * - `session`: the bare root domain shows the signed-in person's own tenant;
 * - `dev-fallback`: the bare root domain outside production, for anonymous visitors, serving
 *   DEV_TENANT_SLUG; tenant is null when that tenant does not exist yet (not seeded);
 * - `wrong-tenant`: the host belongs to another tenant than the signed-in person's — never shown;
 * - `root-domain`: the bare root domain in production without a session, which belongs to no tenant;
 * - `unknown-host`: a host this app does not serve.
 */
export type CurrentTenant =
  | { via: 'subdomain' | 'vanity' | 'session' | 'dev-fallback'; slug: string; tenant: Tenant }
  | { via: 'subdomain' | 'dev-fallback'; slug: string; tenant: null }
  | { via: 'wrong-tenant' | 'root-domain' | 'unknown-host'; slug: null; tenant: null };

/** Resolves the current request's tenant once per request (layout and page share the answer). */
export const getCurrentTenant = cache(async (): Promise<CurrentTenant> => {
  const env = readServerEnv();
  const member = await getSignedInMember();
  const resolved = await resolveTenantFromHost(
    (await getDatabase()).db,
    { host: (await headers()).get('host'), sessionTenantId: member?.tenant.id ?? null },
    { rootDomain: env.ROOT_DOMAIN, production: env.APP_ENV === 'production', devTenantSlug: env.DEV_TENANT_SLUG },
  );
  switch (resolved.kind) {
    case 'tenant':
      return { via: resolved.via, slug: resolved.tenant.slug, tenant: resolved.tenant };
    case 'wrong-tenant':
      return { via: 'wrong-tenant', slug: null, tenant: null };
  }
  switch (resolved.reason) {
    case 'unknown-slug':
      return { via: 'subdomain', slug: resolved.slug, tenant: null };
    case 'dev-tenant-missing':
      return { via: 'dev-fallback', slug: resolved.slug, tenant: null };
    case 'unknown-host':
      return { via: 'unknown-host', slug: null, tenant: null };
    case 'root-domain':
    case 'session-tenant-inactive':
      return { via: 'root-domain', slug: null, tenant: null };
  }
});
