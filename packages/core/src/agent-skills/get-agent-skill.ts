import { skillSlug, skillVersionString, type ApiSkillDetail, type ApiSkillVersion, type SkillPerson } from '@everyskill/contracts';
import { and, eq, isNull, readAsTenant, skills, skillVersions, sql, type Database, type Skill, type SkillVersion } from '@everyskill/db';
import {
  apiKeyRowColumn,
  authenticateApiKey,
  checkApiKeyRow,
  hashOfWellFormedKey,
  tenantOfApiKey,
  type AuthenticatedKey,
  type KeyCheckOptions,
  type KeyRow,
} from '../api-keys/authenticate-api-key';
import { z } from 'zod';
import type { Ctx } from '../context';
import { notFound } from '../errors';
import { parseInput } from '../parse-input';
import { canSeeSkill, requireScope } from '../skills/skill-access';
import { summarySkillColumns, type SummarySkill } from '../skills/skill-views';
import { apiVersionColumns, skillRowToApiSummary, toApiVersion } from './agent-skill-views';
import { assertReleasedForAgents, versionSafetyFromJson, versionSafetyJson } from '../skills/safety';

const agentSkillInput = z.object({ slug: skillSlug, version: skillVersionString.optional() });
export type AgentSkillInput = z.input<typeof agentSkillInput>;

const person = (column: unknown) =>
  sql<SkillPerson | null>`(SELECT json_build_object('id', u.id, 'name', u.name, 'email', u.email) FROM users u WHERE u.id = ${column})`;

/**
 * A skill as agents read it — metadata, SKILL.md of the latest (or pinned) version and the version
 * list — in one indexed statement on a connection bound to the tenant (readAsTenant), so the API's
 * hottest read costs no transaction round trips.
 */
export async function getAgentSkill(ctx: Ctx, input: AgentSkillInput): Promise<ApiSkillDetail> {
  requireScope(ctx, 'skills:read');
  const { slug, version } = parseInput(agentSkillInput, input);
  return toAgentSkill(ctx, await readAgentSkillRow(ctx.db, ctx.tenantId, slug, version, null), slug, version);
}

export interface AgentSkillForKeyOptions extends KeyCheckOptions {
  requestId?: string;
  /** Runs once the key has passed its checks, before anything about the skill is decided (rate limits). */
  admit?: (key: AuthenticatedKey) => Promise<void>;
}

/**
 * getAgentSkill for a request that carries an API key, still in one statement: the key's row is
 * read together with the skill, as the key's tenant and in the same snapshot, and checked like
 * authenticateApiKey checks it (revocation, expiry, owner, workspace, host), then `admit`, then the
 * scope, before anything of the skill is used. A refused key learns nothing about the skill.
 */
export async function getAgentSkillForKey(
  db: Database,
  secret: string,
  input: AgentSkillInput,
  options: AgentSkillForKeyOptions = {},
): Promise<{ key: AuthenticatedKey; skill: ApiSkillDetail }> {
  const hash = hashOfWellFormedKey(secret);
  const parsed = agentSkillInput.safeParse(input);
  const tenantId = parsed.success ? await tenantOfApiKey(db, hash) : null;
  // Without a skill row (bad input, unknown key, no such skill) the key is checked on its own, so
  // the answer is the same as for any other route: the key's refusal first, then the input's.
  const row = tenantId && parsed.success ? await readAgentSkillRow(db, tenantId, parsed.data.slug, parsed.data.version, hash) : undefined;
  const key = row ? checkApiKeyRow(db, secret, row.key, options) : await authenticateApiKey(db, secret, options);
  await options.admit?.(key);
  const ctx: Ctx = { tenantId: key.tenantId, actor: key.actor, db, requestId: options.requestId };
  requireScope(ctx, 'skills:read');
  const { slug, version } = parsed.success ? parsed.data : parseInput(agentSkillInput, input);
  return { key, skill: toAgentSkill(ctx, row, slug, version) };
}

function readAgentSkillRow(db: Database, tenantId: string, slug: string, version: string | undefined, keyHash: string | null) {
  return readAsTenant(db, tenantId, async (q) => {
    const [row] = await agentSkillStatement(q, keyHash !== null, version !== undefined).execute({ slug, version, keyHash });
    return row;
  });
}

// Built once per client and shape, and prepared: a tenant-bound connection plans it once, later
// requests only bind their values. (A transaction's client, on PGlite, gets its own.)
const statements = new WeakMap<Database, Map<string, ReturnType<typeof buildAgentSkillStatement>>>();

function agentSkillStatement(q: Database, keyed: boolean, pinned: boolean) {
  const shape = `agent_skill_${keyed ? 'keyed' : 'plain'}_${pinned ? 'pinned' : 'latest'}`;
  let byShape = statements.get(q);
  if (!byShape) statements.set(q, (byShape = new Map()));
  let statement = byShape.get(shape);
  if (!statement) byShape.set(shape, (statement = buildAgentSkillStatement(q, shape, keyed, pinned)));
  return statement;
}

function buildAgentSkillStatement(q: Database, name: string, keyed: boolean, pinned: boolean) {
  return q
    .select({
      key: keyed ? apiKeyRowColumn(sql.placeholder('keyHash')) : sql<KeyRow | null>`NULL::json`,
      // Only the columns the views read, each row as one JSON object built by the database: the
      // API's hottest read maps two values here, not one per column.
      skill: jsonObjectOf<SkillJson>({ ...summarySkillColumns, authorUserId: skills.authorUserId }),
      version: sql<VersionJson | null>`CASE WHEN ${skillVersions.id} IS NULL THEN NULL ELSE ${jsonObjectOf<VersionJson>(apiVersionColumns)} END`,
      author: person(skills.authorUserId),
      publisher: person(skillVersions.publishedBy),
      safety: versionSafetyJson(skillVersions.id),
      latestVersion: sql<string | null>`(SELECT v.version FROM skill_versions v WHERE v.id = ${skills.latestVersionId})`,
      versions: sql<{ version: string; contentSha256: string; notes: string | null; createdAt: string; withdrawnReason: string | null }[]>`(
        SELECT coalesce(json_agg(json_build_object('version', v.version, 'contentSha256', v.content_sha256,
                 'notes', v.notes, 'createdAt', v.created_at,
                 'withdrawnReason', (SELECT w.reason FROM skill_version_withdrawals w WHERE w.version_id = v.id)) ORDER BY v.created_at DESC), '[]'::json)
        FROM skill_versions v WHERE v.skill_id = ${skills.id})`,
    })
    .from(skills)
    .leftJoin(
      skillVersions,
      pinned
        ? and(eq(skillVersions.skillId, skills.id), eq(skillVersions.version, sql.placeholder('version')))
        : eq(skillVersions.id, skills.latestVersionId),
    )
    .where(and(eq(skills.slug, sql.placeholder('slug')), isNull(skills.deletedAt)))
    .prepare(name);
}

/** A row's values as JSON has them: timestamps are strings. */
type AsJson<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };
type SkillJson = AsJson<SummarySkill & Pick<Skill, 'authorUserId'>>;
type VersionJson = AsJson<Pick<SkillVersion, keyof typeof apiVersionColumns>>;
type SqlChunk = Parameters<typeof sql.join>[0][number];

/** `json_build_object('key', column, …)` of the given columns, keyed by their property names. */
function jsonObjectOf<T>(columns: Record<string, SqlChunk>) {
  const pairs = Object.entries(columns).map(([key, column]) => sql`${sql.raw(`'${key}'`)}, ${column}`);
  return sql<T>`json_build_object(${sql.join(pairs, sql`, `)})`;
}

type AgentSkillRow = NonNullable<Awaited<ReturnType<typeof readAgentSkillRow>>>;

function toAgentSkill(ctx: Ctx, row: AgentSkillRow | undefined, slug: string, version: string | undefined): ApiSkillDetail {
  if (!row || !canSeeSkill(ctx, row.skill)) throw notFound(`skill '${slug}'`);
  if (version && !row.version) throw notFound(`version ${version} of '${slug}'`);
  const safety = versionSafetyFromJson(row.safety);
  if (row.version) assertReleasedForAgents(slug, row.version.version, safety);
  const detail = row.version ? toApiVersion(slug, { ...row.version, createdAt: new Date(row.version.createdAt) }, row.publisher, safety) : null;
  const skill = { ...row.skill, createdAt: new Date(row.skill.createdAt), updatedAt: new Date(row.skill.updatedAt) };
  return {
    ...skillRowToApiSummary(skill, row.author, row.latestVersion),
    skillMd: detail?.skillMd ?? null,
    latest: detail,
    versions: row.versions.map((v) => ({ ...v, createdAt: new Date(v.createdAt).toISOString() })),
  };
}

/** One version of a skill for a request with an API key (`GET /api/v1/skills/{slug}/versions/{version}`), as getAgentSkillForKey reads it. */
export async function getAgentSkillVersionForKey(
  db: Database,
  secret: string,
  input: { slug: string; version: string },
  options: AgentSkillForKeyOptions = {},
): Promise<{ key: AuthenticatedKey; version: ApiSkillVersion }> {
  const { key, skill } = await getAgentSkillForKey(db, secret, input, options);
  // A pinned version that does not exist is refused by the read; this only narrows the type.
  if (!skill.latest) throw notFound(`version ${input.version} of '${input.slug}'`);
  return { key, version: skill.latest };
}
