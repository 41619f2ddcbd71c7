import { Fragment, type ReactNode } from 'react';

/**
 * A small Markdown renderer that builds React elements, never HTML strings: everything a skill
 * author writes (raw HTML included) is shown as text, so a SKILL.md cannot inject markup or script.
 * Covers what skills use: headings, paragraphs, lists, block quotes, fenced code, tables, rules,
 * and inline code, emphasis, strong and links (http, https, mailto and relative only).
 */
export function Markdown({ source, className }: { source: string; className?: string }) {
  return <div className={className ?? 'skill-markdown flex min-w-0 flex-col gap-3 text-sm leading-6 [overflow-wrap:anywhere]'}>{renderBlocks(parseBlocks(source))}</div>;
}

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'table'; header: string[]; rows: string[][] }
  | { kind: 'rule' };

const FENCE = /^\s{0,3}(```|~~~)\s*([\w+#.-]*)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const ORDERED = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;

/** Splits Markdown into blocks (exported for tests). */
export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!)) body.push(lines[i++]!);
      i++; // the closing fence (or the end)
      blocks.push({ kind: 'code', lang: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length as 1 | 2 | 3 | 4 | 5 | 6, text: heading[2]! });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ kind: 'rule' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) inner.push(QUOTE.exec(lines[i++]!)![1]!);
      blocks.push({ kind: 'quote', blocks: parseBlocks(inner.join('\n')) });
      continue;
    }
    const bullet = BULLET.test(line);
    if (bullet || ORDERED.test(line)) {
      const pattern = bullet ? BULLET : ORDERED;
      const items: string[] = [];
      while (i < lines.length) {
        const current = lines[i]!;
        const item = pattern.exec(current);
        if (item) items.push(item[1]!);
        else if (current.trim() !== '' && /^\s+/.test(current) && items.length > 0) items[items.length - 1] += ` ${current.trim()}`;
        else break;
        i++;
      }
      blocks.push({ kind: 'list', ordered: !bullet, items });
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1]!)) {
      const header = cells(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && lines[i]!.includes('|') && lines[i]!.trim() !== '') rows.push(cells(lines[i++]!));
      blocks.push({ kind: 'table', header, rows });
      continue;
    }
    const paragraph: string[] = [];
    while (
      i < lines.length &&
      lines[i]!.trim() !== '' &&
      !FENCE.test(lines[i]!) &&
      !HEADING.test(lines[i]!) &&
      !QUOTE.test(lines[i]!) &&
      !(paragraph.length > 0 && (BULLET.test(lines[i]!) || ORDERED.test(lines[i]!)))
    ) {
      paragraph.push(lines[i++]!.trim());
    }
    blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
  }
  return blocks;
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

function renderBlocks(blocks: Block[]): ReactNode {
  return blocks.map((block, i) => {
    switch (block.kind) {
      case 'heading': {
        const Tag = `h${Math.min(block.level + 1, 6)}` as 'h2'; // the page's h1 is the skill's name
        const size = block.level === 1 ? 'text-xl' : block.level === 2 ? 'text-lg' : 'text-base';
        return (
          <Tag key={i} className={`${size} mt-2 font-semibold`}>
            {renderInline(block.text)}
          </Tag>
        );
      }
      case 'paragraph':
        return <p key={i}>{renderInline(block.text)}</p>;
      case 'code':
        return (
          <pre key={i} tabIndex={0} className="max-w-full overflow-x-auto rounded-md border bg-muted/50 p-3 text-xs leading-5" data-lang={block.lang || undefined}>
            <code>{block.text}</code>
          </pre>
        );
      case 'list': {
        const Tag = block.ordered ? 'ol' : 'ul';
        return (
          <Tag key={i} className={`${block.ordered ? 'list-decimal' : 'list-disc'} flex flex-col gap-1 pl-6`}>
            {block.items.map((item, j) => (
              <li key={j}>{renderInline(item)}</li>
            ))}
          </Tag>
        );
      }
      case 'quote':
        return (
          <blockquote key={i} className="flex flex-col gap-2 border-l-4 pl-3 text-muted-foreground">
            {renderBlocks(block.blocks)}
          </blockquote>
        );
      case 'table':
        return (
          <div key={i} tabIndex={0} className="relative overflow-x-auto">
            <table className="w-full border-collapse text-left text-xs">
              <thead>
                <tr>
                  {block.header.map((cell, j) => (
                    <th key={j} className="border px-2 py-1 font-semibold">
                      {renderInline(cell)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {block.rows.map((row, r) => (
                  <tr key={r}>
                    {row.map((cell, j) => (
                      <td key={j} className="border px-2 py-1">
                        {renderInline(cell)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      case 'rule':
        return <hr key={i} />;
    }
  });
}

// Inline tokens, first match wins: code spans, links, strong, emphasis.
const INLINE = /(`+)([\s\S]*?[^`])\1(?!`)|\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|(?<![\w])_([^_\s][^_]*)_(?![\w])/g;

/** A link target that is safe to follow: http(s), mailto, or relative; anything else (javascript:, data:) is not a link. */
export function safeHref(href: string): string | null {
  const trimmed = href.trim();
  if (/^(https?:|mailto:)/i.test(trimmed)) return trimmed;
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//')) return null;
  return trimmed;
}

function renderInline(text: string): ReactNode {
  const out: ReactNode[] = [];
  let last = 0;
  let key = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) out.push(text.slice(last, match.index));
    last = match.index + match[0].length;
    const k = key++;
    if (match[2] !== undefined) {
      out.push(
        <code key={k} className="rounded bg-muted px-1 py-0.5 font-mono text-[0.85em]">
          {match[2].trim()}
        </code>,
      );
    } else if (match[3] !== undefined) {
      const href = safeHref(match[4]!);
      out.push(
        href ? (
          <a key={k} href={href} rel="noopener noreferrer nofollow" className="underline underline-offset-4">
            {renderInline(match[3])}
          </a>
        ) : (
          <Fragment key={k}>{match[3]}</Fragment>
        ),
      );
    } else if (match[5] !== undefined || match[6] !== undefined) {
      out.push(<strong key={k}>{renderInline(match[5] ?? match[6]!)}</strong>);
    } else {
      out.push(<em key={k}>{renderInline(match[7] ?? match[8]!)}</em>);
    }
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
