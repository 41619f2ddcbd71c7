import { UserXIcon } from '@/components/ui/icons';
import type { Metadata } from 'next';
import { EmptyState } from '@/components/empty-state';

export const metadata: Metadata = { title: 'Account deactivated' };

/** Where a deactivated person lands after the proxy signed them out. */
export default function AccountDeactivatedPage() {
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Account deactivated</h1>
      <EmptyState icon={UserXIcon} title="Your account has been deactivated">
        An administrator of your company&apos;s workspace deactivated your EverySkill account, so you have been signed
        out. If you think this is a mistake, ask them to reactivate it.
      </EmptyState>
    </div>
  );
}
