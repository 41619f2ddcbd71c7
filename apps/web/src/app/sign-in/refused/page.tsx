import { signInRefusalReason, type SignInRefusalReason } from '@everyskill/contracts';
import type { IconComponent } from '@/components/ui/icon';
import { BuildingIcon, ShieldAlertIcon, UserXIcon } from '@/components/ui/icons';
import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { EmptyState } from '@/components/empty-state';
import { buttonVariants } from '@/components/ui/button';

export const metadata: Metadata = { title: 'Sign-in refused' };

const REASONS: Record<SignInRefusalReason, { icon: IconComponent; title: string; text: string }> = {
  no_workspace: {
    icon: BuildingIcon,
    title: 'Your domain has no EverySkill workspace',
    text: "EverySkill lets people in by their work email's domain, and no company workspace uses yours. If your company should have one, ask your IT team to set it up; if you have another work account, sign in with that one.",
  },
  workspace_inactive: {
    icon: BuildingIcon,
    title: "Your company's workspace is switched off",
    text: "Your company's EverySkill workspace is not active at the moment, so nobody can sign in to it. Ask your IT team or EverySkill administrator.",
  },
  account_deactivated: {
    icon: UserXIcon,
    title: 'Your account is deactivated',
    text: "An administrator of your company's workspace deactivated your account. Ask them to reactivate it if you need access again.",
  },
  email_unverified: {
    icon: ShieldAlertIcon,
    title: 'Your email address is not verified',
    text: 'Google has not verified the email address of this account, so it cannot prove it is yours. Verify it with Google, or sign in with your work account.',
  },
  hosted_domain_mismatch: {
    icon: ShieldAlertIcon,
    title: "Your Google Workspace doesn't match your email address",
    text: "The account's Google Workspace domain differs from its email domain, so we cannot tell which company it belongs to. Sign in with an account of your company's own Workspace.",
  },
  email_in_other_workspace: {
    icon: ShieldAlertIcon,
    title: 'Your account belongs to another workspace',
    text: "Your email address is registered with a different company's workspace than its domain now points to. Ask your EverySkill administrator to move it.",
  },
  email_invalid: {
    icon: ShieldAlertIcon,
    title: 'That is not an email address we can use',
    text: 'The sign-in did not come with a usable email address. Try again with your work account.',
  },
};

/** Where a refused sign-in lands: what happened, in plain words, and what to do about it. */
export default async function SignInRefusedPage({ searchParams }: { searchParams: Promise<{ reason?: string | string[] }> }) {
  const { reason } = await searchParams;
  const parsed = signInRefusalReason.safeParse(Array.isArray(reason) ? reason[0] : reason);
  const shown = parsed.success
    ? REASONS[parsed.data]
    : { icon: ShieldAlertIcon, title: 'Sign-in was refused', text: 'You could not be signed in. Try again, or ask your administrator.' };
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Sign-in refused</h1>
      <EmptyState
        icon={shown.icon}
        title={shown.title}
        action={
          <Link href="/sign-in" className={buttonVariants({ variant: 'outline' })}>
            Sign in with another account
          </Link>
        }
      >
        {shown.text}
      </EmptyState>
    </div>
  );
}
