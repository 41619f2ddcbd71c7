import { BellIcon } from '@/components/ui/icons';
import Link from '@/components/ui/link';
import { countUnreadNotifications } from '@everyskill/core/notifications/notifications';
import { getSignedInMember, memberCtx } from '@/server/session';

/** The bell in the header: links to the notifications, with the unread count as a badge. */
export async function NotificationBell() {
  const member = await getSignedInMember().catch(() => null);
  if (!member) return null;
  const unread = await countUnreadNotifications(await memberCtx(member)).catch(() => 0);
  const label = unread === 0 ? 'Notifications' : `Notifications, ${unread} unread`;
  return (
    <Link
      href="/notifications"
      aria-label={label}
      title={label}
      data-testid="notification-bell"
      className="relative rounded-md p-2 text-muted-foreground hover:bg-accent hover:text-accent-foreground"
    >
      <BellIcon className="size-4" aria-hidden />
      {unread > 0 ? (
        <span
          data-testid="notification-count"
          className="absolute -top-0.5 -right-0.5 min-w-4 rounded-full bg-primary px-1 text-center text-[10px] leading-4 font-semibold text-primary-foreground"
        >
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </Link>
  );
}
