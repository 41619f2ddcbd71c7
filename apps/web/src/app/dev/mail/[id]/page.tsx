import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { notFound } from 'next/navigation';
import { readStoredMail } from '@everyskill/email';
import { devMailDir } from '../dev-mail-dir';

export const metadata: Metadata = { title: 'Development mail' };

/** One stored email: headers, the HTML part in a sandboxed frame, and the plain-text part. */
export default async function DevMailMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const dir = devMailDir();
  if (!dir) notFound();
  const message = await readStoredMail(dir, (await params).id);
  if (!message) notFound();
  return (
    <div className="flex flex-col gap-4">
      <Link href="/dev/mail" className="text-sm text-muted-foreground hover:underline">
        ← All mail
      </Link>
      <h1 className="text-2xl font-bold tracking-tight">{message.subject}</h1>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 text-sm">
        <dt className="text-muted-foreground">From</dt>
        <dd>{message.from}</dd>
        <dt className="text-muted-foreground">To</dt>
        <dd data-testid="dev-mail-to">{message.to}</dd>
        <dt className="text-muted-foreground">Date</dt>
        <dd>{message.date}</dd>
      </dl>
      {/* Links open in the top window, so following one (unsubscribe) behaves as from a mail client. */}
      <iframe
        title="HTML part"
        sandbox="allow-top-navigation-by-user-activation allow-popups"
        srcDoc={message.html.replace('<head>', '<head><base target="_top">')}
        className="h-[32rem] w-full rounded-md border bg-white"
      />
      <details>
        <summary className="cursor-pointer text-sm font-medium">Plain-text part</summary>
        <pre className="mt-2 text-xs whitespace-pre-wrap">{message.text}</pre>
      </details>
    </div>
  );
}
