import { apiKeys, and, eq, isNull, lt, or, rowsOf, sql, withTenant, type Database } from '@everyskill/db';
import { scopesAllowedForRole, type ApiKeyScope, type Role } from '@everyskill/contracts';
import type { Actor } from '../context';
import { AppError, forbidden } from '../errors';
import { apiKeyMatchesHash, hashApiKey, isWellFormedApiKey } from './api-key-secret';
import { effectiveExpiry } from './api-key-view';

/** `last_used_at` is written at most this often per key, so a busy agent costs no write per request. */
export const LAST_USED_RESOLUTION_MS = 5 * 60_000;

export type ApiKeyActor = Extract<Actor, { kind: 'api-key' }>;

export interface AuthenticatedKey {
  tenantId: string;
  actor: ApiKeyActor;
  /** The background `last_used_at` write when this request made one (tests await it). */
  touched: Promise<void> | null;
}

export interface KeyRow {
  id: string;
  tenant_id: string;
  user_id: string;
  key_hash: string;
  scopes: string[];
  created_at: Date | string;
  expires_at: Date | string;
  revoked_at: Date | string | null;
  last_used_at: Date | string | null;
  tenant_slug: string;
  tenant_status: string;
  tenant_key_expiry_days: number;
  member_role: Role | null;
  member_status: string | null;
}

const unauthorized = (message: string) => new AppError('unauthorized', message);
const lastTouched = new Map<string, number>();

type HostTenant = { slug: string } | { id: string } | null;
export interface KeyCheckOptions {
  hostTenant?: HostTenant;
  now?: Date;
}

/**
 * Finds the key a request presents and checks, every time: shape, hash (constant-time), revocation,
 * expiry (its own and the tenant's current lifetime), the tenant's and the owner's status, and,
 * when the request came to a tenant's host, that the key belongs to that tenant. The key's scopes
 * are narrowed to what the owner's current role allows.
 */
export async function authenticateApiKey(db: Database, secret: string, options: KeyCheckOptions = {}): Promise<AuthenticatedKey> {
  const hash = hashOfWellFormedKey(secret);
  const rows = rowsOf<KeyRow>(await db.execute(sql`SELECT * FROM api_key_for_hash(${hash})`));
  return checkApiKeyRow(db, secret, rows[0] ?? null, options);
}

/** The key's hash, after the shape check (a malformed key is refused before any lookup). */
export function hashOfWellFormedKey(secret: string): string {
  if (!isWellFormedApiKey(secret)) {
    throw unauthorized('the API key is malformed: it must be `rlk_` followed by 43 letters and digits');
  }
  return hashApiKey(secret);
}

/**
 * The key's row as one column of another statement, `(SELECT row_to_json(k) …)`: a read can carry
 * its own key check in the same snapshot (see checkApiKeyRow), so it needs no statement of its own.
 */
export function apiKeyRowColumn(hash: string | ReturnType<typeof sql.placeholder>) {
  return sql<KeyRow | null>`(SELECT row_to_json(k) FROM api_key_for_hash(${hash}) k)`;
}

/** Every check of authenticateApiKey on a row read by api_key_for_hash (or apiKeyRowColumn). */
export function checkApiKeyRow(db: Database, secret: string, row: KeyRow | null, options: KeyCheckOptions = {}): AuthenticatedKey {
  if (!apiKeyMatchesHash(secret, row?.key_hash ?? null) || !row) {
    throw unauthorized('the API key is not valid; create one on your profile page');
  }
  const now = options.now ?? new Date();
  if (row.revoked_at) throw unauthorized('the API key was revoked; create a new one on your profile page');
  const expiresAt = effectiveExpiry(
    { createdAt: new Date(row.created_at), expiresAt: new Date(row.expires_at) },
    row.tenant_key_expiry_days,
  );
  if (expiresAt <= now) {
    throw unauthorized(`the API key expired on ${expiresAt.toISOString()}; create a new one on your profile page`);
  }
  const host = options.hostTenant;
  if (host && ('slug' in host ? host.slug !== row.tenant_slug : host.id !== row.tenant_id)) {
    throw unauthorized('the API key belongs to another workspace; use it on that workspace’s address');
  }
  if (row.tenant_status !== 'active') throw forbidden('this workspace is inactive');
  if (!row.member_role || row.member_status !== 'active') {
    throw unauthorized('the person this API key belongs to is no longer an active member');
  }
  const allowed = scopesAllowedForRole[row.member_role];
  const scopes = row.scopes.filter((s): s is ApiKeyScope => (allowed as readonly string[]).includes(s));
  return {
    tenantId: row.tenant_id,
    actor: { kind: 'api-key', userId: row.user_id, keyId: row.id, role: row.member_role, scopes },
    touched: touchLastUsed(db, row, now),
  };
}

// A key's tenant never changes (no update moves a key), so it is remembered once found; whether
// the key is still valid is checked at every request all the same.
const KEY_TENANTS_MAX = 10_000;
const keyTenants = new Map<string, string>();

/**
 * The tenant of the key with this hash (remembered after the first lookup), or null when no key
 * has it. A read as that tenant then checks the key itself with apiKeyRowColumn.
 */
export async function tenantOfApiKey(db: Database, hash: string): Promise<string | null> {
  const known = keyTenants.get(hash);
  if (known) return known;
  const [row] = rowsOf<{ tenant_id: string }>(await db.execute(sql`SELECT tenant_id FROM api_key_for_hash(${hash})`));
  if (!row) return null;
  if (keyTenants.size >= KEY_TENANTS_MAX) keyTenants.delete(keyTenants.keys().next().value!);
  keyTenants.set(hash, row.tenant_id);
  return row.tenant_id;
}

function touchLastUsed(db: Database, row: KeyRow, now: Date): Promise<void> | null {
  const stored = row.last_used_at ? new Date(row.last_used_at).getTime() : 0;
  const seen = Math.max(stored, lastTouched.get(row.id) ?? 0);
  if (now.getTime() - seen < LAST_USED_RESOLUTION_MS) return null;
  lastTouched.set(row.id, now.getTime());
  const cutoff = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  return withTenant(db, row.tenant_id, async (tx) => {
    await tx
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, cutoff))));
  }).catch(() => {
    // A lost "last used" stamp is harmless; the next request past the resolution retries it.
    lastTouched.delete(row.id);
  });
}
