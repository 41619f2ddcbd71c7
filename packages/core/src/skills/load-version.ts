import { and, desc, eq, skillVersions, type Skill, type SkillVersion, type Transaction } from '@everyskill/db';
import { notFound } from '../errors';

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
