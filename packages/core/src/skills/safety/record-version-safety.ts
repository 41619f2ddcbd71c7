import type { SafetyScan } from '@everyskill/contracts';
import { skillVersionSafety, type Transaction } from '@everyskill/db';

/** Stores a version's scan in the publish transaction (one row per version; a rescan replaces it). */
export async function recordVersionSafety(tx: Transaction, tenantId: string, versionId: string, scan: SafetyScan, how: { held?: boolean } = {}): Promise<void> {
  const row = { rulesVersion: scan.rulesVersion, verdict: scan.verdict, findings: scan.findings, scannedAt: new Date(), ...(how.held ? { heldAt: new Date() } : {}) };
  await tx
    .insert(skillVersionSafety)
    .values({ tenantId, versionId, ...row })
    .onConflictDoUpdate({ target: skillVersionSafety.versionId, set: row });
}
