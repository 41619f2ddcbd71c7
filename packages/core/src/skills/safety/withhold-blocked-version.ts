import type { VersionSafety } from '@everyskill/contracts';
import { sql, type Skill, type SkillVersion, type Transaction } from '@everyskill/db';
import { AppError } from '../../errors';
import { loadInstallableVersion } from '../load-version';
import { loadVersionSafety } from './version-safety-view';

/**
 * Refuses a version whose safety scan blocks it and that no admin has released: agents (REST, MCP,
 * downloads) never receive it. A version scanned as blocked exists only after a rescan under newer
 * rules, or one published under the workspace's "hold for review" policy, waiting for approval.
 */
export function assertReleasedForAgents(slug: string, version: string, safety: Pick<VersionSafety, 'verdict' | 'override' | 'rulesVersion' | 'heldAt'> | null): void {
  if (safety?.verdict !== 'blocked' || safety.override) return;
  if (safety.heldAt) {
    throw new AppError(
      'forbidden',
      `version ${version} of '${slug}' is held for review: the safety scan (rules ${safety.rulesVersion}) found something that blocks it, and agents cannot use it until an admin or reviewer approves it in the review queue`,
      { reason: 'safety-held', slug, version, rulesVersion: safety.rulesVersion },
    );
  }
  throw new AppError(
    'forbidden',
    `version ${version} of '${slug}' is withheld: the safety scan (rules ${safety.rulesVersion}) blocks it; its page lists the findings, and a workspace admin must review it before agents can use it`,
    { reason: 'safety-blocked', slug, version, rulesVersion: safety.rulesVersion },
  );
}

/** The version whose files go to an agent or a download, with its scan: neither withdrawn nor withheld by its safety scan. */
export async function loadVersionForAgents(tx: Transaction, skill: Skill, version?: string): Promise<SkillVersion & { safety: VersionSafety | null }> {
  const loaded = await loadInstallableVersion(tx, skill, version);
  const safety = await loadVersionSafety(tx, loaded.id);
  assertReleasedForAgents(skill.slug, loaded.version, safety);
  return { ...loaded, safety };
}

type SqlChunk = Parameters<typeof sql.join>[0][number];

/** SQL true when the version (a column or value) is withheld from agents: blocked by its scan and not released. */
export function withheldFromAgentsSql(versionId: SqlChunk) {
  return sql`EXISTS (SELECT 1 FROM skill_version_safety w WHERE w.version_id = ${versionId} AND w.verdict = 'blocked' AND w.overridden_at IS NULL)`;
}
