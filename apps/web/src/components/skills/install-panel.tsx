import Link from '@/components/ui/link';
import { DownloadIcon } from '@/components/ui/icons';
import { buttonVariants } from '@/components/ui/button';

function Command({ label, command, testId }: { label: string; command: string; testId: string }) {
  return (
    <div className="flex flex-col gap-1">
      <span className="text-xs font-medium text-muted-foreground">{label}</span>
      <pre tabIndex={0} className="overflow-x-auto rounded-md bg-muted px-3 py-2 text-xs" data-testid={testId}>
        {command}
      </pre>
    </div>
  );
}

/** How to get the skill into an agent: zip download (counted as an install), Claude Code, the `skills` CLI, MCP. */
export function InstallPanel({ slug, version, origin, isPublic }: { slug: string; version: string | null; origin: string; isPublic: boolean }) {
  const zip = `/skills/${slug}/download${version ? `?version=${encodeURIComponent(version)}` : ''}`;
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="install-panel">
      <a href={zip} className={buttonVariants({ className: 'self-start' })} download>
        <DownloadIcon aria-hidden /> Download .zip
      </a>
      <Command
        label="Claude Code (unzip into your skills folder)"
        command={`unzip ${slug}-${version ?? 'latest'}.zip -d ~/.claude/skills/`}
        testId="install-claude-code"
      />
      {isPublic ? (
        <Command label="skills CLI" command={`npx skills add ${origin} --skill ${slug} --agent claude-code`} testId="install-skills-cli" />
      ) : (
        <p className="text-xs text-muted-foreground">
          The <code>skills</code> CLI installs public skills only (<code>npx skills add {origin} --skill {slug}</code> once this skill is public).
        </p>
      )}
      <p className="text-xs text-muted-foreground">
        MCP: connect your agent to EverySkill (see{' '}
        <Link href="/profile/api-keys" className="underline underline-offset-2">
          API keys &amp; MCP setup
        </Link>
        ) and ask it to install <code>{slug}</code>.
      </p>
    </div>
  );
}
