import { resolveInput, type ResolveInput, type ResolvedSkill, type ResolveResult } from '@everyskill/contracts';
import { and, asc, eq, inArray, isNull, skills, skillVersions, skillVersionSafety, skillVersionWithdrawals, withTenant, type Skill } from '@everyskill/db';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { canSeeSkill, requireScope } from '../skills/skill-access';

interface VersionRow {
  id: string;
  version: string;
  contentSha256: string;
  createdAt: Date;
  withdrawnReason: string | null;
  withdrawnAt: Date | null;
  safetyVerdict: 'clean' | 'warn' | 'blocked' | null;
  safetyRulesVersion: string | null;
  safetyOverridden: boolean;
}

/**
 * Why a version may not be installed although it is not withdrawn: its safety scan blocks it and no
 * admin released it (as `assertReleasedForAgents` refuses it to every install path); null otherwise.
 */
export function blockedReasonOf(version: VersionRow): string | null {
  if (version.safetyVerdict !== 'blocked' || version.safetyOverridden) return null;
  return `the safety scan (rules ${version.safetyRulesVersion}) blocks it; a workspace admin must review it`;
}

/**
 * What a client with installed skills (a lockfile) should do with each: the version to use, the
 * latest, their digests, and a status — `not_found`, `blocked`, `withdrawn` (the version asked
 * for; `version` is then the latest usable one), `deprecated` (message, replacement), `outdated`
 * (a newer usable version exists) or `ok`. One transaction for the whole list.
 */
export async function resolveSkills(ctx: Ctx, input: ResolveInput): Promise<ResolveResult> {
  requireScope(ctx, 'skills:read');
  const { skills: entries } = parseInput(resolveInput, input);
  const names = [...new Set(entries.map((e) => e.name))];
  const { found, versionsBySkill } = await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const found = await tx
      .select()
      .from(skills)
      .where(and(inArray(skills.slug, names), isNull(skills.deletedAt)));
    const visible = found.filter((s) => canSeeSkill(ctx, s));
    const rows = visible.length
      ? await tx
          .select({
            skillId: skillVersions.skillId,
            id: skillVersions.id,
            version: skillVersions.version,
            contentSha256: skillVersions.contentSha256,
            createdAt: skillVersions.createdAt,
            withdrawnReason: skillVersionWithdrawals.reason,
            withdrawnAt: skillVersionWithdrawals.createdAt,
            safetyVerdict: skillVersionSafety.verdict,
            safetyRulesVersion: skillVersionSafety.rulesVersion,
            safetyOverriddenAt: skillVersionSafety.overriddenAt,
          })
          .from(skillVersions)
          .leftJoin(skillVersionWithdrawals, eq(skillVersionWithdrawals.versionId, skillVersions.id))
          .leftJoin(skillVersionSafety, eq(skillVersionSafety.versionId, skillVersions.id))
          .where(inArray(skillVersions.skillId, visible.map((s) => s.id)))
          .orderBy(asc(skillVersions.createdAt))
      : [];
    const versionsBySkill = new Map<string, VersionRow[]>();
    for (const { skillId, safetyOverriddenAt, ...row } of rows) {
      versionsBySkill.set(skillId, [...(versionsBySkill.get(skillId) ?? []), { ...row, safetyOverridden: safetyOverriddenAt !== null }]);
    }
    return { found: new Map(visible.map((s) => [s.slug, s])), versionsBySkill };
  });
  return {
    skills: entries.map((entry) => {
      const skill = found.get(entry.name);
      return skill ? resolveOne(skill, versionsBySkill.get(skill.id) ?? [], entry) : notFoundEntry(entry.name, `no skill named '${entry.name}' here`);
    }),
  };
}

function resolveOne(skill: Skill, versions: VersionRow[], entry: { name: string; version?: string; digest?: string }): ResolvedSkill {
  const usable = (v: VersionRow) => v.withdrawnReason === null && blockedReasonOf(v) === null;
  const pointer = versions.find((v) => v.id === skill.latestVersionId);
  const latest = pointer && usable(pointer) ? pointer : versions.filter(usable).at(-1);
  const asked = entry.version ? versions.find((v) => v.version === entry.version) : latest;
  if (entry.version && !asked) return notFoundEntry(entry.name, `'${entry.name}' has no version ${entry.version}`, latest);
  const deprecation =
    skill.status === 'deprecated' ? { message: skill.deprecationMessage ?? 'deprecated', replacement: skill.deprecationReplacement } : null;
  const base = {
    name: entry.name,
    latestVersion: latest?.version ?? null,
    latestDigest: latest?.contentSha256 ?? null,
    deprecation,
    withdrawn: null,
  };
  if (!asked) {
    return { ...base, status: 'withdrawn', version: null, digest: null, digestMatches: null, message: `every version of '${entry.name}' was withdrawn` };
  }
  const digestMatches = entry.digest ? entry.digest === asked.contentSha256 : null;
  const mismatch = digestMatches === false ? `; the digest you have differs from the registry's for ${asked.version}` : '';
  if (asked.withdrawnReason !== null) {
    return {
      ...base,
      status: 'withdrawn',
      version: latest?.version ?? null,
      digest: latest?.contentSha256 ?? null,
      digestMatches,
      withdrawn: { version: asked.version, reason: asked.withdrawnReason, at: asked.withdrawnAt!.toISOString() },
      message: `${entry.name}@${asked.version} was withdrawn: ${asked.withdrawnReason}${latest ? `; update to ${latest.version}` : ''}${mismatch}`,
    };
  }
  const blocked = blockedReasonOf(asked);
  if (blocked !== null) {
    return { ...base, status: 'blocked', version: null, digest: null, digestMatches, message: `${entry.name}@${asked.version} is blocked: ${blocked}` };
  }
  const version = { version: asked.version, digest: asked.contentSha256, digestMatches };
  if (deprecation) {
    const instead = deprecation.replacement ? `; use ${deprecation.replacement} instead` : '';
    return { ...base, ...version, status: 'deprecated', message: `${entry.name} is deprecated: ${deprecation.message}${instead}${mismatch}` };
  }
  if (latest && asked.id !== latest.id && asked.createdAt < latest.createdAt) {
    return { ...base, ...version, status: 'outdated', message: `${entry.name} ${latest.version} is available (you have ${asked.version})${mismatch}` };
  }
  return { ...base, ...version, status: 'ok', message: mismatch ? mismatch.slice(2) : null };
}

function notFoundEntry(name: string, message: string, latest?: VersionRow): ResolvedSkill {
  return {
    name,
    status: 'not_found',
    version: null,
    digest: null,
    latestVersion: latest?.version ?? null,
    latestDigest: latest?.contentSha256 ?? null,
    digestMatches: null,
    message,
    deprecation: null,
    withdrawn: null,
  };
}
