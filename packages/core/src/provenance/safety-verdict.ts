import type { SkillVersionPredicate } from '@everyskill/provenance';

/** The safety scan's row of a version, as the attestation's facts statement reads it (json_build_object). */
export interface SafetyVerdictRow {
  verdict: 'clean' | 'warn' | 'blocked';
  rulesVersion: string;
  scannedAt: string;
  overrideReason: string | null;
  overriddenAt: string | null;
}

/**
 * The safety scan's verdict on a version, for its attestation: verdict, rules version, when it was
 * scanned and an admin's release of a blocked version; null for a version published before scanning.
 */
export function safetyVerdictOf(scan: SafetyVerdictRow | null): SkillVersionPredicate['safety'] {
  if (!scan) return null;
  const override = scan.overrideReason && scan.overriddenAt ? { reason: scan.overrideReason, at: new Date(scan.overriddenAt).toISOString() } : null;
  return { verdict: scan.verdict, rulesVersion: scan.rulesVersion, scannedAt: new Date(scan.scannedAt).toISOString(), override };
}
