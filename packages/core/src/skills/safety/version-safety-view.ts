import type { SafetyFinding, VersionSafety } from '@everyskill/contracts';
import { eq, skillVersionSafety, sql, users, type SkillVersionSafety, type Transaction } from '@everyskill/db';

type SqlChunk = Parameters<typeof sql.join>[0][number];

/** A stored scan row, with the email of whoever released it, as REST, MCP and the portal show it. */
export type VersionSafetyRow = Omit<SkillVersionSafety, 'versionId' | 'tenantId' | 'overriddenBy'> & { overriddenByEmail: string | null };

/** A stored scan row as REST, MCP and the portal show it. */
export function toVersionSafety(row: VersionSafetyRow): VersionSafety {
  return {
    rulesVersion: row.rulesVersion,
    verdict: row.verdict,
    findings: row.findings as unknown as SafetyFinding[], // written by recordVersionSafety from the scanner's findings
    scannedAt: new Date(row.scannedAt).toISOString(),
    override:
      row.overrideReason && row.overriddenAt ? { reason: row.overrideReason, at: new Date(row.overriddenAt).toISOString(), by: row.overriddenByEmail } : null,
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
  const [row] = await tx
    .select({
      rulesVersion: skillVersionSafety.rulesVersion,
      verdict: skillVersionSafety.verdict,
      findings: skillVersionSafety.findings,
      scannedAt: skillVersionSafety.scannedAt,
      overrideReason: skillVersionSafety.overrideReason,
      overriddenAt: skillVersionSafety.overriddenAt,
      heldAt: skillVersionSafety.heldAt,
      overriddenByEmail: users.email,
    })
    .from(skillVersionSafety)
    .leftJoin(users, eq(users.id, skillVersionSafety.overriddenBy))
    .where(eq(skillVersionSafety.versionId, versionId));
  return row ? toVersionSafety(row) : null;
}

export type VersionSafetyJson = Omit<VersionSafetyRow, 'scannedAt' | 'overriddenAt' | 'heldAt'> & {
  scannedAt: string;
  overriddenAt: string | null;
  heldAt: string | null;
};

/** A version's scan as one JSON value built by the database, for statements that read a version as JSON. */
export function versionSafetyJson(versionId: SqlChunk) {
  return sql<VersionSafetyJson | null>`(SELECT json_build_object('rulesVersion', s.rules_version, 'verdict', s.verdict, 'findings', s.findings,
    'scannedAt', s.scanned_at, 'overrideReason', s.override_reason, 'overriddenAt', s.overridden_at, 'heldAt', s.held_at,
    'overriddenByEmail', (SELECT u.email FROM users u WHERE u.id = s.overridden_by))
    FROM skill_version_safety s WHERE s.version_id = ${versionId})`;
}
