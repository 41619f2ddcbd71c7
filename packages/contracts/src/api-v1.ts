import { z } from 'zod';
import { versionSafety } from './skill-safety';
import { roleSchema, uuid } from './common';
import { apiKeyScope } from './api-keys';
import {
  bundleFormat,
  eventSource,
  feedbackKind,
  skillCategories,
  skillCategory,
  skillSorts,
  skillVersionString,
  skillVisibilities,
} from './skills';
import { skillNameSchema } from './skill-manifest';
import { SEARCH_QUERY_MAX_LENGTH, searchMatchKinds } from './search';

// The public REST contract of /api/v1: request and response shapes, and what an operation's
// documentation holds. The operations themselves (these schemas, a scope and a handler each) are
// one table in apps/web (src/server/api/operations/v1-operations.ts), which the OpenAPI document
// is generated from.

const isoDateTime = z.string().meta({ format: 'date-time' });
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** `slug` or `slug@version`: a skill, optionally pinned to one version. */
export const skillRef = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*(@[0-9A-Za-z.+-]+)?$/, { message: 'must be a skill name, optionally with @version, such as pdf-tools@1.2.0' })
  .meta({ description: 'A skill name, optionally pinned to a version: `pdf-tools` or `pdf-tools@1.2.0`.' });

/** Splits `slug@version` into its parts. */
export function parseSkillRef(ref: string): { slug: string; version?: string } {
  const at = ref.indexOf('@');
  return at === -1 ? { slug: ref } : { slug: ref.slice(0, at), version: ref.slice(at + 1) };
}

export const apiPerson = z.object({ id: uuid, name: z.string().nullable(), email: z.string() });

export const apiSkillSummary = z.object({
  id: uuid,
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.enum(skillCategories),
  tags: z.array(z.string()),
  visibility: z.enum(skillVisibilities),
  status: z.enum(['published', 'deprecated']),
  author: apiPerson.nullable(),
  latestVersion: z.string().nullable(),
  usesCount: z.number().int(),
  installsCount: z.number().int(),
  ratingAvg: z.number(),
  ratingCount: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type ApiSkillSummary = z.infer<typeof apiSkillSummary>;

export const apiSkillFile = z.object({ path: z.string(), size: z.number().int(), sha256: sha256Hex });

export const apiSkillVersion = z.object({
  slug: z.string(),
  version: z.string(),
  contentSha256: sha256Hex,
  skillMd: z.string(),
  manifest: z.record(z.string(), z.unknown()),
  files: z.array(apiSkillFile),
  fileCount: z.number().int(),
  sizeBytes: z.number().int(),
  notes: z.string().nullable(),
  publishedBy: apiPerson.nullable(),
  createdAt: isoDateTime,
  /** The safety scan: rules version, verdict, findings (null for a version published before scanning). */
  safety: versionSafety.nullable(),
});
export type ApiSkillVersion = z.infer<typeof apiSkillVersion>;

export const apiSkillDetail = apiSkillSummary.extend({
  /** SKILL.md of the latest version (or of the pinned one). */
  skillMd: z.string().nullable(),
  latest: apiSkillVersion.nullable(),
  versions: z.array(
    z.object({
      version: z.string(),
      contentSha256: sha256Hex,
      notes: z.string().nullable(),
      createdAt: isoDateTime,
      /** Set when the version was withdrawn: it is listed, never installed. */
      withdrawnReason: z.string().nullable(),
    }),
  ),
});
export type ApiSkillDetail = z.infer<typeof apiSkillDetail>;

export const apiSkillList = z.object({
  items: z.array(apiSkillSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  pageCount: z.number().int(),
});
export type ApiSkillList = z.infer<typeof apiSkillList>;

/** Why a result came back: its words, its meaning (the embedding), or both. */
export const apiSearchMatches = ['words', 'meaning', 'both'] as const;
export type ApiSearchMatch = (typeof apiSearchMatches)[number];

export const apiSearchHit = apiSkillSummary.extend({
  position: z.number().int().meta({ description: '1-based rank in the whole result list (offset included).' }),
  score: z.number().meta({ description: 'Fused ranking score (reciprocal rank fusion); compare within one answer only.' }),
  match: z.enum(apiSearchMatches).meta({
    description: '`words`: the name, tags, description or text matched the query words; `meaning`: the embedding was close; `both`.',
  }),
  matchedBy: z.array(z.enum(searchMatchKinds)).meta({
    description: 'The signals that found it: `name` (the query is its name), `keyword`, `typo` (a misspelt word corrected), `semantic`.',
  }),
});
export type ApiSearchHit = z.infer<typeof apiSearchHit>;

export const apiSearchResult = z.object({
  query: z.string(),
  items: z.array(apiSearchHit),
  hasMore: z.boolean().meta({ description: 'More results follow this page: ask again with offset + limit.' }),
  degraded: z.boolean().meta({
    description: 'True when the embedding service was down or slow: the results match words only.',
  }),
  degradedReason: z.string().nullable().meta({ description: 'Why meaning-based matching was off, when degraded.' }),
});
export type ApiSearchResult = z.infer<typeof apiSearchResult>;

export const apiListQuery = z.object({
  category: z.enum(skillCategories).optional(),
  tag: z.string().max(32).optional(),
  sort: z.enum(skillSorts).optional(),
  page: z.coerce.number().int().min(1).max(10_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).optional(),
});

/** A search over the API: the portal's search with the portal's filters (category, tag). */
export const apiSearchQuery = z.object({
  q: z
    .string()
    .trim()
    // Worded without the field's name: MCP's search_skills calls the same field `query`.
    .min(1, { message: 'say what to search for; it must not be empty' })
    .max(SEARCH_QUERY_MAX_LENGTH, { message: `a search is at most ${SEARCH_QUERY_MAX_LENGTH} characters` })
    .meta({ description: 'What the skill should do, in words: "turn my outline into slides", "pdf-tools".' }),
  category: skillCategory.optional().meta({ description: 'Only skills of this category.' }),
  tag: z.string().trim().toLowerCase().max(32).optional().meta({ description: 'Only skills with this tag.' }),
  limit: z.coerce.number().int().min(1).max(50).default(10).meta({ description: 'How many results.' }),
  offset: z.coerce.number().int().min(0).max(200).default(0).meta({ description: 'Results to skip: the next page when `hasMore` is true.' }),
});
export type ApiSearchQuery = z.output<typeof apiSearchQuery>;

export const apiDownloadQuery = z.object({
  format: bundleFormat.optional(),
  version: skillVersionString.optional(),
});

export const apiPublishResult = z.object({
  skill: z.object({ id: uuid, slug: z.string(), name: z.string() }),
  version: z.object({ version: z.string(), contentSha256: sha256Hex }),
  /** False when identical content was already published: nothing new was stored. */
  created: z.boolean(),
  /** True when this publish created the skill (its first version). */
  newSkill: z.boolean(),
  warnings: z.array(z.object({ path: z.string(), message: z.string() })),
  /** True when the safety scan blocks this version and the workspace holds such versions for review: stored, withheld from agents until approved. */
  heldForReview: z.boolean().optional(),
});
export type ApiPublishResult = z.infer<typeof apiPublishResult>;

/** What an agent reports: one invocation ("use") or one install of a skill. */
export const apiUsageEventInput = z.object({
  skill: skillNameSchema.meta({ description: 'The skill name (slug).' }),
  version: skillVersionString.optional(),
  kind: z.enum(['use', 'install']).default('use').meta({
    description: '`use`: the agent invoked the skill once. `install`: the agent wrote the skill to its skills folder.',
  }),
  idempotencyKey: z
    .string()
    .trim()
    .min(8, { message: 'idempotencyKey must be at least 8 characters; send a UUID per invocation' })
    .max(150, { message: 'idempotencyKey must be at most 150 characters' })
    .meta({ description: 'Unique per invocation (a UUID); a retry sends the same value and is counted once.' }),
  source: eventSource.exclude(['portal']).default('api'),
});
export type ApiUsageEventInput = z.input<typeof apiUsageEventInput>;

export const apiUsageEventResult = z.object({
  recorded: z.boolean().meta({ description: 'false when this idempotency key was already counted' }),
});

export const apiFeedbackInput = z.object({
  kind: feedbackKind,
  body: z.string().max(5000).optional(),
  version: skillVersionString.optional(),
});
export type ApiFeedbackInput = z.input<typeof apiFeedbackInput>;

export const apiFeedbackResult = z.object({
  id: uuid,
  kind: feedbackKind,
  body: z.string().nullable(),
  feedbackPositive: z.number().int(),
  feedbackTotal: z.number().int(),
});

export const apiWhoami = z.object({
  tenant: z.object({ id: uuid, slug: z.string(), name: z.string() }),
  user: z.object({ id: uuid, email: z.string(), name: z.string().nullable(), role: roleSchema }),
  key: z.object({ id: uuid, name: z.string(), displayPrefix: z.string(), scopes: z.array(apiKeyScope), expiresAt: isoDateTime }),
});
export type ApiWhoami = z.infer<typeof apiWhoami>;

// ---- What an operation is, as its documentation (apps/web's operation table holds them) ----

export type HttpMethod = 'get' | 'post' | 'head';

export interface ApiBinaryContent {
  binary: true;
  description: string;
}

export interface ApiOperation {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/skills/{ref}`. */
  path: string;
  summary: string;
  description?: string;
  tag: 'Skills' | 'Usage' | 'Account' | 'Command line';
  /** No key at all: the workspace is the host's (the command's device sign-in). */
  anonymous?: true;
  /** The scope the key needs; none for whoami. */
  scope?: z.infer<typeof apiKeyScope>;
  pathParams?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the operation reads (beyond Authorization), by name. */
  headers?: Record<string, { description: string; schema?: Record<string, unknown> }>;
  body?: { contentType: 'application/json'; schema: z.ZodType } | { contentType: 'multipart/form-data'; schema: z.ZodType };
  /** Success responses: a JSON schema or binary content types (archives, markdown). */
  responses: Record<number, { description: string; json?: z.ZodType; content?: Record<string, ApiBinaryContent> }>;
  /** Error statuses the operation documents (all use the one error body). */
  errors: number[];
}

/** Path parameters: a skill, a skill optionally pinned (`name@version`), one version of a skill. */
export const apiSlugParams = z.object({ slug: skillNameSchema });
export const apiRefParams = z.object({ ref: skillRef });
export const apiVersionParams = z.object({ slug: skillNameSchema, version: skillVersionString });

export const apiWithdrawResult = z.object({
  slug: z.string(),
  version: z.string(),
  reason: z.string(),
  withdrawnAt: isoDateTime,
  latestVersion: z.string().nullable(),
});
export const apiDeprecateResult = z.object({ slug: z.string(), message: z.string(), replacement: z.string().nullable() });
export const apiLogoutResult = z.object({ revoked: z.boolean(), keyId: uuid, name: z.string() });

export const publishMultipart = z.object({
  slug: skillNameSchema.meta({ description: 'Set to publish a new version of this existing skill (its SKILL.md name must match).' }).optional(),
  bundle: z.string().meta({ format: 'binary', description: 'A .zip or .tar.gz of the skill folder (SKILL.md at its root or in one top folder).' }).optional(),
  skillMd: z.string().meta({ description: 'Or the SKILL.md text alone, for a skill without other files.' }).optional(),
  visibility: z.enum(skillVisibilities).optional(),
  category: z.enum(skillCategories).optional(),
  tags: z.string().meta({ description: 'Comma-separated tags.' }).optional(),
  notes: z.string().max(2000).optional(),
});
