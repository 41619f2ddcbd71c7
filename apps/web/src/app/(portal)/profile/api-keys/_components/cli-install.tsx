import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';

/** The one-line install of the everyskill command this server serves, and its sign-in. */
export function CliInstall({ origin }: { origin: string }) {
  const tarball = `${origin}/cli/everyskill.tgz`;
  return (
    <Card data-testid="cli-install">
      <CardHeader>
        <CardTitle>The everyskill command</CardTitle>
        <CardDescription>
          Install skills into Claude Code, Codex, Cursor, Copilot, Gemini or OpenCode with a lockfile your team shares. Sign-in
          opens this site to approve a code: no key to copy.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex min-w-0 flex-col gap-2">
        <pre tabIndex={0} aria-label="Install and sign in" className="overflow-x-auto rounded bg-muted p-3 text-sm">
          <code>{`npm i -g ${tarball}\neveryskill login ${origin}`}</code>
        </pre>
        <p className="text-sm text-muted-foreground">
          Or without installing: <code className="break-all">{`npx ${tarball} login ${origin}`}</code>. Needs Node.js 20 or later.
        </p>
      </CardContent>
    </Card>
  );
}
