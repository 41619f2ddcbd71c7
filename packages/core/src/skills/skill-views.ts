import {
  matchSkillCategory,
  type SkillPerson,
  type SkillSummary,
  type SkillVersionDetail,
  type VersionSafety,
} from '@everyskill/contracts';
import { eq, inArray, skills, skillVersions, sql, users, type Skill, type SkillVersion, type Transaction } from '@everyskill/db';

/** The columns a skill summary needs: the skill, its author, its latest version number and its parent. */
export const summarySelection = {
  skill: skills,
  author: { id: users.id, name: users.name, email: users.email },
  latestVersion: skillVersions.version,
  // A deleted parent's name may belong to another skill by now, and a private one is not everyone's
  // to see: summaries name the parent only while it is live and not private (the skill page, which
  // knows who is looking, shows more).
  parentSlug: sql<string | null>`(SELECT p.slug FROM skills p WHERE p.id = ${skills.forkedFromSkillId} AND p.deleted_at IS NULL AND p.visibility <> 'private')`,
  parentName: sql<string | null>`(SELECT p.name FROM skills p WHERE p.id = ${skills.forkedFromSkillId} AND p.deleted_at IS NULL AND p.visibility <> 'private')`,
};

/** The skill columns toSummary reads, for a statement that selects no more than it needs. */
export const summarySkillColumns = {
  id: skills.id,
  slug: skills.slug,
  name: skills.name,
  description: skills.description,
  category: skills.category,
  tags: skills.tags,
  visibility: skills.visibility,
  status: skills.status,
  usesCount: skills.usesCount,
  installsCount: skills.installsCount,
  ratingAvg: skills.ratingAvg,
  ratingCount: skills.ratingCount,
  feedbackPositive: skills.feedbackPositive,
  feedbackTotal: skills.feedbackTotal,
  createdAt: skills.createdAt,
  updatedAt: skills.updatedAt,
};
export type SummarySkill = Pick<Skill, keyof typeof summarySkillColumns>;

export interface SummaryRow {
  skill: SummarySkill;
  author: SkillPerson | null;
  latestVersion: string | null;
  parentSlug: string | null;
  parentName: string | null;
}

/** select(summarySelection) from skills with the joins it needs. */
export function selectSummaries(tx: Transaction) {
  return tx
    .select(summarySelection)
    .from(skills)
    .leftJoin(users, eq(users.id, skills.authorUserId))
    .leftJoin(skillVersions, eq(skillVersions.id, skills.latestVersionId));
}

export function toSummary(row: SummaryRow): SkillSummary {
  const { skill } = row;
  return {
    id: skill.id,
    slug: skill.slug,
    name: skill.name,
    description: skill.description,
    category: matchSkillCategory(skill.category) ?? 'other',
    tags: skill.tags,
    visibility: skill.visibility,
    status: skill.status,
    author: row.author?.id ? row.author : null,
    latestVersion: row.latestVersion,
    usesCount: skill.usesCount,
    installsCount: skill.installsCount,
    ratingAvg: Number(skill.ratingAvg ?? 0),
    ratingCount: skill.ratingCount,
    feedbackPositive: skill.feedbackPositive,
    feedbackTotal: skill.feedbackTotal,
    forkedFrom: row.parentSlug && row.parentName ? { slug: row.parentSlug, name: row.parentName } : null,
    createdAt: skill.createdAt.toISOString(),
    updatedAt: skill.updatedAt.toISOString(),
  };
}

export function toVersionDetail(version: SkillVersion, publishedBy: SkillPerson | null, safety: VersionSafety | null): SkillVersionDetail {
  return {
    id: version.id,
    version: version.version,
    contentSha256: version.contentSha256,
    skillMd: version.skillMd,
    manifest: version.manifest,
    warnings: version.warnings,
    files: version.files,
    fileCount: version.fileCount,
    sizeBytes: version.sizeBytes,
    notes: version.notes,
    publishedBy,
    createdAt: version.createdAt.toISOString(),
    safety,
  };
}

/** People by id, for the few person references a page shows. */
export async function loadPeople(tx: Transaction, ids: (string | null)[]): Promise<Map<string, SkillPerson>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await tx
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r]));
}
