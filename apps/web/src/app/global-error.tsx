'use client';

import './globals.css';

/** Last resort when the root layout itself fails: plain markup, no stack, a way to retry. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh items-center justify-center p-6">
        <main className="flex max-w-md flex-col gap-4 text-center">
          <h1 className="text-2xl font-bold">Something went wrong</h1>
          <p className="text-muted-foreground">EverySkill could not show this page. Try again in a moment.</p>
          {error.digest ? <p className="text-sm text-muted-foreground">Reference: {error.digest}</p> : null}
          <button type="button" onClick={reset} className="mx-auto rounded-md bg-primary px-4 py-2 text-primary-foreground">
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
