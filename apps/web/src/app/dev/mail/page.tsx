import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { notFound } from 'next/navigation';
import { listStoredMail } from '@everyskill/email';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { devMailDir } from './dev-mail-dir';

export const metadata: Metadata = { title: 'Development mail' };

/** Every email this server "sent" into its mail folder, newest first. */
export default async function DevMailPage() {
  const dir = devMailDir();
  if (!dir) notFound();
  const messages = await listStoredMail(dir);
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-3xl font-bold tracking-tight">Development mail</h1>
      <Card>
        <CardHeader>
          <CardTitle as="h2">{messages.length === 1 ? '1 message' : `${messages.length} messages`}</CardTitle>
          <CardDescription>
            SMTP_HOST is unset, so email is written to the mail folder (MAIL_DIR) instead of being sent. Only development
            and test servers show this page.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {messages.length === 0 ? (
            <p className="text-sm text-muted-foreground">No mail yet.</p>
          ) : (
            <ul className="divide-y" data-testid="dev-mail-list">
              {messages.map((m) => (
                <li key={m.id} className="flex flex-col py-2 text-sm">
                  <Link href={`/dev/mail/${m.id}`} className="font-medium hover:underline">
                    {m.subject}
                  </Link>
                  <span className="text-xs text-muted-foreground">
                    to {m.to} · {m.date.slice(0, 19).replace('T', ' ')} UTC
                  </span>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
