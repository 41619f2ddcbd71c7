import { cn } from '@/lib/utils';
import { highlightLine, languageOfPath } from './highlight-line';

/** The file a unified diff is about, from its `+++ path` (or `Index: path`) header. */
function diffPath(lines: string[]): string | null {
  for (const line of lines) {
    const match = /^(?:\+\+\+|Index:) (?:[ab]\/)?(\S+)/.exec(line);
    if (match) return match[1]!;
  }
  return null;
}

/**
 * A unified diff, additions and deletions coloured and marked (+/−), headers and hunk markers
 * muted, the code highlighted on the server by the file's language.
 */
export function DiffView({ diff, label, testId, path }: { diff: string; label: string; testId?: string; path?: string }) {
  const lines = diff.split('\n').filter((line, i) => !(i < 2 && line.startsWith('=')) && line !== '\\ No newline at end of file');
  const filePath = path ?? diffPath(lines);
  const language = filePath ? languageOfPath(filePath) : null;
  return (
    <pre tabIndex={0} aria-label={label} data-testid={testId} className="hljs-diff max-h-[32rem] overflow-auto rounded-lg border bg-muted/40 p-3 text-xs leading-5">
      {lines.map((line, i) => {
        const header = line.startsWith('+++') || line.startsWith('---') || line.startsWith('Index:') || line.startsWith('@@');
        const added = !header && line.startsWith('+');
        const removed = !header && line.startsWith('-');
        const code = added || removed || line.startsWith(' ') ? line.slice(1) : null;
        return (
          <span
            key={i}
            className={cn(
              'block whitespace-pre-wrap [overflow-wrap:anywhere]',
              header ? 'text-muted-foreground' : added ? 'bg-green-500/15' : removed ? 'bg-red-500/15' : '',
            )}
          >
            {code === null ? (
              line || ' '
            ) : (
              <>
                <span className={added ? 'text-green-900 dark:text-green-200' : removed ? 'text-red-900 dark:text-red-200' : 'text-muted-foreground'}>
                  {line[0]}
                </span>
                {highlightLine(code, language)}
              </>
            )}
          </span>
        );
      })}
    </pre>
  );
}
