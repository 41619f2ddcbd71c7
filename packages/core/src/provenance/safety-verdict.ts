import type { SkillVersionPredicate } from '@everyskill/provenance';
import { eq, skillVersionSafety, type Transaction } from '@everyskill/db';

/**
 * The safety scan's verdict on a version, for its attestation: verdict, rules version, when it was
 * scanned and an admin's release of a blocked version; null for a version published before scanning.
 */
export async function readSafetyVerdict(tx: Transaction, versionId: string): Promise<SkillVersionPredicate['safety']> {
  const [scan] = await tx.select().from(skillVersionSafety).where(eq(skillVersionSafety.versionId, versionId));
  if (!scan) return null;
  const override = scan.overrideReason && scan.overriddenAt ? { reason: scan.overrideReason, at: new Date(scan.overriddenAt).toISOString() } : null;
  return { verdict: scan.verdict, rulesVersion: scan.rulesVersion, scannedAt: new Date(scan.scannedAt).toISOString(), override };
}
