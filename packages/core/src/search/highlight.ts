import type { SnippetPart } from '@everyskill/contracts';

/** Marks ts_headline puts around matched words; control characters never occur in stored text. */
export const HIGHLIGHT_START = '\u0002';
export const HIGHLIGHT_STOP = '\u0003';

/**
 * Splits a ts_headline result into plain and matched pieces. The pieces are text, never HTML:
 * the page renders them as text nodes, so a skill's content cannot inject markup.
 */
export function toSnippetParts(headline: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const push = (text: string, match: boolean) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.match === match) last.text += text;
    else parts.push({ text, match });
  };
  let rest = headline.replace(/\s+/g, ' ').trim();
  for (;;) {
    const start = rest.indexOf(HIGHLIGHT_START);
    if (start === -1) break;
    const stop = rest.indexOf(HIGHLIGHT_STOP, start + 1);
    if (stop === -1) break;
    push(rest.slice(0, start), false);
    push(rest.slice(start + 1, stop), true);
    rest = rest.slice(stop + 1);
  }
  push(rest.replaceAll(HIGHLIGHT_START, '').replaceAll(HIGHLIGHT_STOP, ''), false);
  return parts;
}
