import type { z } from 'zod';

/**
 * Characters a PostgreSQL text value cannot hold as sent: NUL (refused with an error) and UTF-16
 * halves of a pair sent alone (a lone surrogate, which would be stored as U+FFFD, silently changed).
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Objects nested deeper than this are not data anyone sends on purpose. */
const MAX_DEPTH = 32;

/** One field an input was refused for: its dotted path and a message for people. */
export interface InputIssue {
  field: string;
  message: string;
}

/** Why `text` cannot be stored, or null when it can. */
export function unstorableTextReason(text: string): string | null {
  const found = UNSTORABLE.exec(text);
  if (!found) return null;
  const at = `at character ${found.index + 1}`;
  if (found[0] === '\u0000') return `must not contain the NUL character (U+0000, ${at})`;
  const code = found[0].charCodeAt(0).toString(16).toUpperCase();
  return `must not contain an unpaired UTF-16 surrogate (U+${code}, ${at}); send valid Unicode text`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The first text in an input (strings, and the keys and values of plain objects and arrays, at
 * any depth) that cannot be stored, named by its field; null when all of it can. Bytes (files,
 * archives) are not text and are not looked at.
 */
export function findUnstorableText(input: unknown, path: readonly (string | number)[] = []): InputIssue | null {
  const field = path.join('.') || 'input';
  if (typeof input === 'string') {
    const reason = unstorableTextReason(input);
    return reason ? { field, message: `${field} ${reason}` } : null;
  }
  if (path.length >= MAX_DEPTH) return null;
  if (Array.isArray(input)) {
    for (const [index, item] of input.entries()) {
      const issue = findUnstorableText(item, [...path, index]);
      if (issue) return issue;
    }
    return null;
  }
  if (isPlainObject(input)) {
    for (const [key, value] of Object.entries(input)) {
      const keyReason = unstorableTextReason(key);
      if (keyReason) return { field, message: `a field name in ${field} ${keyReason}` };
      const issue = findUnstorableText(value, [...path, key]);
      if (issue) return issue;
    }
  }
  return null;
}

export type SafeParseInputResult<T> = { success: true; data: T } | { success: false; issues: InputIssue[] };

/**
 * The one way every surface (REST, MCP, server actions, pages) reads input with a contract: text
 * that cannot be stored is refused first, naming its field, then the contract's own rules apply.
 */
export function safeParseInput<S extends z.ZodType>(schema: S, input: unknown): SafeParseInputResult<z.output<S>> {
  const unstorable = findUnstorableText(input);
  if (unstorable) return { success: false, issues: [unstorable] };
  const parsed = schema.safeParse(input);
  if (parsed.success) return { success: true, data: parsed.data };
  return { success: false, issues: parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'input', message: i.message })) };
}
