import { LockKeyholeIcon } from '@/components/ui/icons';
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { EmptyState } from '@/components/empty-state';
import { Button } from '@/components/ui/button';
import { signInForDevelopment, signInWithGoogle } from '@/server/auth-actions';
import { authSettingsOf, readServerEnv } from '@/server/env';
import { safeReturnTo } from '@/server/return-to';
import { getSignedInMember } from '@/server/session';
import { DevelopmentSignInForm } from './_components/development-sign-in-form';

export const metadata: Metadata = { title: 'Sign in', alternates: { canonical: '/sign-in' } };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[] }> }) {
  const env = readServerEnv();
  const settings = authSettingsOf(env);
  const { callbackUrl } = await searchParams;
  const wanted = Array.isArray(callbackUrl) ? callbackUrl[0] : callbackUrl;
  const appUrl = new URL(env.APP_URL);
  const host = (await headers()).get('host');
  if (host && host !== appUrl.host) {
    // Sign-in happens on APP_URL's host, where Auth.js keeps its cookies; come back here afterwards.
    const back = new URL(safeReturnTo(wanted, env), `${appUrl.protocol}//${host}`).toString();
    redirect(`${env.APP_URL}/sign-in?callbackUrl=${encodeURIComponent(back)}`);
  }
  const returnTo = safeReturnTo(wanted, env);
  if (await getSignedInMember()) redirect(returnTo);

  return (
    <div className="mx-auto flex max-w-lg flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Sign in</h1>
      {settings.google ? (
        <form action={signInWithGoogle} className="flex flex-col gap-3">
          <p className="text-muted-foreground">
            Sign in with your company&apos;s Google Workspace account. Your email domain decides which company&apos;s
            registry you see.
          </p>
          <input type="hidden" name="callbackUrl" value={returnTo} />
          <Button type="submit" size="lg">
            Continue with Google
          </Button>
        </form>
      ) : null}
      {settings.developmentSignIn ? <DevelopmentSignInForm action={signInForDevelopment} callbackUrl={returnTo} /> : null}
      {!settings.google && !settings.developmentSignIn ? (
        <EmptyState icon={LockKeyholeIcon} title="Sign-in is not set up on this server">
          The operator has to configure Google sign-in (<code className="font-mono">AUTH_GOOGLE_ID</code> and{' '}
          <code className="font-mono">AUTH_GOOGLE_SECRET</code>).
        </EmptyState>
      ) : null}
    </div>
  );
}
