import Link from '@/components/ui/link';

/** The foot of every page: the version, and where to go; "Sign in" only for someone who is not. */
export function SiteFooter({ version, signedIn }: { version: string; signedIn: boolean }) {
  return (
    <footer className="border-t">
      <div className="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-6 text-sm text-muted-foreground sm:flex-row sm:items-center sm:justify-between">
        <p>
          EverySkill <span className="tabular-nums">v{version}</span> — share the skills your AI agents use.
        </p>
        <nav aria-label="Footer">
          <ul className="flex gap-4">
            <li>
              <Link href="/skills" className="hover:text-foreground hover:underline">
                Skills
              </Link>
            </li>
            {signedIn ? (
              <li>
                <Link href="/docs/api" className="hover:text-foreground hover:underline">
                  API
                </Link>
              </li>
            ) : (
              <li>
                <Link href="/sign-in" className="hover:text-foreground hover:underline">
                  Sign in
                </Link>
              </li>
            )}
          </ul>
        </nav>
      </div>
    </footer>
  );
}
