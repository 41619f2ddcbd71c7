import { TriangleAlertIcon } from '@/components/ui/icons';
import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { EmptyState } from '@/components/empty-state';
import { buttonVariants } from '@/components/ui/button';

export const metadata: Metadata = { title: 'Sign-in problem' };

const MESSAGES: Record<string, string> = {
  Configuration: 'Sign-in is not configured correctly on this server. The operator can find the details in the server log.',
  AccessDenied: 'You could not be signed in.',
  Verification: 'The sign-in link has expired or was already used.',
};

/** Auth.js sends its own failures here (`?error=Configuration|AccessDenied|…`); never a stack trace. */
export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<{ error?: string | string[] }> }) {
  const { error } = await searchParams;
  const code = Array.isArray(error) ? error[0] : error;
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Sign-in problem</h1>
      <EmptyState
        icon={TriangleAlertIcon}
        title="Something went wrong while signing you in"
        action={
          <Link href="/sign-in" className={buttonVariants({ variant: 'outline' })}>
            Try again
          </Link>
        }
      >
        {code && Object.hasOwn(MESSAGES, code) ? MESSAGES[code] : 'The sign-in did not complete. Please try again in a moment.'}
      </EmptyState>
    </div>
  );
}
