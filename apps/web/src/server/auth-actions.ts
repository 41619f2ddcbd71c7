'use server';

import { AuthError } from 'next-auth';
import { developmentSignInInput } from '@everyskill/contracts';
import { signIn, signOut } from './auth';
import { authSettingsOf, readServerEnv } from './env';
import { logger } from './logger';
import { safeReturnTo } from './return-to';

export interface DevelopmentSignInState {
  error: string | null;
  email: string;
}

/** Starts Google sign-in; Auth.js redirects to Google and back to `callbackUrl` (checked) afterwards. */
export async function signInWithGoogle(form: FormData): Promise<void> {
  await signIn('google', { redirectTo: safeReturnTo(form.get('callbackUrl'), readServerEnv()) });
}

/** The development sign-in: any address, no password, the same tenant rules; never in production. */
export async function signInForDevelopment(_state: DevelopmentSignInState, form: FormData): Promise<DevelopmentSignInState> {
  const env = readServerEnv();
  const typed = String(form.get('email') ?? '');
  if (!authSettingsOf(env).developmentSignIn) return { error: 'The development sign-in is switched off on this server.', email: typed };
  const parsed = developmentSignInInput.safeParse({ email: typed });
  if (!parsed.success) return { error: `Email ${parsed.error.issues[0]?.message ?? 'is not valid'}.`, email: typed };
  try {
    // Success and refusal both end in a redirect (thrown, so Next.js performs it).
    await signIn('development', { email: parsed.data.email, redirectTo: safeReturnTo(form.get('callbackUrl'), env) });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    logger.warn('development sign-in failed', { type: error.type });
    return { error: 'Sign-in failed; check the address and try again.', email: typed };
  }
  return { error: null, email: typed };
}

/** Ends the session and returns to the home page. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/' });
}
