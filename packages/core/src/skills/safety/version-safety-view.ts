import type { SafetyFinding, VersionSafety } from '@everyskill/contracts';
import { eq, skillVersionSafety, sql, type SkillVersionSafety, type Transaction } from '@everyskill/db';

type SqlChunk = Parameters<typeof sql.join>[0][number];

/** A stored scan row as REST, MCP and the portal show it. */
export function toVersionSafety(row: Omit<SkillVersionSafety, 'versionId' | 'tenantId' | 'overriddenBy'>): VersionSafety {
  return {
    rulesVersion: row.rulesVersion,
    verdict: row.verdict,
    findings: row.findings as unknown as SafetyFinding[], // written by recordVersionSafety from the scanner's findings
    scannedAt: new Date(row.scannedAt).toISOString(),
    override: row.overrideReason && row.overriddenAt ? { reason: row.overrideReason, at: new Date(row.overriddenAt).toISOString() } : null,
    heldAt: row.heldAt ? new Date(row.heldAt).toISOString() : null,
  };
}

/** A scan read as JSON (timestamps are strings) as VersionSafety. */
export function versionSafetyFromJson(json: VersionSafetyJson | null): VersionSafety | null {
  return json
    ? toVersionSafety({ ...json, scannedAt: new Date(json.scannedAt), overriddenAt: json.overriddenAt ? new Date(json.overriddenAt) : null, heldAt: json.heldAt ? new Date(json.heldAt) : null })
    : null;
}

/** The scan of one version, or null when it was published before scanning. */
export async function loadVersionSafety(tx: Transaction, versionId: string): Promise<VersionSafety | null> {
  const [row] = await tx.select().from(skillVersionSafety).where(eq(skillVersionSafety.versionId, versionId));
  return row ? toVersionSafety(row) : null;
}

export type VersionSafetyJson = Omit<SkillVersionSafety, 'versionId' | 'tenantId' | 'overriddenBy' | 'scannedAt' | 'overriddenAt' | 'heldAt'> & {
  scannedAt: string;
  overriddenAt: string | null;
  heldAt: string | null;
};

/** A version's scan as one JSON value built by the database, for statements that read a version as JSON. */
export function versionSafetyJson(versionId: SqlChunk) {
  return sql<VersionSafetyJson | null>`(SELECT json_build_object('rulesVersion', s.rules_version, 'verdict', s.verdict, 'findings', s.findings,
    'scannedAt', s.scanned_at, 'overrideReason', s.override_reason, 'overriddenAt', s.overridden_at, 'heldAt', s.held_at)
    FROM skill_version_safety s WHERE s.version_id = ${versionId})`;
}
