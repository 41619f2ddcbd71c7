import type { Metadata } from 'next';
import { getNotificationSettings } from '@everyskill/core/notifications/notification-settings';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { memberCtx, requireMember } from '@/server/session';
import { setDigestFrequencyAction } from './actions';
import { DigestFrequencyForm } from './_components/digest-frequency-form';

export const metadata: Metadata = { title: 'Notification settings' };

/** How often the signed-in person gets the digest email. */
export default async function NotificationSettingsPage() {
  const member = await requireMember('/settings/notifications');
  const settings = await getNotificationSettings(await memberCtx(member));
  return (
    <div className="flex max-w-2xl flex-col gap-4">
      <h1 className="text-3xl font-bold tracking-tight">Notification settings</h1>
      <Card>
        <CardHeader>
          <CardTitle as="h2">Digest email</CardTitle>
          <CardDescription>
            A summary of {member.tenant.name}: new skills and versions, the most used and best rated, changes to skills you
            follow or wrote{member.role === 'member' ? '' : ', and reviews waiting for you'}. Sent to {member.email}.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <DigestFrequencyForm digest={settings.digest} isDefault={settings.isDefault} action={setDigestFrequencyAction} />
        </CardContent>
      </Card>
    </div>
  );
}
