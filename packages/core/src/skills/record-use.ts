import { recordUsageInput, type RecordUsageInput } from '@everyskill/contracts';
import { withTenant } from '@everyskill/db';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { recordUsageEvent } from './record-usage-event';
import { loadVisibleSkill, requireScope } from './skill-access';

/** Counts one use of a skill reported by an agent; a repeated idempotency key counts once. */
export async function recordUse(ctx: Ctx, input: RecordUsageInput): Promise<{ recorded: boolean }> {
  requireScope(ctx, 'usage:write');
  const { slug, version, source, idempotencyKey } = parseInput(recordUsageInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    const recorded = await recordUsageEvent(tx, ctx, skill, { kind: 'use', source, version, idempotencyKey });
    return { recorded };
  });
}
