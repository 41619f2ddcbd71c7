'use client';

/**
 * Any unexpected failure below the layout: a generic message, never the error's text or stack.
 * Every page loads this boundary, so it is plain markup (no icon set, no class merging): the same
 * look as EmptyState and a default button, without their client-side weight.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Something went wrong</h1>
      <section className="flex flex-col items-center gap-3 rounded-xl border border-dashed px-6 py-10 text-center">
        <span className="flex size-12 items-center justify-center rounded-full bg-muted text-2xl font-bold text-muted-foreground" aria-hidden>
          !
        </span>
        <h2 className="text-lg font-semibold">This page could not be shown</h2>
        <div className="max-w-prose text-sm text-muted-foreground">
          <p>An unexpected error stopped this page. Try again in a moment; if it keeps happening, tell your administrator.</p>
          {error.digest ? (
            <p className="mt-2">
              Reference: <code className="font-mono">{error.digest}</code>
            </p>
          ) : null}
        </div>
        <button
          type="button"
          onClick={reset}
          className="mt-2 inline-flex h-9 items-center justify-center rounded-md bg-primary px-4 py-2 text-sm font-medium text-primary-foreground shadow-xs hover:bg-primary/90"
        >
          Try again
        </button>
      </section>
    </div>
  );
}
