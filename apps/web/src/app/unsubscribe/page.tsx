import type { Metadata } from 'next';
import { describeUnsubscribeToken } from '@everyskill/core/digests/unsubscribe-by-token';
import { isAppError } from '@everyskill/core';
import { getDatabase } from '@everyskill/db';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import { unsubscribeAction } from './actions';
import { UnsubscribeForm } from './_components/unsubscribe-form';

export const metadata: Metadata = { title: 'Unsubscribe' };

/**
 * The digest email's unsubscribe link: works without signing in (the token is signed). Opening
 * the link changes nothing; the button does, so a mail scanner following links unsubscribes nobody.
 */
export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const token = (await searchParams).token ?? '';
  let target: Awaited<ReturnType<typeof describeUnsubscribeToken>> | null = null;
  let problem: string | null = null;
  try {
    target = await describeUnsubscribeToken((await getDatabase()).db, { token });
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-4">
      <Card>
        <CardHeader>
          <h1 className="text-2xl font-semibold tracking-tight">Unsubscribe from digest emails</h1>
          <CardDescription>
            {target ? `Digest emails of ${target.tenantName} to ${target.email}.` : 'This link does not work.'}
          </CardDescription>
        </CardHeader>
        <CardContent>
          {target ? (
            <UnsubscribeForm token={token} alreadyOff={target.digest === 'off'} action={unsubscribeAction} />
          ) : (
            <p role="alert" className="text-sm text-destructive">
              {problem}
            </p>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
