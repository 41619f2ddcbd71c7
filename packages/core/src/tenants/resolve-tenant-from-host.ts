import type { Database, Tenant } from '@everyskill/db';
import { findActiveTenant } from './find-active-tenant';

/** What a request's Host says about its tenant, before any database lookup. */
export type TenantHost =
  | { kind: 'subdomain'; slug: string }
  | { kind: 'root' }
  /** Any other well-formed host: possibly a tenant's vanity domain. */
  | { kind: 'other'; host: string }
  | { kind: 'invalid' };

export interface HostRules {
  /** Tenants live at `<slug>.<rootDomain>`. */
  rootDomain: string;
  /** In production loopback hosts are not the root and there is no development tenant. */
  production: boolean;
}

export interface TenantResolutionConfig extends HostRules {
  /** Tenant shown to anonymous visitors on the bare root domain outside production; null for none. */
  devTenantSlug: string | null;
}

/**
 * The tenant a request is for:
 * - `tenant`: found from the host (`subdomain`, `vanity`), or on the bare root domain from the
 *   session (`session`) or, for anonymous visitors outside production, DEV_TENANT_SLUG (`dev-fallback`);
 * - `wrong-tenant`: the host belongs to another tenant than the signed-in person's (a 403, never its data);
 * - `none`: the bare root domain in production without a session (`root-domain`), a host that is
 *   neither ours nor a verified vanity domain (`unknown-host`), a subdomain no active tenant has
 *   (`unknown-slug`), a DEV_TENANT_SLUG not created yet (`dev-tenant-missing`), or a session whose
 *   tenant is no longer active (`session-tenant-inactive`).
 */
export type ResolvedTenant =
  | { kind: 'tenant'; tenant: Tenant; via: 'subdomain' | 'vanity' | 'session' | 'dev-fallback' }
  | { kind: 'wrong-tenant'; hostTenant: Tenant }
  | { kind: 'none'; reason: 'root-domain' | 'unknown-host' | 'session-tenant-inactive'; slug: null }
  | { kind: 'none'; reason: 'unknown-slug' | 'dev-tenant-missing'; slug: string };

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const SLUG = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * `<slug>.<rootDomain>` → that slug; the bare root domain (and, outside production, a loopback
 * address) → root; another well-formed host → other (maybe a vanity domain); else invalid.
 */
export function parseTenantHost(hostHeader: string | null | undefined, rules: HostRules): TenantHost {
  const host = stripPort((hostHeader ?? '').trim().toLowerCase());
  const root = rules.rootDomain.trim().toLowerCase();
  if (host === root || (!rules.production && LOOPBACK.has(host))) return { kind: 'root' };
  const suffix = `.${root}`;
  if (host.endsWith(suffix)) {
    const label = host.slice(0, -suffix.length);
    return SLUG.test(label) ? { kind: 'subdomain', slug: label } : { kind: 'invalid' };
  }
  return HOSTNAME.test(host) ? { kind: 'other', host } : { kind: 'invalid' };
}

/** Resolves a request's tenant from its Host header and the signed-in person's tenant (if any). */
export async function resolveTenantFromHost(
  db: Database,
  request: { host: string | null | undefined; sessionTenantId: string | null },
  config: TenantResolutionConfig,
): Promise<ResolvedTenant> {
  const target = parseTenantHost(request.host, config);
  if (target.kind === 'invalid') return { kind: 'none', reason: 'unknown-host', slug: null };
  if (target.kind === 'root') {
    if (request.sessionTenantId) {
      const tenant = await findActiveTenant(db, { id: request.sessionTenantId });
      return tenant ? { kind: 'tenant', tenant, via: 'session' } : { kind: 'none', reason: 'session-tenant-inactive', slug: null };
    }
    const devSlug = config.production ? null : config.devTenantSlug;
    if (!devSlug) return { kind: 'none', reason: 'root-domain', slug: null };
    const tenant = await findActiveTenant(db, { slug: devSlug });
    return tenant ? { kind: 'tenant', tenant, via: 'dev-fallback' } : { kind: 'none', reason: 'dev-tenant-missing', slug: devSlug };
  }
  const tenant =
    target.kind === 'subdomain'
      ? await findActiveTenant(db, { slug: target.slug })
      : await findActiveTenant(db, { vanityDomain: target.host });
  if (!tenant) {
    return target.kind === 'subdomain'
      ? { kind: 'none', reason: 'unknown-slug', slug: target.slug }
      : { kind: 'none', reason: 'unknown-host', slug: null };
  }
  if (request.sessionTenantId && request.sessionTenantId !== tenant.id) return { kind: 'wrong-tenant', hostTenant: tenant };
  return { kind: 'tenant', tenant, via: target.kind === 'subdomain' ? 'subdomain' : 'vanity' };
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1); // [::1]:3000
  const colon = host.lastIndexOf(':');
  return colon === -1 || host.indexOf(':') !== colon ? host : host.slice(0, colon);
}
