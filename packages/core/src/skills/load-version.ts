import { and, desc, eq, skillVersions, skillVersionWithdrawals, type Skill, type SkillVersion, type Transaction } from '@everyskill/db';
import { conflict, notFound } from '../errors';

/** A version of the skill by number, or its latest version when none is asked for. */
export async function loadVersion(tx: Transaction, skill: Skill, version?: string): Promise<SkillVersion> {
  const [row] = version
    ? await tx
        .select()
        .from(skillVersions)
        .where(and(eq(skillVersions.skillId, skill.id), eq(skillVersions.version, version)))
    : skill.latestVersionId
      ? await tx.select().from(skillVersions).where(eq(skillVersions.id, skill.latestVersionId))
      : await tx.select().from(skillVersions).where(eq(skillVersions.skillId, skill.id)).orderBy(desc(skillVersions.createdAt)).limit(1);
  if (!row) throw notFound(version ? `version ${version} of '${skill.slug}'` : `a published version of '${skill.slug}'`);
  return row;
}

/**
 * loadVersion for anything that hands a version's files on (download, MCP install_skill, the
 * everyskill command, a restore or a variation of it): a withdrawn version is refused with its
 * reason and the version to take instead.
 */
export async function loadInstallableVersion(tx: Transaction, skill: Skill, version?: string): Promise<SkillVersion> {
  const row = await loadVersion(tx, skill, version);
  const [withdrawn] = await tx
    .select({ reason: skillVersionWithdrawals.reason })
    .from(skillVersionWithdrawals)
    .where(eq(skillVersionWithdrawals.versionId, row.id));
  if (withdrawn) {
    const latest = skill.latestVersionId !== row.id ? await loadVersion(tx, skill) : null;
    throw conflict(`${skill.slug}@${row.version} was withdrawn: ${withdrawn.reason}${latest ? `; use ${skill.slug}@${latest.version} instead` : ''}`, {
      slug: skill.slug,
      version: row.version,
      reason: withdrawn.reason,
      latestVersion: latest?.version ?? null,
    });
  }
  return row;
}
