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
import {
  deprecateSkillInput,
  deviceCodeRequest,
  deviceCodeResponse,
  deviceTokenRequest,
  deviceTokenResponse,
  resolveInput,
  resolveResult,
  skillFilesResult,
  withdrawVersionInput,
} from './cli';
import { apiAttestationQuery, apiVersionAttestation } from './provenance';

// The public REST contract of /api/v1: request and response shapes, and one operation table the
// route handlers, the tests and the OpenAPI document are all built from.

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

// ---- The operation table ----

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

const slugParam = z.object({ slug: skillNameSchema });
const refParam = z.object({ ref: skillRef });
const common = [401, 403, 429];

export const publishMultipart = z.object({
  slug: skillNameSchema.meta({ description: 'Set to publish a new version of this existing skill (its SKILL.md name must match).' }).optional(),
  bundle: z.string().meta({ format: 'binary', description: 'A .zip or .tar.gz of the skill folder (SKILL.md at its root or in one top folder).' }).optional(),
  skillMd: z.string().meta({ description: 'Or the SKILL.md text alone, for a skill without other files.' }).optional(),
  visibility: z.enum(skillVisibilities).optional(),
  category: z.enum(skillCategories).optional(),
  tags: z.string().meta({ description: 'Comma-separated tags.' }).optional(),
  notes: z.string().max(2000).optional(),
});

export const apiV1Operations: ApiOperation[] = [
  {
    operationId: 'whoami',
    method: 'get',
    path: '/whoami',
    summary: 'The key, person and workspace a request acts as',
    tag: 'Account',
    responses: { 200: { description: 'Who the key acts as', json: apiWhoami } },
    errors: [401, 429],
  },
  {
    operationId: 'searchSkills',
    method: 'get',
    path: '/search',
    summary: 'Search skills by what they do',
    description:
      'The portal\'s search: words (name, tags, description, text; misspellings corrected) and meaning (embeddings) fused, best first, over the skills the key\'s person may see. When the embedding service is down or slow the answer comes from words alone, with `degraded: true` and the reason.',
    tag: 'Skills',
    scope: 'skills:read',
    query: apiSearchQuery,
    responses: { 200: { description: 'Best matches first', json: apiSearchResult } },
    errors: [400, ...common],
  },
  {
    operationId: 'listSkills',
    method: 'get',
    path: '/skills',
    summary: 'List the skills the key may see',
    tag: 'Skills',
    scope: 'skills:read',
    query: apiListQuery,
    responses: { 200: { description: 'One page of skills', json: apiSkillList } },
    errors: [400, ...common],
  },
  {
    operationId: 'publishSkill',
    method: 'post',
    path: '/skills',
    summary: 'Publish a skill or a new version of one',
    description: 'The same publishing service as the portal: the manifest is validated, secrets are refused, the version must be new.',
    tag: 'Skills',
    scope: 'skills:publish',
    body: { contentType: 'multipart/form-data', schema: publishMultipart },
    responses: {
      201: { description: 'Published a new version', json: apiPublishResult },
      200: { description: 'Identical content was already published; nothing changed', json: apiPublishResult },
    },
    errors: [400, 409, ...common],
  },
  {
    operationId: 'getSkill',
    method: 'get',
    path: '/skills/{ref}',
    summary: 'A skill: metadata and SKILL.md (`name@version` pins a version)',
    tag: 'Skills',
    scope: 'skills:read',
    pathParams: refParam,
    responses: { 200: { description: 'The skill', json: apiSkillDetail } },
    errors: [400, 404, ...common],
  },
  {
    operationId: 'getSkillVersion',
    method: 'get',
    path: '/skills/{slug}/versions/{version}',
    summary: 'One published version of a skill',
    tag: 'Skills',
    scope: 'skills:read',
    pathParams: z.object({ slug: skillNameSchema, version: skillVersionString }),
    responses: { 200: { description: 'The version', json: apiSkillVersion } },
    errors: [400, 404, ...common],
  },
  {
    operationId: 'getSkillVersionAttestation',
    method: 'get',
    path: '/skills/{slug}/versions/{version}/attestation',
    summary: "A version's signed attestation (DSSE envelope, in-toto v1 statement)",
    description:
      "Signed by the workspace's key: the bundle's and every file's SHA-256, the publisher, the safety scan and the review. Verify it against the keys at /.well-known/everyskill/keys.json on the workspace's host (docs/provenance.md). A review or a safety override adds a newer attestation; `?envelopeSha256=` fetches an earlier one by its digest (the everyskill command's lockfile records it).",
    tag: 'Skills',
    scope: 'skills:read',
    pathParams: z.object({ slug: skillNameSchema, version: skillVersionString }),
    query: apiAttestationQuery,
    responses: { 200: { description: 'The latest attestation of the version, or the one `?envelopeSha256=` names', json: apiVersionAttestation } },
    errors: [400, 404, ...common],
  },
  {
    operationId: 'downloadSkill',
    method: 'get',
    path: '/skills/{ref}/download',
    summary: 'The skill folder as a zip or tar.gz archive',
    description:
      'The ETag is the SHA-256 of the archive; send it back as If-None-Match to get 304. `name@version` (or `?version=`) pins a version. Each 200 GET counts one install; HEAD and 304 count none, and retries that send the same `Idempotency-Key` header count once.',
    tag: 'Skills',
    scope: 'skills:read',
    pathParams: refParam,
    query: apiDownloadQuery,
    headers: {
      'If-None-Match': { description: 'The ETag of an archive you have: 304 when it is still current (a list, W/ and * are understood).' },
      'Idempotency-Key': { description: 'Sent again with a retry, the download counts one install, not two.', schema: { type: 'string', minLength: 8, maxLength: 150 } },
    },
    responses: {
      200: {
        description: 'The archive',
        content: {
          'application/zip': { binary: true, description: 'format=zip (default)' },
          'application/gzip': { binary: true, description: 'format=tar.gz' },
        },
      },
      304: { description: 'Not modified: If-None-Match matched the ETag' },
    },
    errors: [400, 404, ...common],
  },
  {
    operationId: 'submitFeedback',
    method: 'post',
    path: '/skills/{slug}/feedback',
    summary: 'Thumbs up/down, a suggestion or a bug report on a skill',
    tag: 'Usage',
    scope: 'usage:write',
    pathParams: slugParam,
    body: { contentType: 'application/json', schema: apiFeedbackInput },
    responses: { 201: { description: 'Recorded (free text is redacted of secrets)', json: apiFeedbackResult } },
    errors: [400, 404, ...common],
  },
  {
    operationId: 'reportUsage',
    method: 'post',
    path: '/usage-events',
    summary: 'Report one use (an invocation) or install of a skill',
    description: 'A use is one invocation of the skill by an agent. The idempotency key makes retries safe: the same key counts once.',
    tag: 'Usage',
    scope: 'usage:write',
    headers: {
      'Idempotency-Key': {
        description: 'The idempotency key, when it is not in the body (`idempotencyKey`); one of the two is required.',
        schema: { type: 'string', minLength: 8, maxLength: 150 },
      },
    },
    // The key may come as the Idempotency-Key header instead: optional in the body here.
    body: { contentType: 'application/json', schema: apiUsageEventInput.partial({ idempotencyKey: true }) },
    responses: { 200: { description: 'Counted, or already counted', json: apiUsageEventResult } },
    errors: [400, 404, ...common],
  },
  {
    operationId: 'resolveSkills',
    method: 'post',
    path: '/resolve',
    summary: 'What to do with installed skills: the version to use, the latest, digests and a status',
    description:
      'For each `{name, version?, digest?}` (a lockfile entry): `ok`, `outdated` (a newer version exists), `deprecated` (message and replacement), `withdrawn` (the version asked for; `version` is then the latest usable one), `blocked` or `not_found`. `digestMatches` is false when the digest sent differs from the registry\'s.',
    tag: 'Skills',
    scope: 'skills:read',
    body: { contentType: 'application/json', schema: resolveInput },
    responses: { 200: { description: 'One answer per entry, in order', json: resolveResult } },
    errors: [400, ...common],
  },
  {
    operationId: 'getSkillFiles',
    method: 'get',
    path: '/skills/{ref}/files',
    summary: 'Every file of a version with its SHA-256 and mode, to verify and write',
    description:
      'The SHA-256 of each file is the one the version\'s manifest recorded at publish time. A withdrawn version is refused (409, with the reason and the version to take instead). Counts one install; the same `Idempotency-Key` counts once.',
    tag: 'Skills',
    scope: 'skills:read',
    pathParams: refParam,
    headers: {
      'Idempotency-Key': { description: 'Sent again with a retry, the fetch counts one install, not two.', schema: { type: 'string', minLength: 8, maxLength: 150 } },
    },
    responses: { 200: { description: 'The files', json: skillFilesResult } },
    errors: [400, 404, 409, ...common],
  },
  {
    operationId: 'withdrawSkillVersion',
    method: 'post',
    path: '/skills/{slug}/versions/{version}/withdraw',
    summary: 'Withdraw a version (its author or an admin), with a reason',
    description: 'The version stays listed with its reason, is never the latest again and is refused to new installs; those who installed it are notified.',
    tag: 'Skills',
    scope: 'skills:publish',
    pathParams: z.object({ slug: skillNameSchema, version: skillVersionString }),
    body: { contentType: 'application/json', schema: withdrawVersionInput.pick({ reason: true }) },
    responses: {
      200: {
        description: 'Withdrawn',
        json: z.object({ slug: z.string(), version: z.string(), reason: z.string(), withdrawnAt: isoDateTime, latestVersion: z.string().nullable() }),
      },
    },
    errors: [400, 404, 409, ...common],
  },
  {
    operationId: 'deprecateSkill',
    method: 'post',
    path: '/skills/{slug}/deprecate',
    summary: 'Deprecate a skill with a message and an optional replacement (its author or an admin)',
    tag: 'Skills',
    scope: 'skills:publish',
    pathParams: slugParam,
    body: { contentType: 'application/json', schema: deprecateSkillInput.omit({ slug: true }) },
    responses: { 200: { description: 'Deprecated', json: z.object({ slug: z.string(), message: z.string(), replacement: z.string().nullable() }) } },
    errors: [400, 404, ...common],
  },
  {
    operationId: 'startDeviceAuthorization',
    method: 'post',
    path: '/device/code',
    summary: 'Start a sign-in of the everyskill command (device authorization, RFC 8628)',
    description: 'No key: the workspace is the host\'s. The person approves `userCode` at `verificationUri` while the command polls `/device/token`.',
    tag: 'Command line',
    anonymous: true,
    body: { contentType: 'application/json', schema: deviceCodeRequest },
    responses: { 200: { description: 'The codes', json: deviceCodeResponse } },
    errors: [400, 404, 429],
  },
  {
    operationId: 'pollDeviceToken',
    method: 'post',
    path: '/device/token',
    summary: 'Poll for the key of an approved sign-in',
    description:
      'Until the person decides: 400 with `error.code` `authorization_pending`, `slow_down` (poll 5 s slower), `expired_token` or `access_denied`. Once approved, the new key (`skills:read usage:write`, named after the machine, the workspace\'s key lifetime) is answered exactly once.',
    tag: 'Command line',
    anonymous: true,
    body: { contentType: 'application/json', schema: deviceTokenRequest },
    responses: { 200: { description: 'The new API key, shown once', json: deviceTokenResponse } },
    errors: [400, 404, 429],
  },
  {
    operationId: 'logout',
    method: 'post',
    path: '/logout',
    summary: 'Revoke the key making this request',
    tag: 'Account',
    responses: { 200: { description: 'Revoked', json: z.object({ revoked: z.boolean(), keyId: uuid, name: z.string() }) } },
    errors: [401, 429],
  },
];
