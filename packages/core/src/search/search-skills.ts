import {
  searchSkillsInput,
  type SearchHit,
  type SearchMatchKind,
  type SearchMode,
  type SearchSkillsInput,
  type SearchSkillsResult,
} from '@everyskill/contracts';
import {
  inArray,
  rowsOf,
  searchQueries,
  skills,
  sql,
  withTenant,
  type SearchSource,
  type Transaction,
} from '@everyskill/db';
import type { z } from 'zod';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { requireScope } from '../skills/skill-access';
import { selectSummaries, toSummary } from '../skills/skill-views';
import { HIGHLIGHT_START, HIGHLIGHT_STOP, toSnippetParts } from './highlight';
import { misspeltCandidates, planKeywordQuery, type KeywordPlan, type QueryTerm } from './keyword-plan';
import { sanitizeSearchQuery } from './sanitize-search-query';
import { getSearchRuntime, type SearchRuntime } from './search-runtime';
import { withheldFromAgentsSql } from '../skills/safety/withhold-blocked-version';
import { visibleSkillSql, type SQL } from './visible-skill-sql';

export interface SearchOptions {
  runtime?: SearchRuntime;
  /** Record the search for analytics (default: first pages only). */
  record?: boolean;
  source?: SearchSource;
}

// Reciprocal rank fusion: score = Σ weight / (RRF_K + rank). 60 is the usual constant; an exact
// name match gets a weight no fused pair of ranks can reach, so it always comes first.
const RRF_K = 60;
const WEIGHT = { keyword: 1, semantic: 1, typo: 0.5, name: 1000 } as const;
// ts_rank weights for the classes {D, C, B, A}: body C, description B, name and tags A.
const FIELD_WEIGHTS = '{0.05, 0.2, 0.5, 1.0}';
// How many postings of each query word are read, heaviest first: all of a rare word's, the best
// of a common one's. With filters more are read, as many of the best may be filtered out.
const POSTINGS_PER_TERM = 500;
const POSTINGS_PER_TERM_FILTERED = 3000;
// Trigram similarity from which an unknown word is read as a misspelling of a vocabulary word.
const TYPO_MIN_SIMILARITY = 0.4;

interface FusedRow {
  skill_id: string;
  score: number;
  kinds: string[] | string;
}

/** The query as a slug ("PPTX Quality Gates" → "pptx-quality-gates"), for the exact-name rule. */
export function slugOf(q: string): string {
  return q
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * HNSW candidate list per search (pgvector's hnsw.ef_search). bench:search-speed measures recall@10
 * against exact search: at 100k skills, sentence queries got ~0.78 at 100, 0.85 at 200, 0.94–0.96
 * at 400, 0.96 at 800. Above ~650 the planner prefers an exact scan for a 10k-skill tenant (60 ms
 * instead of 10 ms), so 600 is the largest value that keeps small tenants on the index.
 */
export const HNSW_EF_SEARCH = 600;

/**
 * Hybrid search over the skills the actor may see: IDF-weighted keywords (misspellings corrected
 * against the tenant's vocabulary) and an exact-name rule, fused with vector nearest neighbours
 * by reciprocal rank fusion; filters inside the query; highlighted snippets. When the embedder
 * is down or slow it answers from keywords and says so.
 */
export async function searchSkills(
  ctx: Ctx,
  input: SearchSkillsInput,
  options: SearchOptions = {},
): Promise<SearchSkillsResult> {
  return runSkillSearch(ctx, parseInput(searchSkillsInput, input), options);
}

/** A search as searchSkillsInput reads it. */
export type SearchQuery = z.output<typeof searchSkillsInput>;

/**
 * searchSkills for a query a surface has already read with its own contract (the API's), so the
 * input is parsed once; that contract must allow no more than searchSkillsInput does.
 */
export async function runSkillSearch(ctx: Ctx, parsed: SearchQuery, options: SearchOptions = {}): Promise<SearchSkillsResult> {
  requireScope(ctx, 'skills:read');
  const started = performance.now();
  const runtime = options.runtime ?? getSearchRuntime();
  const q = parsed.q.replace(/\s+/g, ' ');

  // The embedder is called before the transaction opens: no connection waits on the network.
  let vector: number[] | null = null;
  let degradedReason: string | null = null;
  if (parsed.mode !== 'keyword') {
    const embedded = await runtime.embedQuery(q);
    if (embedded.ok) vector = embedded.vector;
    else degradedReason = embedded.reason;
  }
  const mode: SearchMode = vector ? parsed.mode : 'keyword';

  const { items, hasMore } = await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    // Iterative scans keep the HNSW index returning neighbours until enough pass the filters.
    await tx.execute(
      sql`SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', ${String(HNSW_EF_SEARCH)}, true)`,
    );
    const plan = await keywordPlan(tx, q);
    const fused = rowsOf<FusedRow>(await tx.execute(fusedQuery(ctx, { ...parsed, q, mode, vector, runtime, plan })));
    const page = fused.slice(0, parsed.limit);
    return { items: await loadHits(tx, page, plan, parsed.offset), hasMore: fused.length > parsed.limit };
  });

  const tookMs = Math.round(performance.now() - started);
  const record = options.record ?? parsed.offset === 0;
  const queryId = record
    ? await recordSearch(ctx, q, items.length, degradedReason !== null, options.source ?? 'portal', tookMs)
    : null;
  return { items, hasMore, degraded: degradedReason !== null, degradedReason, mode, queryId, tookMs };
}

type FusedInput = SearchQuery & {
  mode: SearchMode;
  vector: number[] | null;
  runtime: SearchRuntime;
  plan: KeywordPlan | null;
};

/**
 * The query's terms with the tenant's document frequencies; words the tenant's skills never use
 * are corrected to the most similar vocabulary word with the same first letter (typo tolerance).
 */
async function keywordPlan(tx: Transaction, q: string): Promise<KeywordPlan | null> {
  const rows = rowsOf<{ lexeme: string; ndoc: number; total: number }>(
    await tx.execute(sql`
      SELECT l.lexeme, coalesce(st.ndoc, 0)::int AS ndoc,
             (SELECT coalesce(max(t.ndoc), 0) FROM search_lexeme_stats t
              WHERE t.lexeme = '')::int AS total
      FROM unnest(tsvector_to_array(to_tsvector('english', ${q}))) AS l(lexeme)
      LEFT JOIN search_lexeme_stats st ON st.lexeme = l.lexeme`),
  );
  const terms: QueryTerm[] = rows.map((r) => ({ lexeme: r.lexeme, ndoc: Number(r.ndoc) }));
  const misspelt = misspeltCandidates(terms);
  if (misspelt.length > 0) {
    // The same first letter bounds the scan to a slice of the vocabulary (an index range).
    const words = sql.join(
      misspelt.map((w) => sql`(${w}, ${w[0]!}, ${String.fromCharCode(w.charCodeAt(0) + 1)})`),
      sql`, `,
    );
    const fixes = rowsOf<{ word: string; lexeme: string; ndoc: number }>(
      await tx.execute(sql`
        SELECT u.word, c.lexeme, c.ndoc
        FROM (VALUES ${words}) AS u(word, lo, hi)
        CROSS JOIN LATERAL (
          SELECT st.lexeme, st.ndoc, similarity(u.word, st.lexeme) AS sim
          FROM search_lexeme_stats st
          WHERE st.lexeme >= u.lo AND st.lexeme < u.hi
          ORDER BY sim DESC, st.ndoc DESC
          LIMIT 1) c
        WHERE c.sim >= ${TYPO_MIN_SIMILARITY}`),
    );
    for (const fix of fixes) terms.push({ lexeme: fix.lexeme, ndoc: Number(fix.ndoc), correctedFrom: fix.word });
  }
  return planKeywordQuery(terms, Number(rows[0]?.total ?? 0));
}

/**
 * Conditions every channel applies: the actor may see the skill, its latest version is not withheld
 * by the safety scan (blocked or held for review, not released), and the filters hold.
 */
function visibleSkill(ctx: Ctx, input: FusedInput): SQL {
  const parts: SQL[] = [visibleSkillSql(ctx), sql`NOT ${withheldFromAgentsSql(sql`s.latest_version_id`)}`];
  if (input.category) parts.push(sql`s.category = ${input.category}`);
  if (input.tag) parts.push(sql`s.tags @> ARRAY[${input.tag}]::text[]`);
  if (input.author) parts.push(sql`s.author_user_id = ${input.author}`);
  if (input.visibility) parts.push(sql`s.visibility = ${input.visibility}`);
  return sql.join(parts, sql` AND `);
}

function fusedQuery(ctx: Ctx, input: FusedInput): SQL {
  const visible = visibleSkill(ctx, input);
  const depth = Math.min(300, Math.max(40, input.offset + input.limit + 20));
  const ctes: SQL[] = [];
  const channels: SQL[] = [];

  if (input.mode !== 'vector') {
    if (input.plan) {
      // Each term's heaviest postings, straight from the index order; a skill's score is
      // Σ idf × weight over the terms it holds (name and tags weigh most, then description, body).
      const terms = sql.join(
        input.plan.terms.map((t) => sql`(${t.lexeme}, ${t.idf}::float8, ${t.typo}::boolean)`),
        sql`, `,
      );
      const filtered = Boolean(input.category || input.tag || input.author || input.visibility);
      // Without filters the postings are scored first and only the best few hundred skills are
      // checked for visibility; with filters every candidate is checked before ranking.
      const pool = filtered ? sql`` : sql`LIMIT ${depth * 3}`;
      ctes.push(sql`kw AS (
        SELECT a.skill_id, a.score, a.kind FROM (
          SELECT p.skill_id, sum(t.idf * p.weight) AS score,
                 CASE WHEN bool_and(t.typo) THEN 'typo' ELSE 'keyword' END AS kind
          FROM (VALUES ${terms}) AS t(lexeme, idf, typo)
          CROSS JOIN LATERAL (
            SELECT sp.skill_id, sp.weight FROM search_postings sp
            WHERE sp.lexeme = t.lexeme
            ORDER BY sp.weight DESC, sp.skill_id
            LIMIT ${filtered ? POSTINGS_PER_TERM_FILTERED : POSTINGS_PER_TERM}) p
          GROUP BY p.skill_id
          ORDER BY score DESC, p.skill_id
          ${pool}) a
        JOIN skills s ON s.id = a.skill_id
        WHERE ${visible}
        ORDER BY a.score DESC, a.skill_id
        LIMIT ${depth})`);
      channels.push(
        sql`SELECT skill_id, kind, row_number() OVER (ORDER BY score DESC, skill_id) AS rank, (CASE WHEN kind = 'typo' THEN ${WEIGHT.typo} ELSE ${WEIGHT.keyword} END)::float8 AS weight FROM kw`,
      );
    }
    ctes.push(sql`exact AS (
      SELECT s.id AS skill_id FROM skills s
      WHERE s.slug = ${slugOf(input.q)} AND ${visible}
      LIMIT 1)`);
    channels.push(sql`SELECT skill_id, 'name', 1, ${WEIGHT.name}::float8 FROM exact`);
  }

  if (input.mode !== 'keyword' && input.vector) {
    const { provider, model, dimensions, relevanceFloor } = input.runtime.embedder;
    // The cast and `dimensions = N` must match the partial HNSW index of that dimension (0004_search.sql).
    const dims = sql.raw(String(Math.trunc(dimensions)));
    const literal = `[${input.vector.join(',')}]`;
    ctes.push(sql`vec AS (
      SELECT skill_id, distance FROM (
        SELECT e.skill_id, e.embedding::vector(${dims}) <=> ${literal}::vector(${dims}) AS distance
        FROM skill_embeddings e JOIN skills s ON s.id = e.skill_id
        WHERE e.dimensions = ${dims} AND e.provider = ${provider} AND e.model = ${model} AND ${visible}
        ORDER BY distance
        LIMIT ${depth}
      ) nearest
      WHERE distance <= ${1 - relevanceFloor})`);
    channels.push(
      sql`SELECT skill_id, 'semantic', row_number() OVER (ORDER BY distance, skill_id), ${WEIGHT.semantic}::float8 FROM vec`,
    );
  }

  // A keyword search whose words occur nowhere: nothing to fuse.
  if (channels.length === 0) channels.push(sql`SELECT NULL::uuid, NULL::text, NULL::bigint, NULL::float8 WHERE false`);
  const withCtes = ctes.length > 0 ? sql`${sql.join(ctes, sql`, `)},` : sql``;
  return sql`
    WITH ${withCtes}
    hits (skill_id, kind, rank, weight) AS (${sql.join(channels, sql` UNION ALL `)}),
    fused AS (
      SELECT skill_id, sum(weight / (${RRF_K} + rank)) AS score, array_agg(DISTINCT kind) AS kinds
      FROM hits GROUP BY skill_id)
    SELECT f.skill_id, (f.score * CASE WHEN s.status = 'deprecated' THEN 0.8 ELSE 1 END)::float8 AS score, f.kinds
    FROM fused f JOIN skills s ON s.id = f.skill_id
    ORDER BY score DESC, f.skill_id
    LIMIT ${input.limit + 1} OFFSET ${input.offset}`;
}

function parseKinds(kinds: FusedRow['kinds']): SearchMatchKind[] {
  const list = Array.isArray(kinds) ? kinds : kinds.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
  const order: SearchMatchKind[] = ['name', 'keyword', 'semantic', 'typo'];
  return order.filter((k) => list.includes(k));
}

const HEADLINE_OPTIONS = `MaxFragments=2, MaxWords=22, MinWords=10, FragmentDelimiter=" … ", StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_STOP}`;

/** Summaries and highlighted snippets for one page of fused results, in fused order. */
async function loadHits(tx: Transaction, page: FusedRow[], plan: KeywordPlan | null, offset: number): Promise<SearchHit[]> {
  if (page.length === 0) return [];
  const ids = page.map((r) => r.skill_id);
  const summaries = await selectSummaries(tx).where(inArray(skills.id, ids));
  // Snippets come from the description and the start of the body; without a known word, the description.
  const snippets = plan
    ? rowsOf<{ id: string; headline: string }>(
        await tx.execute(sql`
          SELECT s.id, ts_headline('english', s.description || E'\n' || coalesce(d.excerpt, ''),
                                   ${plan.highlight}::tsquery, ${HEADLINE_OPTIONS}) AS headline
          FROM skills s LEFT JOIN skill_search_documents d ON d.skill_id = s.id
          WHERE s.id IN (${sql.join(
            ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`),
      )
    : [];
  const byId = new Map(summaries.map((row) => [row.skill.id, row]));
  const snippetById = new Map(snippets.map((row) => [row.id, row.headline]));
  const hits: SearchHit[] = [];
  for (const [i, row] of page.entries()) {
    const summary = byId.get(row.skill_id);
    if (!summary) continue;
    hits.push({
      skill: toSummary(summary),
      position: offset + i + 1,
      score: Number(row.score),
      matchedBy: parseKinds(row.kinds),
      snippet: toSnippetParts(snippetById.get(row.skill_id) ?? summary.skill.description),
    });
  }
  return hits;
}

/** Stores the sanitised search for admin analytics; a failure here never fails the search. */
async function recordSearch(
  ctx: Ctx,
  q: string,
  resultCount: number,
  degraded: boolean,
  source: SearchSource,
  latencyMs: number,
): Promise<string | null> {
  const { query, normalized } = sanitizeSearchQuery(q);
  if (!query) return null;
  try {
    const [row] = await withTenant(ctx.db, ctx.tenantId, (tx) =>
      tx
        .insert(searchQueries)
        .values({ tenantId: ctx.tenantId, query, normalized, resultCount, degraded, source, latencyMs })
        .returning({ id: searchQueries.id }),
    );
    return row?.id ?? null;
  } catch (error) {
    console.error(JSON.stringify({ level: 'warn', msg: 'search analytics not recorded', error: (error as Error).message }));
    return null;
  }
}
