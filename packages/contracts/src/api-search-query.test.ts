import { describe, expect, it } from 'vitest';
import { apiSearchQuery } from './api-v1';
import { searchSkillsInput } from './search';

// REST and MCP hand the search service their parsed query as it is (it is read once), so the API's
// contract must accept nothing the portal's would refuse, and read what it accepts the same way.
describe('the API search query', () => {
  it('reads what it accepts as the portal’s search reads it', () => {
    const accepted = [
      { q: '  turn my   outline into slides  ' },
      { q: 'x'.repeat(200), limit: '50', offset: '200' },
      { q: 'pdf', category: 'documents', tag: ' PDF ', limit: '1', offset: '0' },
    ];
    for (const input of accepted) {
      const api = apiSearchQuery.parse(input);
      expect(searchSkillsInput.parse(api)).toEqual({ ...api, mode: 'hybrid' });
    }
  });

  it('refuses whatever the portal’s search refuses', () => {
    const refused = [
      { q: '' },
      { q: '   ' },
      { q: 'x'.repeat(201) },
      { q: 'a', limit: '0' },
      { q: 'a', limit: '51' },
      { q: 'a', offset: '-1' },
      { q: 'a', offset: '201' },
      { q: 'a', tag: 'x'.repeat(33) },
      { q: 'a', category: 'slides' },
    ];
    for (const input of refused) {
      expect(searchSkillsInput.safeParse(input).success, JSON.stringify(input)).toBe(false);
      expect(apiSearchQuery.safeParse(input).success, JSON.stringify(input)).toBe(false);
    }
  });
});
