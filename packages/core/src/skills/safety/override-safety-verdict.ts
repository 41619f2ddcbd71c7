import type { VersionSafety } from '@everyskill/contracts';
import { eq, skillVersionSafety, withTenant } from '@everyskill/db';
import { z } from 'zod';
import { recordAudit } from '../../audit/record-audit';
import { attestSkillVersion } from '../../provenance/attest-skill-version';
import { actorUserId, type Ctx } from '../../context';
import { conflict, forbidden } from '../../errors';
import { parseInput } from '../../parse-input';
import { loadVersion } from '../load-version';
import { claimsAdmin, loadVisibleSkill } from '../skill-access';
import { requireReviewer } from '../../review-workflow/reviewer-access';
import { loadVersionSafety } from './version-safety-view';

const overrideInput = z.object({
  slug: z.string().min(1),
  version: z.string().min(1),
  reason: z.string().trim().min(10, 'say in at least 10 characters why this version is safe to use').max(2000, 'keep the reason under 2000 characters'),
});

/**
 * Releases one blocked version with a written reason, shown on its page and audited in the same
 * transaction: an admin's override, or for a version held for review, an admin's or reviewer's approval.
 */
export async function overrideSafetyVerdict(ctx: Ctx, input: z.input<typeof overrideInput>): Promise<VersionSafety> {
  const { slug, version, reason } = parseInput(overrideInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    const row = await loadVersion(tx, skill, version);
    const [scan] = await tx.select().from(skillVersionSafety).where(eq(skillVersionSafety.versionId, row.id)).for('update');
    if (scan?.heldAt && !scan.overriddenAt) {
      if (ctx.actor.kind === 'api-key' && !claimsAdmin(ctx)) throw forbidden('approving a held version needs an admin key or a reviewer signed in to the portal');
      await requireReviewer(tx, ctx, 'approve a version held for review');
    } else if (!claimsAdmin(ctx)) throw forbidden('only a workspace admin can override a safety verdict');
    if (!scan || scan.verdict !== 'blocked') throw conflict(`version ${row.version} of '${slug}' is not blocked by the safety scan; there is nothing to override`);
    if (scan.overriddenAt) throw conflict(`version ${row.version} of '${slug}' was already released by an admin: ${scan.overrideReason ?? ''}`);
    await tx
      .update(skillVersionSafety)
      .set({ overrideReason: reason, overriddenBy: actorUserId(ctx.actor), overriddenAt: new Date() })
      .where(eq(skillVersionSafety.versionId, row.id));
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: scan.heldAt ? 'skill.safety_hold_approved' : 'skill.safety_overridden',
      targetType: 'skill',
      targetId: skill.id,
      details: { slug, version: row.version, rulesVersion: scan.rulesVersion, findings: scan.findings.length, reason },
      requestId: ctx.requestId,
    });
    // The override changes what the version's attestation says: a new one, the old one kept.
    await attestSkillVersion(tx, ctx.tenantId, row.id, 'override');
    return (await loadVersionSafety(tx, row.id))!; // the row was locked and updated above
  });
}
