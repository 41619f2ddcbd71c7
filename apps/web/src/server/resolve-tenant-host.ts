/** What a request's Host says about its tenant, before any database lookup. */
export type TenantHost =
  | { kind: 'subdomain'; slug: string }
  | { kind: 'root' }
  | { kind: 'unknown'; host: string };

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const SLUG = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * `<slug>.<rootDomain>` → that tenant's slug; the bare root domain (and, outside production, a
 * loopback address) → root; anything else (vanity domains, IP addresses) → unknown.
 */
export function resolveTenantFromHost(
  hostHeader: string | null,
  options: { rootDomain: string; production: boolean },
): TenantHost {
  const host = stripPort((hostHeader ?? '').trim().toLowerCase());
  const root = options.rootDomain.toLowerCase();
  if (host === root || (!options.production && LOOPBACK.has(host))) return { kind: 'root' };
  const suffix = `.${root}`;
  if (host.endsWith(suffix)) {
    const label = host.slice(0, -suffix.length);
    if (SLUG.test(label)) return { kind: 'subdomain', slug: label };
  }
  return { kind: 'unknown', host };
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1); // [::1]:3000
  const colon = host.lastIndexOf(':');
  return colon === -1 || host.indexOf(':') !== colon ? host : host.slice(0, colon);
}
