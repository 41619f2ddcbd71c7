'use client';

import type { MemberStatus, Role } from '@everyskill/contracts';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { useLatestActionState } from '@/components/use-latest-action-state';
import type { ActionState } from '@/server/action-state';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

export interface MemberRowProps {
  member: { userId: string; email: string; name: string | null; role: Role; status: MemberStatus; lastSignIn: string | null };
  isYou: boolean;
  changeRole: Action;
  /** Deactivates or reactivates, by the form's `intent`. */
  setStatus: Action;
}

const idle: ActionState = { status: 'idle' };

/** One person: role change, deactivate or reactivate, and what the last change said. */
export function MemberRow({ member, isYou, changeRole, setStatus }: MemberRowProps) {
  const [shown, act, pending] = useLatestActionState({ role: changeRole, status: setStatus }, idle);
  const who = member.name ? `${member.name} (${member.email})` : member.email;
  return (
    <li className="flex flex-col gap-2 py-3" data-testid={`member-${member.email}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{member.name ?? member.email}</span>
        {member.name ? <span className="text-sm text-muted-foreground">{member.email}</span> : null}
        {isYou ? <Badge variant="secondary">you</Badge> : null}
        <Badge variant={member.status === 'active' ? 'outline' : 'destructive'}>{member.status}</Badge>
        <span className="text-xs text-muted-foreground">last sign-in {member.lastSignIn ?? 'never'}</span>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <form action={act} className="flex items-center gap-2">
          <input type="hidden" name="op" value="role" />
          <input type="hidden" name="userId" value={member.userId} />
          <label className="sr-only" htmlFor={`role-${member.userId}`}>
            Role of {who}
          </label>
          <select
            id={`role-${member.userId}`}
            name="role"
            defaultValue={member.role}
            className="h-8 rounded-md border bg-background px-2 text-sm"
          >
            <option value="member">member</option>
            <option value="reviewer">reviewer</option>
            <option value="admin">admin</option>
          </select>
          <Button type="submit" size="sm" variant="outline" disabled={pending} aria-label={`Save role of ${who}`}>
            Save role
          </Button>
        </form>
        {isYou ? null : (
          <form action={act}>
            <input type="hidden" name="op" value="status" />
            <input type="hidden" name="userId" value={member.userId} />
            <input type="hidden" name="intent" value={member.status === 'active' ? 'deactivate' : 'reactivate'} />
            <Button
              type="submit"
              size="sm"
              variant={member.status === 'active' ? 'destructive' : 'secondary'}
              disabled={pending}
              aria-label={`${member.status === 'active' ? 'Deactivate' : 'Reactivate'} ${who}`}
            >
              {member.status === 'active' ? 'Deactivate' : 'Reactivate'}
            </Button>
          </form>
        )}
      </div>
      {shown.status !== 'idle' ? (
        <p role={shown.status === 'error' ? 'alert' : 'status'} className={shown.status === 'error' ? 'text-sm text-destructive' : 'text-sm text-muted-foreground'}>
          {shown.message}
        </p>
      ) : null}
    </li>
  );
}
