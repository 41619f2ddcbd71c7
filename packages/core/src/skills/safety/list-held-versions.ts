import { and, asc, eq, isNotNull, isNull, skills, skillVersions, skillVersionSafety, withTenant } from '@everyskill/db';
import type { Ctx } from '../../context';
import { requireReviewer } from '../../review-workflow/reviewer-access';

export interface HeldVersion {
  slug: string;
  name: string;
  version: string;
  rulesVersion: string;
  heldAt: Date;
  /** How many findings block it. */
  blocking: number;
}

/** Versions published held for review by the safety scan and not yet approved, oldest first (admins and reviewers). */
export async function listHeldVersions(ctx: Ctx): Promise<HeldVersion[]> {
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireReviewer(tx, ctx, 'see the review queue');
    const rows = await tx
      .select({ slug: skills.slug, name: skills.name, version: skillVersions.version, rulesVersion: skillVersionSafety.rulesVersion, heldAt: skillVersionSafety.heldAt, findings: skillVersionSafety.findings })
      .from(skillVersionSafety)
      .innerJoin(skillVersions, eq(skillVersions.id, skillVersionSafety.versionId))
      .innerJoin(skills, eq(skills.id, skillVersions.skillId))
      .where(and(isNotNull(skillVersionSafety.heldAt), isNull(skillVersionSafety.overriddenAt), eq(skillVersionSafety.verdict, 'blocked'), isNull(skills.deletedAt)))
      .orderBy(asc(skillVersionSafety.heldAt))
      .limit(200);
    return rows.map((r) => ({ slug: r.slug, name: r.name, version: r.version, rulesVersion: r.rulesVersion, heldAt: new Date(r.heldAt!), blocking: r.findings.filter((f) => f.severity === 'block').length }));
  });
}
