import type { Metadata } from 'next';
import { listMembers } from '@everyskill/core/members/list-members';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { getAdminCtx } from '@/server/session';
import { changeRoleAction, setMemberStatusAction } from './actions';
import { MemberRow } from './_components/member-row';

export const metadata: Metadata = { title: 'Members' };

const dateOf = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : null);

/** Everyone of the workspace with their role and status; admins change roles and (de)activate people. */
export default async function MembersPage() {
  const ctx = await getAdminCtx('/admin/members');
  if (!ctx) return null; // the admin layout explains
  const members = await listMembers(ctx);
  const youId = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-3xl font-bold tracking-tight">Members</h1>
      <Card>
        <CardHeader>
          <CardTitle as="h2">{members.length === 1 ? '1 person' : `${members.length} people`}</CardTitle>
          <CardDescription>
            People join by signing in with an address of one of the workspace&apos;s email domains. Admins manage the
            workspace, reviewers review skills, members use and publish them. A deactivated person is signed out at
            their next request. The workspace always keeps at least one active admin.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ul className="divide-y">
            {members.map((m) => (
              <MemberRow
                key={m.userId}
                member={{ userId: m.userId, email: m.email, name: m.name, role: m.role, status: m.status, lastSignIn: dateOf(m.lastSignInAt) }}
                isYou={m.userId === youId}
                changeRole={changeRoleAction}
                setStatus={setMemberStatusAction}
              />
            ))}
          </ul>
        </CardContent>
      </Card>
    </div>
  );
}
