import { domainName } from '@everyskill/contracts';
import type { Database } from '@everyskill/db';
import { findActiveTenant } from './find-active-tenant';
import { parseTenantHost } from './resolve-tenant-from-host';

/** `allowed`: issue a certificate (200); `unknown`: not ours (404); `malformed`: not a host name (400). */
export type DomainCheck = 'allowed' | 'unknown' | 'malformed';

/** Host names served without a tenant: the root domain itself and the staging portal. */
const FIXED_SUBDOMAINS = ['staging'];

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** The host name check-domain answers for, lowercased, or null when `input` is not a bare host name. */
export function normalizeDomainQuery(input: string | null | undefined): string | null {
  const name = (input ?? '').trim().toLowerCase();
  return HOSTNAME.test(name) ? name : null;
}

/**
 * Whether this deployment serves `name`: the root domain, `staging.<root>`, an active tenant's
 * `<slug>.<root>`, or an active tenant's verified vanity domain. One database lookup at most.
 */
export async function isServedDomain(db: Database, name: string, rootDomain: string): Promise<boolean> {
  const root = rootDomain.toLowerCase();
  if (name === root || FIXED_SUBDOMAINS.some((sub) => name === `${sub}.${root}`)) return true;
  const target = parseTenantHost(name, { rootDomain: root, production: true });
  if (target.kind === 'subdomain') return (await findActiveTenant(db, { slug: target.slug })) !== null;
  // Vanity domains were validated as domain names when added; anything else needs no query.
  if (target.kind === 'other' && domainName.safeParse(name).success) {
    return (await findActiveTenant(db, { vanityDomain: name })) !== null;
  }
  return false;
}

export interface DomainCheckerOptions {
  rootDomain: string;
  /** How long a served name is remembered. */
  positiveTtlMs?: number;
  /** How long an unknown name is remembered; shorter, so a new tenant gets its certificate soon. */
  negativeTtlMs?: number;
  /** Most names remembered; the oldest is forgotten first, so a flood of random names cannot grow memory. */
  maxEntries?: number;
  now?: () => number;
  /** The uncached lookup (tests count its calls); defaults to isServedDomain. */
  lookup?: (db: Database, name: string, rootDomain: string) => Promise<boolean>;
}

export interface DomainChecker {
  check(input: string | null | undefined): Promise<DomainCheck>;
  clear(): void;
}

interface CacheEntry {
  answer: Promise<boolean>;
  expiresAt: number;
}

/**
 * check-domain for Caddy's on-demand TLS, with a bounded in-process TTL cache of positive and
 * negative answers; concurrent checks of one name share a single lookup.
 */
export function createDomainChecker(getDb: () => Promise<Database>, options: DomainCheckerOptions): DomainChecker {
  const positiveTtl = options.positiveTtlMs ?? 60_000;
  const negativeTtl = options.negativeTtlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const lookup = options.lookup ?? isServedDomain;
  const cache = new Map<string, CacheEntry>();

  function remember(name: string, entry: CacheEntry): void {
    cache.delete(name);
    while (cache.size >= maxEntries) {
      const oldest = cache.keys().next();
      if (oldest.done) break;
      cache.delete(oldest.value);
    }
    cache.set(name, entry);
  }

  return {
    async check(input) {
      const name = normalizeDomainQuery(input);
      if (!name) return 'malformed';
      const cached = cache.get(name);
      if (cached && cached.expiresAt > now()) return (await cached.answer) ? 'allowed' : 'unknown';
      const entry: CacheEntry = { answer: getDb().then((db) => lookup(db, name, options.rootDomain)), expiresAt: Infinity };
      remember(name, entry);
      try {
        const served = await entry.answer;
        entry.expiresAt = now() + (served ? positiveTtl : negativeTtl);
        return served ? 'allowed' : 'unknown';
      } catch (error) {
        // A failed lookup is not an answer: the next check asks the database again.
        if (cache.get(name) === entry) cache.delete(name);
        throw error;
      }
    },
    clear() {
      cache.clear();
    },
  };
}
