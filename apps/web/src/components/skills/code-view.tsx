import type { ReactNode } from 'react';

// Light highlighting by regular expression: comments, strings, numbers and a few keywords. The
// text is split into React text nodes, so whatever the file holds is shown, never interpreted.
const TOKEN =
  /(#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|\b(\d+(?:\.\d+)?)\b|\b(import|from|export|const|let|var|function|return|if|else|elif|for|while|in|def|class|async|await|try|catch|except|raise|throw|new|true|false|null|None|True|False|echo|then|fi|do|done|set)\b/g;

const COMMENTS_WITH_HASH = /\.(sh|bash|zsh|py|rb|ya?ml|toml|r|pl|ps1|conf|ini|env)$|^(Dockerfile|Makefile)$/i;

function highlight(line: string, hashComments: boolean): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of line.matchAll(TOKEN)) {
    if (m[1] !== undefined && m[1].startsWith('#') && !hashComments) continue;
    if (m.index > last) out.push(line.slice(last, m.index));
    const cls = m[1] !== undefined ? 'text-muted-foreground italic' : m[2] !== undefined ? 'text-green-700 dark:text-green-300' : m[3] !== undefined ? 'text-amber-700 dark:text-amber-300' : 'text-sky-700 dark:text-sky-300 font-medium';
    out.push(
      <span key={m.index} className={cls}>
        {m[0]}
      </span>,
    );
    last = m.index + m[0].length;
  }
  if (last < line.length) out.push(line.slice(last));
  return out;
}

/** A text file with line numbers and simple highlighting, shown escaped. */
export function CodeView({ path, text }: { path: string; text: string }) {
  const hashComments = COMMENTS_WITH_HASH.test(path.split('/').pop() ?? '');
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return (
    <pre tabIndex={0} className="max-h-[40rem] overflow-auto rounded-lg border bg-muted/40 py-2 text-xs leading-5" data-testid="file-content" aria-label={`Contents of ${path}`}>
      <code>
        {lines.map((line, i) => (
          <span key={i} className="flex">
            <span className="w-10 shrink-0 select-none pr-3 text-right text-muted-foreground/70" aria-hidden>
              {i + 1}
            </span>
            <span className="whitespace-pre-wrap break-all pr-3">{highlight(line, hashComments)}</span>
          </span>
        ))}
      </code>
    </pre>
  );
}
