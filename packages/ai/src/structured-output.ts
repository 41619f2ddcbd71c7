import type { z } from 'zod';
import { AiCallError } from './claude-client';

/**
 * The first complete JSON object in a model's answer, parsed; everything outside it is ignored.
 * Scans braces outside strings, so prose or code fences around the object do not matter.
 */
export function extractJsonObject(text: string): unknown {
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    const end = matchingBrace(text, start);
    if (end === -1) break;
    try {
      return JSON.parse(text.slice(start, end + 1)) as unknown;
    } catch {
      // Not JSON after all (prose with braces): try the next opening brace.
    }
  }
  throw new AiCallError('malformed_output', 'the model answered without a JSON object', true);
}

function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Parses a structured answer strictly: the JSON object must match the schema exactly (no missing,
 * extra or out-of-range fields). Malformed output is a retryable AiCallError naming the problems.
 */
export function parseStructuredOutput<S extends z.ZodType>(schema: S, text: string): z.output<S> {
  const value = extractJsonObject(text);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`)
      .join('; ');
    throw new AiCallError('malformed_output', `the model's answer did not match the expected shape (${problems})`, true);
  }
  return parsed.data;
}

/**
 * Puts untrusted text between tags the model is told to treat as data. Anything inside that looks
 * like one of our tags is defused, so the text cannot close the block and speak as the prompt.
 */
export function asDataBlock(tag: string, text: string): string {
  const defused = text.replace(/<(\/?)([a-z_]+)/gi, (whole, slash: string, name: string) =>
    /^(skill_document|task|expected_outcome|answer|skill_files|scan_findings)$/i.test(name) ? `&lt;${slash}${name}` : whole,
  );
  return `<${tag}>\n${defused}\n</${tag}>`;
}
