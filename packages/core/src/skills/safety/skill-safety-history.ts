import { and, auditLog, desc, eq, inArray, withTenant } from '@everyskill/db';
import { z } from 'zod';
import type { Ctx } from '../../context';
import { requireAdmin } from '../../members/require-admin';
import { parseInput } from '../../parse-input';
import { loadVisibleSkill } from '../skill-access';

/** The audit actions that make up a skill's safety history. */
export const SAFETY_AUDIT_ACTIONS = [
  'skill.safety_held',
  'skill.safety_hold_approved',
  'skill.safety_overridden',
  'skill.safety_blocked',
  'skill.safety_opinion_requested',
] as const;
export type SafetyAuditAction = (typeof SAFETY_AUDIT_ACTIONS)[number];

/** One audited safety event of a skill: who did what to which version, when, and the reason they wrote. */
export interface SafetyHistoryEntry {
  action: SafetyAuditAction;
  at: string;
  /** The actor as audited: a person's email, an API key, or the system job that acted. */
  by: string;
  version: string | null;
  reason: string | null;
}

const historyInput = z.object({ slug: z.string().min(1, 'slug is required') });

/** A skill's audited safety events, newest first (the last 50; admins only): holds, releases with their reasons, blocks, requests for Claude's opinion. */
export async function listSkillSafetyHistory(ctx: Ctx, input: z.input<typeof historyInput>): Promise<SafetyHistoryEntry[]> {
  const { slug } = parseInput(historyInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, 'see the safety history of a skill');
    const skill = await loadVisibleSkill(tx, ctx, slug);
    const rows = await tx
      .select({ action: auditLog.action, at: auditLog.createdAt, by: auditLog.actorLabel, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, ctx.tenantId), eq(auditLog.targetType, 'skill'), eq(auditLog.targetId, skill.id), inArray(auditLog.action, [...SAFETY_AUDIT_ACTIONS])))
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(50);
    return rows.map((r) => ({
      action: r.action as SafetyAuditAction, // filtered to these actions above
      at: r.at.toISOString(),
      by: r.by ?? 'unknown',
      version: typeof r.details.version === 'string' ? r.details.version : null,
      reason: typeof r.details.reason === 'string' ? r.details.reason : null,
    }));
  });
}
