const CONTROL = /[\u0000-\u001f\u007f]/g;
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/g;
// Key-shaped tokens: our own rlk_ keys, common vendor prefixes, and long opaque runs.
const SECRET = /\b(?:rlk_|sk-|sk_|pk_|ghp_|gho_|github_pat_|xox[abpr]-|AKIA|AIza)[A-Za-z0-9_\-]{6,}|\b[A-Za-z0-9+/_\-]{32,}={0,2}/g;
const LONG_NUMBER = /\b\d[\d -]{7,}\d\b/g;

export const SEARCH_LOG_MAX_LENGTH = 200;

/**
 * What analytics may keep of a search: control characters dropped, addresses, key-like tokens
 * and long numbers masked, spaces collapsed, at most 200 characters; plus its grouping key.
 */
export function sanitizeSearchQuery(q: string): { query: string; normalized: string } {
  const query = q
    .replace(CONTROL, ' ')
    .replace(EMAIL, '[email]')
    .replace(SECRET, '[secret]')
    .replace(LONG_NUMBER, '[number]')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, SEARCH_LOG_MAX_LENGTH);
  return { query, normalized: query.toLowerCase() };
}
