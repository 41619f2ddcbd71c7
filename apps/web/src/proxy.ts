import { NextResponse, type NextRequest } from 'next/server';
import { loadSessionMember } from '@everyskill/core/auth/load-session-member';
import { resolveTenantFromHost } from '@everyskill/core/tenants/resolve-tenant-from-host';
import { getDatabase } from '@everyskill/db';
import { authSettingsOf, readServerEnv } from '@/server/env';
import { isLiveSessionToken, readSessionToken, sessionCookieName } from '@/server/session-token';

/** Where a person whose session no longer counts is sent (after the cookie is cleared). */
const ENDED: Record<'deactivated' | 'workspace_inactive' | 'unknown' | 'expired', string> = {
  deactivated: '/account-deactivated',
  workspace_inactive: '/sign-in/refused?reason=workspace_inactive',
  unknown: '/sign-in',
  expired: '/sign-in',
};

/**
 * In front of every page and server action of a signed-in person: re-reads their membership, so
 * a deactivated person (or one whose workspace was switched off) is signed out at their next
 * request, and answers 403 when the host belongs to another tenant than theirs.
 */
export default async function proxy(request: NextRequest): Promise<NextResponse> {
  const env = readServerEnv();
  const settings = authSettingsOf(env);
  const cookieName = sessionCookieName(settings);
  if (!request.cookies.getAll().some((c) => c.name.startsWith(cookieName))) return NextResponse.next();

  const token = await readSessionToken(request.headers.get('cookie'), settings);
  const { db } = await getDatabase();
  const check = isLiveSessionToken(token)
    ? await loadSessionMember(db, { tenantId: token.tid, userId: token.uid })
    : ({ status: 'expired' } as const);
  if (check.status !== 'active') {
    // A link prefetch is not the person's next request: leave the cookie for the real navigation,
    // which is sent to the right page (the page itself also refuses an ended session).
    if (isPrefetch(request.headers)) return NextResponse.next();
    const target = new URL(ENDED[check.status], env.APP_URL);
    const here = request.nextUrl.pathname === target.pathname;
    const response = here ? NextResponse.next() : NextResponse.redirect(target, 303);
    for (const cookie of request.cookies.getAll()) {
      if (!cookie.name.startsWith(cookieName)) continue; // the token may be split into .0, .1, …
      response.cookies.set(cookie.name, '', { path: '/', maxAge: 0, domain: settings.cookieDomain, secure: settings.secureCookies, httpOnly: true, sameSite: 'lax' });
    }
    return response;
  }

  const resolved = await resolveTenantFromHost(
    db,
    { host: request.headers.get('host'), sessionTenantId: check.member.tenant.id },
    { rootDomain: env.ROOT_DOMAIN, production: env.APP_ENV === 'production', devTenantSlug: env.DEV_TENANT_SLUG },
  );
  if (resolved.kind === 'wrong-tenant') {
    // Anything but a read is a server action (by header, or a form posted without JavaScript
    // naming it in a field): refused here, so it never runs in the session's tenant.
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new NextResponse('This address belongs to another workspace than the one you are signed in to.', {
        status: 403,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    // The page answers 403 itself (forbidden()); a rewrite cannot carry a status.
    return NextResponse.rewrite(new URL('/wrong-workspace', request.url));
  }
  return NextResponse.next();
}

/**
 * A router prefetch (any strategy: `next-router-prefetch` 1–3, or a segment prefetch) or a
 * browser's speculative load. Next hands the proxy its router headers only because next.config
 * sets `skipProxyUrlNormalize`; without it every prefetch would look like a navigation.
 */
export function isPrefetch(headers: Headers): boolean {
  return (
    headers.has('next-router-prefetch') ||
    headers.has('next-router-segment-prefetch') ||
    headers.has('x-middleware-prefetch') ||
    headers.get('purpose') === 'prefetch' ||
    headers.get('sec-purpose')?.includes('prefetch') === true
  );
}

export const config = {
  // Pages and server actions; not static files, Auth.js's own routes, or the machine endpoints
  // (health, check-domain, API-key routes), which carry no session.
  matcher: ['/((?!_next/static|_next/image|api/|\\.well-known/|favicon.ico|icon.svg|robots.txt).*)'],
};
