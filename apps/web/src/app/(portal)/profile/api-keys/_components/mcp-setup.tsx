import { CopyButton } from './copy-button';

/** Copy-paste setup of the MCP server for Claude Code and for clients configured with JSON. */
export function McpSetup({ mcpUrl, secret }: { mcpUrl: string; secret: string | null }) {
  const key = secret ?? 'rlk_…';
  const claude = `claude mcp add --transport http everyskill ${mcpUrl} --header "Authorization: Bearer ${key}"`;
  const json = JSON.stringify({ mcpServers: { everyskill: { type: 'http', url: mcpUrl, headers: { Authorization: `Bearer ${key}` } } } }, null, 2);
  return (
    <section aria-labelledby="mcp-setup" className="flex flex-col gap-3 rounded-xl border p-4">
      <h2 id="mcp-setup" className="font-semibold">
        Connect an agent (MCP)
      </h2>
      <p className="text-sm text-muted-foreground">
        {secret ? 'With your new key filled in:' : 'Create a key above, then replace rlk_… with it.'} Claude Code:
      </p>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
        <pre tabIndex={0} className="flex-1 overflow-x-auto rounded-md bg-muted px-3 py-2 text-xs" data-testid="mcp-claude-command">
          {claude}
        </pre>
        <CopyButton text={claude} />
      </div>
      <p className="text-sm text-muted-foreground">Other MCP clients (Streamable HTTP; e.g. Cursor’s mcp.json, VS Code):</p>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
        <pre tabIndex={0} className="flex-1 overflow-x-auto rounded-md bg-muted px-3 py-2 text-xs">{json}</pre>
        <CopyButton text={json} />
      </div>
      <p className="text-sm text-muted-foreground">
        REST works with the same key: see the <a className="underline" href="/docs/api">API reference</a>.
      </p>
    </section>
  );
}
