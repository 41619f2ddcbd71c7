import { createHmac, timingSafeEqual } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function signatureOf(secret: string, payload: string): Buffer {
  // A key of its own, derived from the deployment's secret: a session signature is never a valid token.
  const key = createHmac('sha256', secret).update('everyskill unsubscribe v1').digest();
  return createHmac('sha256', key).update(payload).digest();
}

/** A token naming one person of one tenant, for the one-click unsubscribe link (no expiry, by design). */
export function signUnsubscribeToken(secret: string, tenantId: string, userId: string): string {
  const payload = Buffer.from(`${tenantId}.${userId}`).toString('base64url');
  return `${payload}.${signatureOf(secret, payload).toString('base64url')}`;
}

/** The tenant and person a token names, or null when it was not signed with this secret. */
export function verifyUnsubscribeToken(secret: string, token: string): { tenantId: string; userId: string } | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = signatureOf(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [tenantId, userId] = Buffer.from(payload, 'base64url').toString('utf8').split('.');
  if (!tenantId || !userId || !UUID.test(tenantId) || !UUID.test(userId)) return null;
  return { tenantId, userId };
}
