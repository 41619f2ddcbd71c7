import { ShieldXIcon } from '@/components/ui/icons';
import { EmptyState } from '@/components/empty-state';

/** The portal's 403 (forbidden()), which only the admin pages' layout throws: a member asked for one. */
export default function PortalForbidden() {
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-6">
      {/* A forbidden() thrown by a layout renders without the route's metadata: React puts this title in the head. */}
      <title>Admins only · EverySkill</title>
      <h1 className="text-3xl font-bold tracking-tight">Admins only</h1>
      <EmptyState icon={ShieldXIcon} title="Only admins can see this page">
        Workspace administration is for the admins of your workspace. Ask one of them if you need a change.
      </EmptyState>
    </div>
  );
}
