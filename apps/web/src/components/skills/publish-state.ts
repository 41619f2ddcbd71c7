import type { DuplicateCheckResult, SafetyFinding } from '@everyskill/contracts';
import type { ActionState } from '@/server/action-state';

/** A field-level problem with a SKILL.md or a form field. */
export interface PublishIssue {
  path: string;
  message: string;
  line?: number;
}

/** A secret that stopped a publish: where it is and which rule found it (never the secret itself). */
export interface PublishSecret {
  file: string;
  line: number;
  rule: string;
  message: string;
}

/** What a publish form's action reports: ActionState plus the per-field problems and secrets found. */
export type PublishState = ActionState & { issues?: PublishIssue[]; secrets?: PublishSecret[]; safety?: SafetyFinding[] };

export type DuplicateCheck = DuplicateCheckResult;

/**
 * The per-field problems and secrets in a refused publish's AppError details: `errors` (manifest
 * issues), `issues` (contract fields), `secrets` (secretlint findings; the secret itself never travels)
 * or the safety scanner's `findings`.
 */
export function publishDetailsOf(details: unknown): { issues?: PublishIssue[]; secrets?: PublishSecret[]; safety?: SafetyFinding[] } {
  if (!details || typeof details !== 'object') return {};
  const d = details as {
    errors?: { path: string; message: string; line?: number }[];
    issues?: { field: string; message: string }[];
    secrets?: { file: string; line: number; ruleId: string; message: string }[];
    reason?: string;
    findings?: SafetyFinding[];
  };
  const out: { issues?: PublishIssue[]; secrets?: PublishSecret[]; safety?: SafetyFinding[] } = {};
  if (Array.isArray(d.errors)) out.issues = d.errors.map((e) => ({ path: e.path, message: e.message, ...(e.line ? { line: e.line } : {}) }));
  else if (Array.isArray(d.issues)) out.issues = d.issues.map((e) => ({ path: e.field, message: e.message }));
  if (Array.isArray(d.secrets)) {
    out.secrets = d.secrets.map((s) => ({ file: s.file, line: s.line, rule: s.ruleId.replace(/^@secretlint\/secretlint-rule-/, ''), message: s.message }));
  }
  if (d.reason === 'unsafe-content' && Array.isArray(d.findings)) out.safety = d.findings;
  return out;
}
