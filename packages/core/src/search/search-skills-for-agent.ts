import type { ApiSearchQuery, ApiSearchResult } from '@everyskill/contracts';
import type { Ctx } from '../context';
import { toApiSearchResult } from '../agent-skills/agent-skill-views';
import { runSkillSearch, type SearchOptions } from './search-skills';

/**
 * The portal's search as agents get it (REST `/api/v1/search`, MCP `search_skills`): the same
 * ranking, visibility, filters, degraded mode and analytics (recorded under the surface's source),
 * answered in the API's shape. The query arrives parsed by the surface's contract.
 */
export async function searchSkillsForAgent(
  ctx: Ctx,
  query: ApiSearchQuery,
  options: SearchOptions & { source: 'api' | 'mcp' },
): Promise<ApiSearchResult> {
  const result = await runSkillSearch(ctx, { ...query, mode: 'hybrid' }, options);
  return toApiSearchResult(query.q, result);
}
