import { apiUsageEventInput, type ApiUsageEventInput } from '@everyskill/contracts';
import { actorUserId, type Ctx } from '../context';
import { parseInput } from '../parse-input';
import { recordInstall } from '../skills/record-install';
import { recordUse } from '../skills/record-use';

/**
 * Records what an agent reports. A **use** is one invocation of a skill by an agent (the agent
 * loaded it to do a task); an **install** is the agent writing the skill into its skills folder.
 * The client's idempotency key is scoped to the reporting person, so a retry counts once and no
 * one can pre-empt another person's events by guessing their keys. Counters move in the same
 * transaction as the event (recordUse / recordInstall).
 */
export async function reportAgentUsage(ctx: Ctx, input: ApiUsageEventInput): Promise<{ recorded: boolean }> {
  const event = parseInput(apiUsageEventInput, input);
  const idempotencyKey = `${actorUserId(ctx.actor) ?? 'system'}:${event.idempotencyKey}`;
  const record = event.kind === 'install' ? recordInstall : recordUse;
  return record(ctx, { slug: event.skill, version: event.version, source: event.source, idempotencyKey });
}
