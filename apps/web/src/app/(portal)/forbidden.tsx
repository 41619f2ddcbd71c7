import { ShieldXIcon } from 'lucide-react';
import type { Metadata } from 'next';
import { EmptyState } from '@/components/empty-state';

export const metadata: Metadata = { title: 'Admins only' };

/** The portal's 403 (forbidden()), which only the admin pages' layout throws: a member asked for one. */
export default function PortalForbidden() {
  return (
    <EmptyState icon={ShieldXIcon} title="Only admins can see this page" headingLevel="h2">
      Workspace administration is for the admins of your workspace. Ask one of them if you need a change.
    </EmptyState>
  );
}
