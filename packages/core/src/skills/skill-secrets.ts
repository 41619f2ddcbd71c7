import type { SecretFinding } from './secrets';

/** "publishing refused: 2 secrets found — SKILL.md line 12 (…); scripts/x.sh line 3 (…). Remove them …" */
export function describeSecretFindings(findings: readonly SecretFinding[]): string {
  const shown = findings.slice(0, 10).map((f) => `${f.file} line ${f.line} (${f.ruleId.replace(/^@secretlint\/secretlint-rule-/, '')}: ${f.message})`);
  const more = findings.length > shown.length ? `, and ${findings.length - shown.length} more` : '';
  return (
    `publishing refused: ${findings.length} secret${findings.length === 1 ? '' : 's'} found — ${shown.join('; ')}${more}. ` +
    'Remove them (read secrets from the environment instead) and publish again; if a credential was real, revoke it.'
  );
}
