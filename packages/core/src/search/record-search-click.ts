import { searchClickInput, type SearchClickInput } from '@everyskill/contracts';
import { and, eq, isNull, searchClicks, searchQueries, skills, withTenant } from '@everyskill/db';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';

/**
 * Records that a search result was opened (once per result of a search). Unknown searches or
 * skills of another tenant are ignored: a click link is not worth an error page.
 */
export async function recordSearchClick(ctx: Ctx, input: SearchClickInput): Promise<boolean> {
  const click = parseInput(searchClickInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const [query] = await tx.select({ id: searchQueries.id }).from(searchQueries).where(eq(searchQueries.id, click.queryId));
    const [skill] = await tx
      .select({ id: skills.id })
      .from(skills)
      .where(and(eq(skills.id, click.skillId), isNull(skills.deletedAt)));
    if (!query || !skill) return false;
    const inserted = await tx
      .insert(searchClicks)
      .values({ tenantId: ctx.tenantId, queryId: query.id, skillId: skill.id, position: click.position })
      .onConflictDoNothing({ target: [searchClicks.queryId, searchClicks.skillId] })
      .returning({ id: searchClicks.id });
    return inserted.length > 0;
  });
}
