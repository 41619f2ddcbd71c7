import { z } from 'zod';
import type { VersionSafety } from './skill-safety';
import { uuid } from './common';
import { skillNameSchema } from './skill-manifest';
import { skillCategories, skillVisibilities } from './skill-choices';

export { matchSkillCategory, skillCategories, skillCategoryLabels, skillVisibilities } from './skill-choices';

export const skillCategory = z.enum(skillCategories, {
  error: `category must be one of ${skillCategories.join(', ')}`,
});
export type SkillCategory = z.infer<typeof skillCategory>;

export const skillVisibility = z.enum(skillVisibilities, {
  error: 'visibility must be tenant, private or public',
});
export type SkillVisibility = z.infer<typeof skillVisibility>;

export const SKILL_TAG_PATTERN = /^[a-z0-9][a-z0-9+#.-]{0,31}$/;
export const SKILL_MAX_TAGS = 10;

/** Splits "a, b c" into normalised tags (lowercase, deduplicated); invalid ones are reported by skillTags. */
/** The tags a SKILL.md's metadata names (`tags`, else `keywords`), without YAML-ish brackets and quotes. */
export function metadataTagText(metadata: Record<string, string>): string {
  return (metadata.tags ?? metadata.keywords ?? '').replace(/^\[|\]$/g, '').replace(/["']/g, '');
}

export function splitSkillTags(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((t) => t.trim().toLowerCase()).filter(Boolean))];
}

/** Tags as a list or as comma/space separated text, normalised to lowercase and deduplicated. */
export const skillTags = z
  .union([z.array(z.string()), z.string()])
  .transform((value) => (Array.isArray(value) ? splitSkillTags(value.join(',')) : splitSkillTags(value)))
  .pipe(
    z
      .array(
        z.string().regex(SKILL_TAG_PATTERN, {
          message: 'each tag must be 1–32 lowercase letters, digits or - + # . (e.g. "pdf", "c#", "node.js")',
        }),
      )
      .max(SKILL_MAX_TAGS, { message: `at most ${SKILL_MAX_TAGS} tags` }),
  );

/** Semantic Versioning 2.0.0 (same pattern as the manifest's metadata.version). */
export const skillVersionString = z
  .string()
  .trim()
  .regex(
    /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/,
    { message: 'version must be semantic, such as 1.2.0' },
  );

export const skillSlug = skillNameSchema;

const optionalText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, { message: `${what} must be at most ${max} characters` })
    .optional()
    .transform((v) => (v === '' ? undefined : v));

/** Choices that go with a publish, whatever the source (archive, editor, API). */
export const publishSkillOptions = z.object({
  /** Publishing a new version of this skill: the manifest name must equal it. */
  slug: skillSlug.optional(),
  visibility: skillVisibility.optional(),
  category: skillCategory.optional(),
  tags: skillTags.optional(),
  /** What changed in this version, shown in the version history. */
  notes: optionalText(2000, 'release notes'),
});
export type PublishSkillOptions = z.input<typeof publishSkillOptions>;

/** The largest SKILL.md the editor accepts (the bundle limits apply to archives). */
export const SKILL_MD_MAX_BYTES = 1024 * 1024;

export const publishFromEditorInput = publishSkillOptions.extend({
  skillMd: z
    .string()
    .min(1, { message: 'SKILL.md must not be empty' })
    .max(SKILL_MD_MAX_BYTES, { message: 'SKILL.md must be at most 1 MiB' }),
});
export type PublishFromEditorInput = z.input<typeof publishFromEditorInput>;

export const skillSorts = ['most_used', 'best_rated', 'newest'] as const;
export const skillSort = z.enum(skillSorts, { error: 'sort must be most_used, best_rated or newest' });
export type SkillSort = z.infer<typeof skillSort>;
export const skillSortLabels: Record<SkillSort, string> = {
  most_used: 'Most used',
  best_rated: 'Best rated',
  newest: 'Newest',
};

export const SKILLS_PAGE_SIZE = 24;

const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

/** Browse filters; every field is optional so a query string parses directly. */
export const listSkillsInput = z.object({
  q: z.preprocess(emptyToUndefined, z.string().trim().max(200).optional()),
  category: z.preprocess(emptyToUndefined, skillCategory.optional()),
  tag: z.preprocess(emptyToUndefined, z.string().trim().toLowerCase().max(32).optional()),
  author: z.preprocess(emptyToUndefined, uuid.optional()),
  sort: z.preprocess(emptyToUndefined, skillSort.default('most_used')),
  page: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(10_000).default(1)),
  pageSize: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100).default(SKILLS_PAGE_SIZE)),
  /** Only the actor's own skills, private ones included (the "my skills" page). */
  mine: z.preprocess((v) => v === true || v === 'true' || v === '1', z.boolean()).default(false),
});
export type ListSkillsInput = z.input<typeof listSkillsInput>;

export const skillRefInput = z.object({ slug: skillSlug });
export type SkillRefInput = z.input<typeof skillRefInput>;

export const skillVersionRefInput = z.object({ slug: skillSlug, version: skillVersionString.optional() });
export type SkillVersionRefInput = z.input<typeof skillVersionRefInput>;

export const skillFileInput = skillVersionRefInput.extend({
  path: z.string().min(1).max(1024, { message: 'path must be at most 1024 characters' }),
});
export type SkillFileInput = z.input<typeof skillFileInput>;

export const bundleFormats = ['zip', 'tar.gz'] as const;
export const bundleFormat = z.enum(bundleFormats, { error: 'format must be zip or tar.gz' });
export type BundleFormat = z.infer<typeof bundleFormat>;

export const downloadSkillInput = skillVersionRefInput.extend({
  format: z.preprocess(emptyToUndefined, bundleFormat.default('zip')),
});
export type DownloadSkillInput = z.input<typeof downloadSkillInput>;

export const rateSkillInput = z.object({
  slug: skillSlug,
  stars: z.coerce
    .number({ error: 'choose 1 to 5 stars' })
    .int({ message: 'choose 1 to 5 stars' })
    .min(1, { message: 'choose 1 to 5 stars' })
    .max(5, { message: 'choose 1 to 5 stars' }),
  comment: optionalText(2000, 'comment'),
});
export type RateSkillInput = z.input<typeof rateSkillInput>;

export const feedbackKinds = ['thumbs_up', 'thumbs_down', 'suggestion', 'bug_report'] as const;
export const feedbackKind = z.enum(feedbackKinds, {
  error: 'feedback must be thumbs_up, thumbs_down, suggestion or bug_report',
});
export type FeedbackKind = z.infer<typeof feedbackKind>;
export const feedbackKindLabels: Record<FeedbackKind, string> = {
  thumbs_up: 'Thumbs up',
  thumbs_down: 'Thumbs down',
  suggestion: 'Suggestion',
  bug_report: 'Bug report',
};

export const eventSources = ['portal', 'api', 'mcp', 'cli'] as const;
export const eventSource = z.enum(eventSources);
export type EventSource = z.infer<typeof eventSource>;

export const submitFeedbackInput = z
  .object({
    slug: skillSlug,
    kind: feedbackKind,
    body: optionalText(5000, 'feedback'),
    version: skillVersionString.optional(),
    source: eventSource.default('portal'),
  })
  .superRefine((value, ctx) => {
    if ((value.kind === 'suggestion' || value.kind === 'bug_report') && (value.body?.length ?? 0) < 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['body'],
        message: `a ${value.kind === 'bug_report' ? 'bug report' : 'suggestion'} needs a few words saying what you found`,
      });
    }
  });
export type SubmitFeedbackInput = z.input<typeof submitFeedbackInput>;

export const recordUsageInput = z.object({
  slug: skillSlug,
  version: skillVersionString.optional(),
  source: eventSource,
  /** The same key sent twice (a retried request) records one event. */
  idempotencyKey: z.string().trim().min(1).max(200).optional(),
});
export type RecordUsageInput = z.input<typeof recordUsageInput>;

export const setSkillVisibilityInput = z.object({ slug: skillSlug, visibility: skillVisibility });
export type SetSkillVisibilityInput = z.input<typeof setSkillVisibilityInput>;

export const forkSkillInput = z.object({
  slug: skillSlug,
  /** The variation's own name; its SKILL.md name is rewritten to it. */
  name: skillSlug,
  version: skillVersionString.optional(),
  visibility: skillVisibility.optional(),
});
export type ForkSkillInput = z.input<typeof forkSkillInput>;

/** Publishes an earlier version's files again as the skill's new latest version. */
export const restoreSkillVersionInput = z.object({ slug: skillSlug, version: skillVersionString });
export type RestoreSkillVersionInput = z.input<typeof restoreSkillVersionInput>;

export const diffSkillVersionsInput = z.object({
  slug: skillSlug,
  from: skillVersionString,
  to: skillVersionString,
  /** Compare with a version of another skill (a variation with its parent). */
  fromSlug: skillSlug.optional(),
});
export type DiffSkillVersionsInput = z.input<typeof diffSkillVersionsInput>;

// ---- What the services return (JSON-safe: dates are ISO strings) ----

export interface SkillPerson {
  id: string;
  name: string | null;
  email: string;
}

export interface SkillSummary {
  id: string;
  slug: string;
  name: string;
  description: string;
  category: SkillCategory;
  tags: string[];
  visibility: SkillVisibility;
  status: 'published' | 'deprecated';
  author: SkillPerson | null;
  latestVersion: string | null;
  usesCount: number;
  installsCount: number;
  ratingAvg: number;
  ratingCount: number;
  feedbackPositive: number;
  feedbackTotal: number;
  forkedFrom: { slug: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface SkillListResult {
  items: SkillSummary[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  facets: {
    categories: { category: SkillCategory; count: number }[];
    tags: { tag: string; count: number }[];
    authors: { author: SkillPerson; count: number }[];
  };
}

export interface SkillFileEntry {
  path: string;
  size: number;
  sha256: string;
  text: boolean;
}

export interface SkillIssue {
  path: string;
  message: string;
}

export interface SkillVersionDetail {
  id: string;
  version: string;
  contentSha256: string;
  skillMd: string;
  manifest: Record<string, unknown>;
  warnings: SkillIssue[];
  files: SkillFileEntry[];
  fileCount: number;
  sizeBytes: number;
  notes: string | null;
  publishedBy: SkillPerson | null;
  createdAt: string;
  /** The safety scan of this version (null for a version published before scanning). */
  safety: VersionSafety | null;
}

export interface SkillVersionListItem {
  id: string;
  version: string;
  contentSha256: string;
  notes: string | null;
  fileCount: number;
  sizeBytes: number;
  publishedBy: SkillPerson | null;
  createdAt: string;
}

export interface SkillRatingView {
  stars: number;
  comment: string | null;
  author: SkillPerson | null;
  updatedAt: string;
}

export interface SkillFeedbackView {
  id: string;
  kind: FeedbackKind;
  body: string | null;
  version: string | null;
  author: SkillPerson | null;
  createdAt: string;
}

export interface SkillUsageDay {
  /** YYYY-MM-DD (UTC). */
  date: string;
  installs: number;
  uses: number;
}

export const usageAnalyticsInput = z.object({
  days: z.preprocess((v: unknown) => (v === '' || v === null ? undefined : v), z.coerce.number().int().min(1).max(365).default(30)),
});
export type UsageAnalyticsInput = z.input<typeof usageAnalyticsInput>;

/** Installs and uses of one group of events (a skill, a category) over the period. */
export interface UsageSeries {
  installs: number;
  uses: number;
  /** Every UTC day of the period, oldest first. */
  perDay: SkillUsageDay[];
}

/** Installs and uses in a workspace over the last days: in total, for its most used skills, and by category. */
export interface UsageAnalytics extends UsageSeries {
  days: number;
  /** The most installed-and-used skills of the period, most first (at most 8). */
  topSkills: (UsageSeries & { slug: string; name: string; deleted: boolean })[];
  /** Every category with events in the period, most first. */
  categories: (UsageSeries & { category: SkillCategory })[];
}

export interface SkillDetail extends SkillSummary {
  latest: SkillVersionDetail | null;
  versions: SkillVersionListItem[];
  /** The parent this variation was made from and how far the parent has moved since. */
  fork: {
    parent: { slug: string; name: string; deleted: boolean };
    forkedFromVersion: string;
    parentLatestVersion: string | null;
    /** Parent versions published after the one this variation was made from. */
    newerParentVersions: number;
  } | null;
  variations: { slug: string; name: string; author: SkillPerson | null }[];
  myRating: { stars: number; comment: string | null } | null;
  myThumb: 'thumbs_up' | 'thumbs_down' | null;
  ratings: SkillRatingView[];
  feedback: SkillFeedbackView[];
  usage: SkillUsageDay[];
  /** canRestoreVersion: publish an earlier version again as the latest (not in approval mode). */
  permissions: { canPublishVersion: boolean; canManage: boolean; canRestoreVersion: boolean };
}

export interface SkillFileView {
  path: string;
  version: string;
  size: number;
  sha256: string;
  /** The UTF-8 text, or null for a binary file or one too large to show. */
  text: string | null;
  truncated: boolean;
}

export type FileChange = 'added' | 'removed' | 'modified' | 'unchanged';

export interface SkillVersionDiff {
  from: { slug: string; version: string };
  to: { slug: string; version: string };
  /** Unified diff of SKILL.md ('' when equal). */
  skillMd: string;
  files: {
    path: string;
    change: FileChange;
    sizeFrom: number | null;
    sizeTo: number | null;
    /** Unified diff of a changed text file; null for binary, unchanged or very large files. */
    diff: string | null;
  }[];
  additions: number;
  deletions: number;
}

export interface PublishSkillResult {
  skill: { id: string; slug: string; name: string };
  version: { id: string; version: string; contentSha256: string };
  /** False when identical content was already published: nothing new was stored. */
  created: boolean;
  /** True when this publish created the skill itself (its first version). */
  newSkill: boolean;
  warnings: SkillIssue[];
  /** The safety scan blocks this version and the workspace holds such versions for review: stored, withheld from agents until approved. */
  heldForReview?: boolean;
}
