import { findSecretsInText } from './find-secrets-in-text';

/**
 * Returns the text with every secret secretlint finds replaced by `[REDACTED:<rule>]`
 * (e.g. `[REDACTED:github]`). For free text people send: feedback comments, usage snippets.
 */
export async function sanitizePayload(text: string): Promise<string> {
  const matches = await findSecretsInText(text);
  let out = '';
  let cursor = 0;
  for (const match of matches) {
    // Overlapping findings (two rules, one secret) become one marker, named by the first.
    if (match.end <= cursor) continue;
    out += text.slice(cursor, Math.max(cursor, match.start));
    if (match.start >= cursor) out += `[REDACTED:${match.rule}]`;
    cursor = Math.max(cursor, match.end);
  }
  return out + text.slice(cursor);
}
