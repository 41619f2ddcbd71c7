'use client';

import { TriangleAlertIcon } from 'lucide-react';
import { EmptyState } from '@/components/empty-state';
import { Button } from '@/components/ui/button';

/** Any unexpected failure below the layout: a generic message, never the error's text or stack. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Something went wrong</h1>
      <EmptyState icon={TriangleAlertIcon} title="This page could not be shown" action={<Button onClick={reset}>Try again</Button>}>
        <p>An unexpected error stopped this page. Try again in a moment; if it keeps happening, tell your administrator.</p>
        {error.digest ? (
          <p className="mt-2">
            Reference: <code className="font-mono">{error.digest}</code>
          </p>
        ) : null}
      </EmptyState>
    </div>
  );
}
