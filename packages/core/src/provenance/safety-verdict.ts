import type { SkillVersionPredicate } from '@everyskill/provenance';
import type { Transaction } from '@everyskill/db';

/**
 * The safety scan's verdict on a version, for its attestation. Versions are not scanned yet, so
 * every attestation states `safety: null` ("not scanned"); the scanner fills this in.
 */
export async function readSafetyVerdict(_tx: Transaction, _versionId: string): Promise<SkillVersionPredicate['safety']> {
  return null;
}
