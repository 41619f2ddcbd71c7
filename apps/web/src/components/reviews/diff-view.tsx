import { cn } from '@/lib/utils';

/** A unified diff, additions and deletions coloured; headers and hunk markers muted. */
export function DiffView({ diff, label, testId }: { diff: string; label: string; testId?: string }) {
  const lines = diff.split('\n').filter((line, i) => !(i < 2 && line.startsWith('=')) && line !== '\\ No newline at end of file');
  return (
    <pre aria-label={label} data-testid={testId} className="max-h-[32rem] overflow-auto rounded-lg border bg-muted/40 p-3 text-xs leading-5">
      {lines.map((line, i) => (
        <span
          key={i}
          className={cn(
            'block whitespace-pre-wrap break-words',
            line.startsWith('+++') || line.startsWith('---') || line.startsWith('Index:') || line.startsWith('@@')
              ? 'text-muted-foreground'
              : line.startsWith('+')
                ? 'bg-green-500/15 text-green-900 dark:text-green-200'
                : line.startsWith('-')
                  ? 'bg-red-500/15 text-red-900 dark:text-red-200'
                  : '',
          )}
        >
          {line || ' '}
        </span>
      ))}
    </pre>
  );
}
