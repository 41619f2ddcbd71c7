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

function decode(file: ScannableFile): string | null {
  if ('text' in file) return file.text;
  if (file.isText === false) return null;
  try {
    return utf8.decode(file.bytes);
  } catch {
    return null;
  }
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
    const text = decode(file);
    if (text === null || text.length === 0) continue;
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    for (const match of await findSecretsInText(text, file.path)) {
      findings.push({ file: file.path, ...locate(text, match.start, lineStarts), ruleId: match.ruleId, kind: match.kind, message: match.message });
    }
  }
  return findings;
}
