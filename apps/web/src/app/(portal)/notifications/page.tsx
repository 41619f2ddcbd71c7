import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { listNotifications } from '@everyskill/core/notifications/notifications';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { cn } from '@/lib/utils';
import { memberCtx, requireMember } from '@/server/session';
import { markAllReadAction } from './actions';
import { MarkAllReadButton } from './_components/mark-all-read-button';

export const metadata: Metadata = { title: 'Notifications' };

const when = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

/** The signed-in person's notifications: new versions of skills they follow or wrote, reviews waiting for them. */
export default async function NotificationsPage() {
  const ctx = await memberCtx(await requireMember('/notifications'));
  const items = await listNotifications(ctx);
  const unread = items.filter((n) => !n.readAt).length;
  return (
    <div className="flex max-w-3xl flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-3xl font-bold tracking-tight">Notifications</h1>
        {unread > 0 ? <MarkAllReadButton action={markAllReadAction} /> : null}
      </div>
      <Card>
        <CardHeader>
          <CardTitle as="h2">{unread === 0 ? 'All read' : unread === 1 ? '1 unread' : `${unread} unread`}</CardTitle>
          <CardDescription>
            New versions of skills you follow or wrote, and submissions waiting for your review.{' '}
            <Link href="/settings/notifications" className="underline">Digest email settings</Link>
          </CardDescription>
        </CardHeader>
        <CardContent>
          {items.length === 0 ? (
            <p className="text-sm text-muted-foreground">Nothing yet.</p>
          ) : (
            <ul className="divide-y" data-testid="notification-list">
              {items.map((n) => (
                <li key={n.id} className="flex flex-col gap-0.5 py-2" data-testid="notification" data-read={n.readAt ? 'true' : 'false'}>
                  <Link href={n.link} className={cn('text-sm hover:underline', !n.readAt && 'font-semibold')}>
                    {n.title}
                  </Link>
                  <span className="text-xs text-muted-foreground">{when(n.createdAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
