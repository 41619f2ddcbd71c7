import { LockKeyholeIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';
import { buttonVariants } from '@/components/ui/button';

export const metadata: Metadata = { title: 'Sign in', alternates: { canonical: '/sign-in' } };

export default function SignInPage() {
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Sign in</h1>
      <EmptyState
        icon={LockKeyholeIcon}
        title="Sign-in is not available yet"
        action={
          <Link href="/" className={buttonVariants({ variant: 'outline' })}>
            Back to home
          </Link>
        }
      >
        You will sign in with your work account; your email domain decides which company&apos;s registry you see. This
        server cannot sign anyone in yet.
      </EmptyState>
    </div>
  );
}
