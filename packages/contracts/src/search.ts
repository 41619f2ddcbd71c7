import { z } from 'zod';
import { uuid } from './common';
import { skillCategory, skillVisibility, type SkillSummary } from './skills';

export const SEARCH_QUERY_MAX_LENGTH = 200;
export const SEARCH_PAGE_SIZE = 20;

const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

/** How results are ranked: both signals fused (default), or one alone (benchmarks, debugging). */
export const searchModes = ['hybrid', 'keyword', 'vector'] as const;
export const searchMode = z.enum(searchModes, { error: 'mode must be hybrid, keyword or vector' });
export type SearchMode = z.infer<typeof searchMode>;

/** A search; filters narrow it inside the query, so pages and counts stay right. */
export const searchSkillsInput = z.object({
  q: z
    .string({ error: 'type something to search for' })
    .trim()
    .min(1, { message: 'type something to search for' })
    .max(SEARCH_QUERY_MAX_LENGTH, { message: `a search is at most ${SEARCH_QUERY_MAX_LENGTH} characters` }),
  category: z.preprocess(emptyToUndefined, skillCategory.optional()),
  tag: z.preprocess(emptyToUndefined, z.string().trim().toLowerCase().max(32).optional()),
  author: z.preprocess(emptyToUndefined, uuid.optional()),
  visibility: z.preprocess(emptyToUndefined, skillVisibility.optional()),
  mode: z.preprocess(emptyToUndefined, searchMode.default('hybrid')),
  limit: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(50).default(SEARCH_PAGE_SIZE)),
  offset: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(200).default(0)),
});
export type SearchSkillsInput = z.input<typeof searchSkillsInput>;

/** A piece of a result snippet; `match` pieces are the query's words (render them highlighted). */
export interface SnippetPart {
  text: string;
  match: boolean;
}

/** Why a result came back, for the curious and for debugging ranking. */
export const searchMatchKinds = ['name', 'keyword', 'semantic', 'typo'] as const;
export type SearchMatchKind = (typeof searchMatchKinds)[number];

export interface SearchHit {
  skill: SkillSummary;
  /** 1-based position in the whole result list (offset included). */
  position: number;
  score: number;
  matchedBy: SearchMatchKind[];
  snippet: SnippetPart[];
}

export interface SearchSkillsResult {
  items: SearchHit[];
  /** More results exist after this page. */
  hasMore: boolean;
  /** True when the embedding service was down or slow and only keywords ranked the results. */
  degraded: boolean;
  degradedReason: string | null;
  mode: SearchMode;
  /** The analytics id of this search, for click-through (null when not recorded). */
  queryId: string | null;
  tookMs: number;
}

/** Records that a search result was opened. */
export const searchClickInput = z.object({
  queryId: uuid,
  skillId: uuid,
  position: z.coerce.number().int().min(1).max(1000),
});
export type SearchClickInput = z.input<typeof searchClickInput>;

/** The publish form's "is this already here?" check. */
export const duplicateCheckInput = z.object({
  name: z.string().trim().max(64).default(''),
  description: z.string().trim().max(1024).default(''),
  body: z.string().max(1024 * 1024).default(''),
  /** The skill being updated, which is not its own duplicate. */
  excludeSlug: z.preprocess(emptyToUndefined, z.string().max(64).optional()),
});
export type DuplicateCheckInput = z.input<typeof duplicateCheckInput>;

export interface SimilarSkill {
  skill: SkillSummary;
  /** Cosine similarity, 0..1. */
  similarity: number;
}

export interface DuplicateCheckResult {
  /** Existing skills very close to the draft: offer "create as a variation" of the first. */
  duplicates: SimilarSkill[];
  /** Whether the comparison used embeddings (false: names and words only, the embedder was unavailable). */
  semantic: boolean;
}

export const searchAnalyticsInput = z.object({
  days: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(365).default(30)),
});
export type SearchAnalyticsInput = z.input<typeof searchAnalyticsInput>;

export interface SearchQueryStat {
  query: string;
  searches: number;
  clicks: number;
  avgResults: number;
}

export interface SearchAnalytics {
  days: number;
  searches: number;
  searchesWithClick: number;
  /** Searches with at least one click / all searches, 0..1. */
  clickThroughRate: number;
  zeroResultSearches: number;
  degradedSearches: number;
  topQueries: SearchQueryStat[];
  zeroResultQueries: SearchQueryStat[];
  /** Every UTC day of the period, oldest first, days without searches included. */
  perDay: SearchDay[];
}

/** One UTC day of searches: how many, how many found nothing, how many led to a click. */
export interface SearchDay {
  /** YYYY-MM-DD (UTC). */
  date: string;
  searches: number;
  zeroResults: number;
  withClick: number;
}

/** Where the tenant's embeddings stand against the configured model. */
export interface EmbeddingStatus {
  provider: string;
  model: string;
  dimensions: number;
  skills: number;
  /** Skills embedded with the configured model and their current text. */
  current: number;
  /** Skills embedded with another model (a model change) or not yet embedded. */
  stale: number;
  missing: number;
  run: ReembedRunView | null;
}

export interface ReembedRunView {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  provider: string;
  model: string;
  total: number;
  done: number;
  failed: number;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}
