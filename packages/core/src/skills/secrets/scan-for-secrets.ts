import { findSecretsInText } from './find-secrets-in-text';

/** A secret found in a file of a skill. `line` and `column` are 1-based and point at the secret. */
export interface SecretFinding {
  file: string;
  line: number;
  column: number;
  /** secretlint rule, e.g. `@secretlint/secretlint-rule-github`. */
  ruleId: string;
  /** What the rule found, e.g. `GITHUB_TOKEN`. */
  kind: string;
  /** For people; the secret itself is masked. */
  message: string;
}

/** A file to scan: its text, or its bytes (a `BundleFile` fits; binary files are skipped). */
export type ScannableFile =
  | { path: string; text: string }
  | {
      path: string;
      bytes: Uint8Array;
      /** When false the file is skipped; when absent it is scanned if it decodes as UTF-8. */
      isText?: boolean;
    };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a file to scan, or null for binary content (shared with the safety scanner). */
export function textOfScannableFile(file: ScannableFile): string | null {
  if ('text' in file) return file.text;
  if (file.isText !== false) {
    try {
      return utf8.decode(file.bytes);
    } catch {
      // not UTF-8: perhaps text in another encoding
    }
  }
  return decodeOtherText(file.bytes);
}

/**
 * Text that is not UTF-8 but still carries a credential: UTF-16 (as PowerShell's `>` writes, with
 * or without a byte-order mark) and single-byte text such as a Latin-1 `.env` with an "é" in it.
 * Secrets are ASCII, so Latin-1 decoding keeps them intact. Anything else (NUL bytes, few
 * printable characters) is binary and skipped.
 */
function decodeOtherText(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const sample = bytes.subarray(0, 8192);
  let nulEven = 0;
  let nulOdd = 0;
  let printable = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample[i]!;
    if (c === 0) {
      if (i % 2 === 0) nulEven++;
      else nulOdd++;
    } else if (c === 9 || c === 10 || c === 13 || (c >= 0x20 && c < 0x7f) || c >= 0xa0) printable++;
  }
  const pairs = sample.length / 2;
  if (pairs >= 4 && nulOdd > 0.4 * pairs && nulEven < 0.05 * pairs) return new TextDecoder('utf-16le').decode(bytes);
  if (pairs >= 4 && nulEven > 0.4 * pairs && nulOdd < 0.05 * pairs) return new TextDecoder('utf-16be').decode(bytes);
  if (nulEven + nulOdd === 0 && printable >= 0.95 * sample.length) return new TextDecoder('latin1').decode(bytes);
  return null;
}

/** 1-based line and column of each offset, from one pass over the line starts. */
function locate(text: string, offset: number, lineStarts: number[]): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
}

/** Scans every text file of a skill with secretlint's recommended rules; binary files are skipped. */
export async function scanForSecrets(files: readonly ScannableFile[]): Promise<SecretFinding[]> {
  const findings: SecretFinding[] = [];
  for (const file of files) {
    const text = textOfScannableFile(file);
    if (text === null || text.length === 0) continue;
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    for (const match of await findSecretsInText(text, file.path)) {
      findings.push({ file: file.path, ...locate(text, match.start, lineStarts), ruleId: match.ruleId, kind: match.kind, message: match.message });
    }
  }
  return findings;
}
