import { apiSearchQuery, type ApiSearchResult } from '@everyskill/contracts';
import type { z } from 'zod';
import type { Ctx } from '../context';
import { toApiSearchResult } from '../agent-skills/agent-skill-views';
import { parseInput } from '../parse-input';
import { runSkillSearch, type SearchOptions } from './search-skills';

/**
 * The portal's search as agents get it (REST `/api/v1/search`, MCP `search_skills`): the same
 * ranking, visibility, filters, degraded mode and analytics (recorded under the surface's source),
 * answered in the API's shape. The query is parsed here, once, with the API's contract (text that
 * cannot be stored is refused as for every input).
 */
export async function searchSkillsForAgent(
  ctx: Ctx,
  input: z.input<typeof apiSearchQuery> | Readonly<Record<string, string>>,
  options: SearchOptions & { source: 'api' | 'mcp' },
): Promise<ApiSearchResult> {
  const query = parseInput(apiSearchQuery, input);
  const result = await runSkillSearch(ctx, { ...query, mode: 'hybrid' }, options);
  return toApiSearchResult(query.q, result);
}
