import 'server-only';
import { redirect } from 'next/navigation';
import { headers } from 'next/headers';
import { cache } from 'react';
import { loadSessionMember, type SessionCheck, type SessionMember } from '@everyskill/core/auth/load-session-member';
import { forbidden as forbiddenError, type Ctx } from '@everyskill/core';
import { getDatabase } from '@everyskill/db';
import { authSettingsOf, readServerEnv } from './env';
import { isLiveSessionToken, readSessionToken } from './session-token';

/**
 * This request's signed-in person as the database says now (role and status re-read on every
 * request), or null when nobody is signed in. Shared by the layout and the page of one request.
 */
export const getSessionCheck = cache(async (): Promise<SessionCheck | null> => {
  const token = await readSessionToken((await headers()).get('cookie'), authSettingsOf(readServerEnv()));
  if (!isLiveSessionToken(token)) return null;
  return loadSessionMember((await getDatabase()).db, { tenantId: token.tid, userId: token.uid });
});

/** The signed-in, active person, or null (signed out, deactivated, workspace switched off). */
export async function getSignedInMember(): Promise<SessionMember | null> {
  const check = await getSessionCheck();
  return check?.status === 'active' ? check.member : null;
}

/** The signed-in, active person; anyone else is sent to sign in (the proxy has already ended a revoked session). */
export async function requireMember(returnTo = '/'): Promise<SessionMember> {
  const check = await getSessionCheck();
  if (check?.status === 'deactivated') redirect('/account-deactivated');
  if (check?.status === 'workspace_inactive') redirect('/sign-in/refused?reason=workspace_inactive');
  if (check?.status !== 'active') redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return check.member;
}

/** The ctx core services receive for a signed-in person. */
export async function memberCtx(member: SessionMember): Promise<Ctx> {
  return {
    tenantId: member.tenant.id,
    db: (await getDatabase()).db,
    actor: { kind: 'user', userId: member.userId, email: member.email, role: member.role },
    requestId: (await headers()).get('x-request-id') ?? undefined,
  };
}

/** The ctx of a signed-in admin, for admin pages and actions; anyone else gets `forbidden`. */
export async function requireAdminCtx(returnTo = '/admin'): Promise<Ctx> {
  const member = await requireMember(returnTo);
  if (member.role !== 'admin') throw forbiddenError('only an admin of this workspace can do that');
  return memberCtx(member);
}

/**
 * The ctx of a signed-in admin, or null for anyone else: for admin pages, whose layout already
 * shows non-admins why they cannot see them (layout and page render side by side).
 */
export async function getAdminCtx(returnTo = '/admin'): Promise<Ctx | null> {
  const member = await requireMember(returnTo);
  return member.role === 'admin' ? memberCtx(member) : null;
}
