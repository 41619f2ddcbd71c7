import {
  type ApiSearchMatch,
  type ApiSearchResult,
  type ApiSkillSummary,
  type ApiSkillVersion,
  type SearchMatchKind,
  type SearchSkillsResult,
  type SkillPerson,
  type SkillSummary,
  type VersionSafety,
} from '@everyskill/contracts';
import { skillVersions, type SkillVersion } from '@everyskill/db';
import { toSummary, type SummarySkill } from '../skills/skill-views';

/** The API's summary of a skill (the portal's summary without portal-only fields). */
export function toApiSummary(summary: SkillSummary): ApiSkillSummary {
  return {
    id: summary.id,
    slug: summary.slug,
    name: summary.name,
    description: summary.description,
    category: summary.category,
    tags: summary.tags,
    visibility: summary.visibility,
    status: summary.status,
    author: summary.author,
    latestVersion: summary.latestVersion,
    usesCount: summary.usesCount,
    installsCount: summary.installsCount,
    ratingAvg: summary.ratingAvg,
    ratingCount: summary.ratingCount,
    createdAt: summary.createdAt,
    updatedAt: summary.updatedAt,
  };
}

/** The API's summary straight from a skill row (through the portal's one row → summary mapping). */
export function skillRowToApiSummary(skill: SummarySkill, author: SkillPerson | null, latestVersion: string | null): ApiSkillSummary {
  return toApiSummary(toSummary({ skill, author, latestVersion, parentSlug: null, parentName: null }));
}

/** The version columns toApiVersion reads, for a statement that selects no more than it needs. */
export const apiVersionColumns = {
  version: skillVersions.version,
  contentSha256: skillVersions.contentSha256,
  skillMd: skillVersions.skillMd,
  manifest: skillVersions.manifest,
  files: skillVersions.files,
  fileCount: skillVersions.fileCount,
  sizeBytes: skillVersions.sizeBytes,
  notes: skillVersions.notes,
  createdAt: skillVersions.createdAt,
};

export function toApiVersion(
  slug: string,
  version: Pick<SkillVersion, keyof typeof apiVersionColumns>,
  publishedBy: SkillPerson | null,
  safety: VersionSafety | null,
): ApiSkillVersion {
  return {
    slug,
    version: version.version,
    contentSha256: version.contentSha256,
    skillMd: version.skillMd,
    manifest: version.manifest,
    files: version.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })),
    fileCount: version.fileCount,
    sizeBytes: version.sizeBytes,
    notes: version.notes,
    publishedBy,
    createdAt: version.createdAt.toISOString(),
    safety,
  };
}

/** The API's answer to a search: each hit as the API's summary with its rank, score and why it matched. */
export function toApiSearchResult(query: string, result: SearchSkillsResult): ApiSearchResult {
  return {
    query,
    items: result.items.map((hit) => ({
      ...toApiSummary(hit.skill),
      position: hit.position,
      score: hit.score,
      match: matchOf(hit.matchedBy),
      matchedBy: hit.matchedBy,
    })),
    hasMore: result.hasMore,
    degraded: result.degraded,
    degradedReason: result.degradedReason,
  };
}

/** Words (name, keywords, corrected words), meaning (the embedding), or both. */
function matchOf(kinds: readonly SearchMatchKind[]): ApiSearchMatch {
  const meaning = kinds.includes('semantic');
  const words = kinds.some((kind) => kind !== 'semantic');
  return meaning && words ? 'both' : meaning ? 'meaning' : 'words';
}
