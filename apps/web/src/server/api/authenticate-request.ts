import 'server-only';
import { authenticateApiKey, type AuthenticatedKey } from '@everyskill/core/api-keys/authenticate-api-key';
import type { Ctx } from '@everyskill/core';
import { AppError } from '@everyskill/core';
import { consumeRateLimit, readRateLimitConfig, type RateLimitState } from '@everyskill/core/rate-limits/consume-rate-limit';
import { findActiveTenant } from '@everyskill/core/tenants/find-active-tenant';
import { parseTenantHost } from '@everyskill/core/tenants/resolve-tenant-from-host';
import { getDatabase, type Database } from '@everyskill/db';
import { readServerEnv } from '../env';
import type { HeaderSource } from './api-response';

export interface AuthenticatedRequest {
  ctx: Ctx & { actor: Extract<Ctx['actor'], { kind: 'api-key' }> };
  rateLimit: RateLimitState;
}

/** The bearer secret of `Authorization: Bearer rlk_…`, or null when the header is absent or of another kind. */
export function bearerSecret(headers: HeaderSource): string | null {
  const header = headers.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : '';
}

/**
 * Builds ctx from the request's API key (tenant from the key; a tenant host must agree) and
 * charges the request to the key's and the tenant's rate limits. Every refusal is an AppError.
 */
export async function authenticateRequest(request: Request, requestId: string): Promise<AuthenticatedRequest> {
  const { db, secret, hostTenant } = await keyOfRequest(request.headers);
  const key = await authenticateApiKey(db, secret, { hostTenant });
  const rateLimit = await chargeKey(db, key);
  return { ctx: { tenantId: key.tenantId, actor: key.actor, db, requestId }, rateLimit };
}

export interface PresentedKey {
  db: Database;
  secret: string;
  /** The tenant the request's host names (null on the root host), which the key must belong to. */
  hostTenant: { slug: string } | { id: string } | null;
}

/** The key a request's headers present and where it was presented, not yet checked (401 when there is none). */
export async function keyOfRequest(headers: HeaderSource): Promise<PresentedKey> {
  const secret = bearerSecret(headers);
  if (secret === null) {
    throw new AppError('unauthorized', 'send an API key as `Authorization: Bearer rlk_…`; create one on your profile page');
  }
  const { db } = await getDatabase();
  return { db, secret, hostTenant: await tenantOfHost(db, headers.get('host')) };
}

/** Charges one request to a checked key's and its tenant's rate limits (`rate_limited` over either). */
export function chargeKey(db: Database, key: Pick<AuthenticatedKey, 'tenantId' | 'actor'>): Promise<RateLimitState> {
  const limits = readRateLimitConfig();
  return consumeRateLimit(db, rulesOf(key.actor.keyId, key.tenantId, limits), limits.API_RATE_LIMIT_WINDOW_SECONDS);
}

/**
 * Charges `cost` more requests to the key's and the tenant's limits (an MCP batch of n calls is n
 * requests); over a limit it throws `rate_limited` like the request itself would.
 */
export async function chargeMore(auth: AuthenticatedRequest, cost: number): Promise<RateLimitState> {
  const limits = readRateLimitConfig();
  return consumeRateLimit(auth.ctx.db, rulesOf(auth.ctx.actor.keyId, auth.ctx.tenantId, limits), limits.API_RATE_LIMIT_WINDOW_SECONDS, { cost });
}

function rulesOf(keyId: string, tenantId: string, limits: ReturnType<typeof readRateLimitConfig>) {
  return [
    { bucket: `key:${keyId}`, limit: limits.API_RATE_LIMIT_PER_KEY },
    { bucket: `tenant:${tenantId}`, limit: limits.API_RATE_LIMIT_PER_TENANT },
  ];
}

/** Which tenant the Host names: a slug for `<slug>.<root>`, an id for a vanity domain, null for the root. */
async function tenantOfHost(db: Database, host: string | null): Promise<{ slug: string } | { id: string } | null> {
  const env = readServerEnv();
  const target = parseTenantHost(host, { rootDomain: env.ROOT_DOMAIN, production: env.APP_ENV === 'production' });
  if (target.kind === 'root') return null;
  if (target.kind === 'subdomain') return { slug: target.slug };
  const tenant = target.kind === 'other' ? await findActiveTenant(db, { vanityDomain: target.host }) : null;
  if (!tenant) throw new AppError('unauthorized', 'this address serves no workspace; use your workspace’s address');
  return { id: tenant.id };
}
