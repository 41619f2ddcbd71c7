import { tenantReviewSettings, withTenant, type ReviewMode, type SafetyBlockPolicy, type Transaction } from '@everyskill/db';
import { updateReviewSettingsInput } from '@everyskill/contracts';
import type { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, type Ctx } from '../context';
import { requireAdmin } from '../members/require-admin';
import { parseInput } from '../parse-input';

export interface ReviewSettings {
  reviewMode: ReviewMode;
  /** With approval on: submissions whose AI scores all reach this are approved automatically; null = never. */
  autoApproveThreshold: number | null;
  /** What a blocking safety finding does: refuse the publish (default) or publish the version held for review. */
  safetyBlockPolicy: SafetyBlockPolicy;
}

/** The tenant's settings inside a transaction; no row means "publish directly". */
export async function readReviewSettings(tx: Transaction): Promise<ReviewSettings> {
  const [row] = await tx.select().from(tenantReviewSettings);
  return { reviewMode: row?.reviewMode ?? 'direct', autoApproveThreshold: row?.autoApproveThreshold ?? null, safetyBlockPolicy: row?.safetyBlockPolicy ?? 'refuse' };
}

/** How this workspace publishes skills; every member may read it (the publish form depends on it). */
export async function getReviewSettings(ctx: Ctx): Promise<ReviewSettings> {
  return withTenant(ctx.db, ctx.tenantId, (tx) => readReviewSettings(tx));
}

/** Turns the approval workflow on or off, sets the auto-approve threshold and the safety policy (admins only). */
export async function updateReviewSettings(ctx: Ctx, input: z.input<typeof updateReviewSettingsInput>): Promise<ReviewSettings> {
  const settings = parseInput(updateReviewSettingsInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, 'change how skills are reviewed');
    const before = await readReviewSettings(tx);
    const values = { ...settings, updatedBy: actorUserId(ctx.actor), updatedAt: new Date() };
    await tx
      .insert(tenantReviewSettings)
      .values({ tenantId: ctx.tenantId, ...values })
      .onConflictDoUpdate({ target: tenantReviewSettings.tenantId, set: values });
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'review.settings_changed',
      targetType: 'tenant',
      targetId: ctx.tenantId,
      details: { before, after: settings },
      requestId: ctx.requestId,
    });
    return readReviewSettings(tx);
  });
}
