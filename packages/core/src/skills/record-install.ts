import { recordUsageInput, type RecordUsageInput } from '@everyskill/contracts';
import { withTenant } from '@everyskill/db';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { recordUsageEvent } from './record-usage-event';
import { loadVisibleSkill, requireScope } from './skill-access';

/**
 * Counts an install of a skill (a download, a CLI or MCP fetch); a repeated idempotency key counts
 * once. A key may report installs with `usage:write` (the usage scope) as well as with `skills:read`.
 */
export async function recordInstall(ctx: Ctx, input: RecordUsageInput): Promise<{ recorded: boolean }> {
  if (!(ctx.actor.kind === 'api-key' && ctx.actor.scopes.includes('usage:write'))) requireScope(ctx, 'skills:read');
  const { slug, version, source, idempotencyKey } = parseInput(recordUsageInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    const recorded = await recordUsageEvent(tx, ctx, skill, { kind: 'install', source, version, idempotencyKey });
    return { recorded };
  });
}
