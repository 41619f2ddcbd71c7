import { listSkillsInput, matchSkillCategory, type ListSkillsInput, type SkillListResult } from '@everyskill/contracts';
import { and, asc, count, desc, eq, isNull, or, skills, sql, users, withTenant } from '@everyskill/db';

type SQL = ReturnType<typeof sql>;
import { actorUserId, type Ctx } from '../context';
import { requireScope } from './skill-access';
import { selectSummaries, toSummary } from './skill-views';
import { parseInput } from '../parse-input';

// "Best rated" ranks by a Bayesian average: every skill starts with two imaginary 3-star ratings,
// so one 5-star rating does not outrank fifty 4.8-star ones.
const PRIOR_RATINGS = 2;
const PRIOR_STARS = 3;
const ratingScore = sql`(${skills.ratingSum} + ${PRIOR_RATINGS * PRIOR_STARS})::numeric / (${skills.ratingCount} + ${PRIOR_RATINGS})`;

/** Browse skills the actor may see: filters, a sort and real pagination with the total and facets. */
export async function listSkills(ctx: Ctx, input: ListSkillsInput = {}): Promise<SkillListResult> {
  requireScope(ctx, 'skills:read');
  const { q, category, tag, author, sort, page, pageSize, mine } = parseInput(listSkillsInput, input);
  const me = actorUserId(ctx.actor);

  // Private skills show only to their author in lists; admins open them by address to moderate.
  const visible: SQL[] = [isNull(skills.deletedAt)];
  if (mine) {
    visible.push(me ? eq(skills.authorUserId, me) : sql`false`);
  } else if (me) {
    visible.push(or(sql`${skills.visibility} <> 'private'`, eq(skills.authorUserId, me))!);
  } else if (ctx.actor.kind !== 'system') {
    visible.push(sql`${skills.visibility} <> 'private'`);
  }

  const filters: SQL[] = [...visible];
  if (category) filters.push(eq(skills.category, category));
  if (tag) filters.push(sql`${skills.tags} @> ARRAY[${tag}]::text[]`);
  if (author) filters.push(eq(skills.authorUserId, author));
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(
      or(
        sql`${skills.name} ILIKE ${pattern}`,
        sql`${skills.description} ILIKE ${pattern}`,
        sql`array_to_string(${skills.tags}, ' ') ILIKE ${pattern}`,
      )!,
    );
  }

  const order =
    sort === 'newest'
      ? [desc(skills.createdAt)]
      : sort === 'best_rated'
        ? [desc(ratingScore), desc(skills.ratingCount), desc(skills.createdAt)]
        : [desc(skills.usesCount), desc(skills.installsCount), desc(skills.ratingCount), desc(skills.createdAt)];

  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const where = and(...filters);
    const [totalRow] = await tx.select({ n: count() }).from(skills).where(where);
    const total = Number(totalRow?.n ?? 0);
    const rows = await selectSummaries(tx)
      .where(where)
      .orderBy(...order, asc(skills.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize);

    const visibleWhere = and(...visible);
    const categoryRows = await tx
      .select({ category: skills.category, n: count() })
      .from(skills)
      .where(visibleWhere)
      .groupBy(skills.category)
      .orderBy(desc(count()), asc(skills.category));
    const tagRows = await tx
      .select({ tag: sql<string>`t.tag`, n: count() })
      .from(sql`${skills} CROSS JOIN LATERAL unnest(${skills.tags}) AS t(tag)`)
      .where(visibleWhere)
      .groupBy(sql`t.tag`)
      .orderBy(desc(count()), asc(sql`t.tag`))
      .limit(30);
    const authorRows = await tx
      .select({ id: users.id, name: users.name, email: users.email, n: count() })
      .from(skills)
      .innerJoin(users, eq(users.id, skills.authorUserId))
      .where(visibleWhere)
      .groupBy(users.id, users.name, users.email)
      .orderBy(desc(count()), asc(users.email))
      .limit(50);

    return {
      items: rows.map(toSummary),
      total,
      page,
      pageSize,
      pageCount: Math.max(1, Math.ceil(total / pageSize)),
      facets: {
        categories: categoryRows.map((r) => ({ category: matchSkillCategory(r.category) ?? 'other', count: Number(r.n) })),
        tags: tagRows.map((r) => ({ tag: r.tag, count: Number(r.n) })),
        authors: authorRows.map((r) => ({ author: { id: r.id, name: r.name, email: r.email }, count: Number(r.n) })),
      },
    };
  });
}
