import { ShieldXIcon } from '@/components/ui/icons';
import type { Metadata } from 'next';
import { EmptyState } from '@/components/empty-state';

export const metadata: Metadata = { title: 'No access' };

/** Every 403 (forbidden()) without a more specific explanation of its own. */
export default function Forbidden() {
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">No access</h1>
      <EmptyState icon={ShieldXIcon} title="You do not have access to this page">
        Ask an admin of your workspace if you think you should.
      </EmptyState>
    </div>
  );
}
