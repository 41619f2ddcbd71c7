import type { Metadata } from 'next';
import { isAppError } from '@everyskill/core';
import { getDeviceAuthorization, type DeviceAuthorizationView } from '@everyskill/core/cli-devices/decide-device-authorization';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { memberCtx, requireMember } from '@/server/session';
import { decideDeviceAction } from './actions';

export const metadata: Metadata = { title: 'Sign in the everyskill command' };

type Search = Promise<{ code?: string; done?: string; client?: string; error?: string }>;

/** Where a person approves a sign-in of the everyskill command (device authorization): check the code, then approve or deny. */
export default async function DevicePage({ searchParams }: { searchParams: Search }) {
  const { code, done, client, error } = await searchParams;
  const member = await requireMember(code ? `/device?code=${encodeURIComponent(code)}` : '/device');
  if (done) {
    return (
      <Frame>
        <p role="status" className="text-lg">
          {done === 'approved'
            ? `Approved: ${client ?? 'the command'} is signed in as you. You can close this page and go back to the terminal.`
            : `Denied: ${client ?? 'the command'} was not signed in.`}
        </p>
      </Frame>
    );
  }
  let request: DeviceAuthorizationView | null = null;
  let lookupError = error ?? null;
  if (code && !error) {
    try {
      request = await getDeviceAuthorization(await memberCtx(member), code);
    } catch (e) {
      if (!isAppError(e)) throw e;
      lookupError = e.message;
    }
  }
  return (
    <Frame>
      {lookupError ? (
        <p role="alert" className="text-destructive">
          {lookupError}
        </p>
      ) : null}
      {request && request.status === 'pending' ? (
        <form action={decideDeviceAction} className="flex flex-col gap-4">
          <input type="hidden" name="userCode" value={request.userCode} />
          <p>
            <strong>{request.clientName}</strong> asks to use {member.tenant.name}’s skills as you ({member.email}), with a key that
            can read skills and report their use. Check that your terminal shows this code:
          </p>
          <p className="font-mono text-3xl tracking-widest" data-testid="device-user-code">
            {request.userCode}
          </p>
          <div className="flex gap-3">
            <Button type="submit" name="decision" value="approve">
              Approve
            </Button>
            <Button type="submit" name="decision" value="deny" variant="outline">
              Deny
            </Button>
          </div>
        </form>
      ) : (
        <form method="get" action="/device" className="flex max-w-sm flex-col gap-3">
          <label htmlFor="device-code">The code your terminal shows</label>
          <Input id="device-code" name="code" placeholder="BDFG-HJKL" autoComplete="off" defaultValue={code ?? ''} />
          <Button type="submit">Continue</Button>
        </form>
      )}
    </Frame>
  );
}

function Frame({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex max-w-2xl flex-col gap-4">
      <h1 className="text-3xl font-bold tracking-tight">Sign in the everyskill command</h1>
      {children}
    </div>
  );
}
