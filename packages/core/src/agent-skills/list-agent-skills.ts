import { apiListQuery, type ApiSkillList } from '@everyskill/contracts';
import { z } from 'zod';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { listSkills } from '../skills/list-skills';
import { toApiSummary } from './agent-skill-views';

/** One page of the skills the key may see, as the API shows them (the catalogue without facets). */
export async function listAgentSkills(ctx: Ctx, input: z.input<typeof apiListQuery> = {}): Promise<ApiSkillList> {
  const query = parseInput(apiListQuery, input);
  const result = await listSkills(ctx, query);
  return { items: result.items.map(toApiSummary), total: result.total, page: result.page, pageSize: result.pageSize, pageCount: result.pageCount };
}
