import { getToken, type JWT } from 'next-auth/jwt';
import type { AuthSettings } from './env';

/** How long a session lives from sign-in (Auth.js alone would slide the expiry on every read). */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

/** The session cookie's name: `__Secure-` prefixed on the HTTPS deployments, its own on staging. */
export function sessionCookieName(settings: Pick<AuthSettings, 'sessionCookieName'>): string {
  return settings.sessionCookieName;
}

/** True for a token of a signed-in person that is less than 8 hours old. */
export function isLiveSessionToken(token: JWT | null): token is JWT & { uid: string; tid: string; signedInAt: number } {
  if (!token?.uid || !token.tid || typeof token.signedInAt !== 'number') return false;
  const age = Date.now() - token.signedInAt;
  return age >= 0 && age <= SESSION_MAX_AGE_SECONDS * 1000;
}

/**
 * Decodes the session cookie of `cookieHeader` without re-signing it (Auth.js's session read
 * re-signs and sets the cookie again, which would undo a sign-out decided by the caller).
 */
export async function readSessionToken(cookieHeader: string | null, settings: AuthSettings): Promise<JWT | null> {
  const cookieName = sessionCookieName(settings);
  return getToken({
    // Only the cookie: a session token presented as `Authorization: Bearer` is not a session.
    req: { headers: new Headers(cookieHeader ? { cookie: cookieHeader } : {}) },
    secret: settings.secret,
    secureCookie: settings.secureCookies,
    cookieName,
    salt: cookieName,
  });
}
