import { DatabaseIcon, LogInIcon, PackageOpenIcon, UserRoundCheckIcon } from '@/components/ui/icons';
import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { notFound } from 'next/navigation';
import { EmptyState } from '@/components/empty-state';
import { buttonVariants } from '@/components/ui/button';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { getCurrentTenant } from '@/server/current-tenant';
import { readServerEnv } from '@/server/env';
import { listSkills } from '@everyskill/core/skills/list-skills';
import type { SessionMember } from '@everyskill/core/auth/load-session-member';
import { getSignedInMember, memberCtx } from '@/server/session';

export const metadata: Metadata = { alternates: { canonical: '/' } };

export default async function HomePage() {
  const current = await getCurrentTenant();
  switch (current.via) {
    case 'unknown-host':
    case 'wrong-tenant': // the proxy answers 403 first; never render another tenant's page
      return notFound();
    case 'root-domain':
      return <RootDomainHome rootDomain={readServerEnv().ROOT_DOMAIN} />;
  }
  if (!current.tenant) return current.via === 'subdomain' ? notFound() : <NoTenantYet slug={current.slug} />;
  const member = await getSignedInMember();

  return (
    <div className="flex flex-col gap-10">
      <section className="flex flex-col gap-3">
        <p className="text-sm font-medium text-muted-foreground">Skill registry</p>
        <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">{current.tenant.name}</h1>
        <Intro />
      </section>
      <div className="grid gap-6 md:grid-cols-2">
        {member ? (
          <EmptyState
            icon={UserRoundCheckIcon}
            title={`Welcome, ${member.name ?? member.email}`}
            action={
              <Link href="/skills" className={buttonVariants()}>
                Browse skills
              </Link>
            }
          >
            You are signed in to {current.tenant.name} as <span className="font-medium text-foreground">{member.email}</span> (
            {member.role}).
          </EmptyState>
        ) : (
          <EmptyState
            icon={LogInIcon}
            title="Sign in to see your company's skills"
            action={
              <Link href="/sign-in" className={buttonVariants()}>
                Sign in
              </Link>
            }
          >
            Skills are private to {current.tenant.name}. Sign in with your work email to browse and install them.
          </EmptyState>
        )}
        {member ? (
          <RecentSkills member={member} />
        ) : (
          <EmptyState icon={PackageOpenIcon} title="Share what works">
            A skill is a folder with a <code className="font-mono">SKILL.md</code> that tells an agent how to do one job
            well. Once you are signed in, publish one and everyone here can reuse it.
          </EmptyState>
        )}
      </div>
      <HowItWorks />
    </div>
  );
}

/** The newest skills of the workspace, or the invitation to publish the first one. */
async function RecentSkills({ member }: { member: SessionMember }) {
  const { items, total } = await listSkills(await memberCtx(member), { sort: 'newest', pageSize: 5 });
  if (items.length === 0) {
    return (
      <EmptyState
        icon={PackageOpenIcon}
        title="No skills yet — publish the first one"
        action={
          <Link href="/skills/new" className={buttonVariants()}>
            Publish a skill
          </Link>
        }
      >
        A skill is a folder with a <code className="font-mono">SKILL.md</code> that tells an agent how to do one job
        well. Publish one and everyone here can reuse it.
      </EmptyState>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h2">Newest skills</CardTitle>
        <CardDescription>
          {total} skill{total === 1 ? '' : 's'} in this workspace ·{' '}
          <Link href="/skills" className="underline underline-offset-4">
            browse all
          </Link>
        </CardDescription>
      </CardHeader>
      <ul className="flex flex-col gap-3 px-6 pb-6" data-testid="newest-skills">
        {items.map((skill) => (
          <li key={skill.id} className="flex flex-col">
            <Link href={`/skills/${skill.slug}`} className="font-medium hover:underline">
              {skill.name}
            </Link>
            <span className="line-clamp-2 text-sm text-muted-foreground">{skill.description}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function Intro() {
  return (
    <p className="max-w-2xl text-lg text-muted-foreground">
      EverySkill is where your company keeps the skills its AI agents use: folders with a{' '}
      <code className="font-mono text-foreground">SKILL.md</code> that teach an agent your way of doing a job. Find
      what colleagues have already written, install it in your agent, and share what works.
    </p>
  );
}

function HowItWorks() {
  const steps = [
    { title: 'Find', text: 'Search the skills your colleagues published, by what they do.' },
    { title: 'Install', text: 'Add a skill to your agent in one step and keep it up to date.' },
    { title: 'Share', text: 'Publish your own; reviewers keep the registry trustworthy.' },
  ];
  return (
    <section aria-labelledby="how-it-works" className="flex flex-col gap-4">
      <h2 id="how-it-works" className="text-xl font-semibold">
        How it works
      </h2>
      <ol className="grid gap-4 sm:grid-cols-3">
        {steps.map((step) => (
          <li key={step.title}>
            <Card className="h-full">
              <CardHeader>
                <CardTitle as="h3">{step.title}</CardTitle>
                <CardDescription>{step.text}</CardDescription>
              </CardHeader>
            </Card>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Development fallback found no tenant: tell the operator exactly how to create one. */
function NoTenantYet({ slug }: { slug: string }) {
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Welcome to EverySkill</h1>
      <EmptyState icon={DatabaseIcon} title="No company set up yet">
        <p>
          This server shows the company with slug <code className="font-mono">{slug}</code> (
          <code className="font-mono">DEV_TENANT_SLUG</code>), and the database has none. Create the demo company with:
        </p>
        <pre className="mt-3 rounded-md bg-muted px-4 py-2 text-left font-mono text-foreground">pnpm db:seed</pre>
      </EmptyState>
    </div>
  );
}

function RootDomainHome({ rootDomain }: { rootDomain: string }) {
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">EverySkill</h1>
      <Intro />
      <p className="text-muted-foreground">
        Each company has its own address: open <code className="font-mono">your-company.{rootDomain}</code>, or ask
        your administrator for it.
      </p>
    </div>
  );
}
