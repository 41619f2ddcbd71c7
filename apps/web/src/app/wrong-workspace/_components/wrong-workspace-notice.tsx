import { ShieldXIcon } from '@/components/ui/icons';
import { EmptyState } from '@/components/empty-state';
import { buttonVariants } from '@/components/ui/button';
import { authSettingsOf, readServerEnv } from '@/server/env';
import { getSignedInMember } from '@/server/session';

/**
 * What a signed-in person on another tenant's host sees (with status 403, from forbidden.tsx).
 * It names only the person's own workspace, never the one the host belongs to.
 */
export async function WrongWorkspaceNotice() {
  const env = readServerEnv();
  const member = await getSignedInMember();
  // Tenant subdomains share the session only where the cookie is scoped to ROOT_DOMAIN (deployments).
  const home =
    member && authSettingsOf(env).cookieDomain
      ? `${new URL(env.APP_URL).protocol}//${member.tenant.slug}.${env.ROOT_DOMAIN}${portOf(env.APP_URL)}/`
      : env.APP_URL;
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Not your workspace</h1>
      <EmptyState
        icon={ShieldXIcon}
        title="This address belongs to another company's workspace"
        action={
          <a href={home} className={buttonVariants()}>
            {member ? `Go to ${member.tenant.name}` : 'Go to EverySkill'}
          </a>
        }
      >
        {member ? (
          <>
            You are signed in as <span className="font-medium text-foreground">{member.email}</span>, a member of{' '}
            {member.tenant.name}. You can only see your own company&apos;s skills.
          </>
        ) : (
          'You can only see your own company’s skills.'
        )}
      </EmptyState>
    </div>
  );
}

function portOf(url: string): string {
  const { port } = new URL(url);
  return port ? `:${port}` : '';
}
