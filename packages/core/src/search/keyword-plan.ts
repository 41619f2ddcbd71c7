/** A query word as full-text search sees it, with how many of the tenant's skills contain it. */
export interface QueryTerm {
  lexeme: string;
  ndoc: number;
  /** The vocabulary word a misspelt query word was corrected to. */
  correctedFrom?: string;
}

export interface KeywordPlan {
  /** Terms to look up in the postings, rarest first, each with its weight in the score. */
  terms: { lexeme: string; idf: number; typo: boolean }[];
  /** The terms OR-ed as a tsquery, for highlighting snippets. */
  highlight: string;
}

// Longer queries keep their rarest terms: more words add cost and little precision.
const MAX_TERMS = 8;
// A corrected word counts for less than one typed right: the correction may be wrong.
const TYPO_DISCOUNT = 0.7;

/** A lexeme as a tsquery operand (lexemes are already normalised; quotes and backslashes escaped). */
export function tsqueryOperand(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** Query words worth correcting: unknown to the tenant, long enough to misspell, plain letters. */
export function misspeltCandidates(terms: readonly QueryTerm[]): string[] {
  return [...new Set(terms.filter((t) => t.ndoc === 0 && /^[a-z]{4,}$/.test(t.lexeme)).map((t) => t.lexeme))];
}

/**
 * Plans the keyword channel of a search: the query's known terms (and corrections of misspelt
 * ones), rarest first, weighted by BM25's inverse document frequency over the tenant's skills.
 * Null when no term occurs in any of them.
 */
export function planKeywordQuery(terms: readonly QueryTerm[], documents: number): KeywordPlan | null {
  const known = [...new Map(terms.filter((t) => t.ndoc > 0).map((t) => [t.lexeme, t])).values()]
    .sort((a, b) => a.ndoc - b.ndoc || a.lexeme.localeCompare(b.lexeme))
    .slice(0, MAX_TERMS);
  if (known.length === 0) return null;
  const n = Math.max(documents, ...known.map((t) => t.ndoc));
  return {
    terms: known.map((t) => ({
      lexeme: t.lexeme,
      idf: Math.log(1 + (n - t.ndoc + 0.5) / (t.ndoc + 0.5)) * (t.correctedFrom ? TYPO_DISCOUNT : 1),
      typo: t.correctedFrom !== undefined,
    })),
    highlight: known.map((t) => tsqueryOperand(t.lexeme)).join(' | '),
  };
}
