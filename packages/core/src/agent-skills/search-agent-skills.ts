import { apiSearchQuery, type ApiSearchResult } from '@everyskill/contracts';
import { z } from 'zod';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { listSkills } from '../skills/list-skills';
import { toApiSummary } from './agent-skill-views';

/**
 * Skills matching what an agent asks for, best first. Keyword matching over name, description and
 * tags through the catalogue listing, ranked by use.
 */
export async function searchAgentSkills(ctx: Ctx, input: z.input<typeof apiSearchQuery>): Promise<ApiSearchResult> {
  const { q, limit } = parseInput(apiSearchQuery, input);
  const result = await listSkills(ctx, { q, pageSize: limit ?? 10, sort: 'most_used' });
  return { query: q, items: result.items.map(toApiSummary), total: result.total };
}
