import { skillSlug, skillVersionString, type ApiSkillDetail, type ApiSkillVersion, type SkillPerson } from '@everyskill/contracts';
import { and, eq, isNull, skills, skillVersions, sql, withTenant } from '@everyskill/db';
import { z } from 'zod';
import type { Ctx } from '../context';
import { notFound } from '../errors';
import { parseInput } from '../parse-input';
import { canSeeSkill, requireScope } from '../skills/skill-access';
import { skillRowToApiSummary, toApiVersion } from './agent-skill-views';

const agentSkillInput = z.object({ slug: skillSlug, version: skillVersionString.optional() });
export type AgentSkillInput = z.input<typeof agentSkillInput>;

const person = (column: unknown) =>
  sql<SkillPerson | null>`(SELECT json_build_object('id', u.id, 'name', u.name, 'email', u.email) FROM users u WHERE u.id = ${column})`;

/**
 * A skill as agents read it — metadata, SKILL.md of the latest (or pinned) version and the version
 * list — in one indexed query, so the API's hottest read costs one round trip inside its transaction.
 */
export async function getAgentSkill(ctx: Ctx, input: AgentSkillInput): Promise<ApiSkillDetail> {
  requireScope(ctx, 'skills:read');
  const { slug, version } = parseInput(agentSkillInput, input);
  const [row] = await withTenant(ctx.db, ctx.tenantId, (tx) =>
    tx
      .select({
        skill: skills,
        version: skillVersions,
        author: person(skills.authorUserId),
        publisher: person(skillVersions.publishedBy),
        latestVersion: sql<string | null>`(SELECT v.version FROM skill_versions v WHERE v.id = ${skills.latestVersionId})`,
        versions: sql<{ version: string; contentSha256: string; notes: string | null; createdAt: string }[]>`(
          SELECT coalesce(json_agg(json_build_object('version', v.version, 'contentSha256', v.content_sha256,
                   'notes', v.notes, 'createdAt', v.created_at) ORDER BY v.created_at DESC), '[]'::json)
          FROM skill_versions v WHERE v.skill_id = ${skills.id})`,
      })
      .from(skills)
      .leftJoin(
        skillVersions,
        version
          ? and(eq(skillVersions.skillId, skills.id), eq(skillVersions.version, version))
          : eq(skillVersions.id, skills.latestVersionId),
      )
      .where(and(eq(skills.tenantId, ctx.tenantId), eq(skills.slug, slug), isNull(skills.deletedAt))),
  );
  if (!row || !canSeeSkill(ctx, row.skill)) throw notFound(`skill '${slug}'`);
  if (version && !row.version) throw notFound(`version ${version} of '${slug}'`);
  const detail = row.version ? toApiVersion(slug, row.version, row.publisher) : null;
  return {
    ...skillRowToApiSummary(row.skill, row.author, row.latestVersion),
    skillMd: detail?.skillMd ?? null,
    latest: detail,
    versions: row.versions.map((v) => ({ ...v, createdAt: new Date(v.createdAt).toISOString() })),
  };
}

/** One version of a skill (`GET /api/v1/skills/{slug}/versions/{version}`). */
export async function getAgentSkillVersion(ctx: Ctx, input: { slug: string; version: string }): Promise<ApiSkillVersion> {
  const skill = await getAgentSkill(ctx, input);
  if (!skill.latest) throw notFound(`version ${input.version} of '${input.slug}'`);
  return skill.latest;
}
