'use client';

import { FlaskConicalIcon } from '@/components/ui/icons/flask-conical';
import { useActionState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import type { DevelopmentSignInState } from '@/server/auth-actions';

/** The clearly labelled development sign-in: an email address, no password, never in production. */
export function DevelopmentSignInForm({
  action,
  callbackUrl,
}: {
  action: (state: DevelopmentSignInState, form: FormData) => Promise<DevelopmentSignInState>;
  callbackUrl: string;
}) {
  const [state, formAction, pending] = useActionState(action, { error: null, email: '' });
  return (
    <Card className="border-dashed border-amber-500/60" data-testid="development-sign-in">
      <CardHeader>
        <Badge variant="warning">
          <FlaskConicalIcon aria-hidden /> Development only
        </Badge>
        <CardTitle as="h2">Development sign-in</CardTitle>
        <CardDescription>
          Signs you in as any address of a workspace&apos;s email domain, without a password. It exists only outside
          production; a production server refuses to start with it switched on. The demo workspace has{' '}
          <code className="font-mono">ada@demo.test</code> (admin) and <code className="font-mono">max@demo.test</code>{' '}
          (member).
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form action={formAction} className="flex flex-col gap-3" noValidate>
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <label className="flex flex-col gap-1 text-sm font-medium">
            Email
            <Input
              name="email"
              type="email"
              autoComplete="email"
              required
              defaultValue={state.email}
              placeholder="ada@demo.test"
              aria-invalid={state.error ? true : undefined}
              aria-describedby={state.error ? 'development-sign-in-error' : undefined}
            />
          </label>
          {state.error ? (
            <p id="development-sign-in-error" role="alert" className="text-sm text-destructive">
              {state.error}
            </p>
          ) : null}
          <Button type="submit" variant="outline" disabled={pending}>
            {pending ? 'Signing in…' : 'Sign in for development'}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
