import { describe, expect, it } from 'vitest';
import { createApiKey } from '../src/api-keys/create-api-key';
import { listAgentSkills } from '../src/agent-skills/list-agent-skills';
import { reportAgentUsage } from '../src/agent-skills/report-agent-usage';
import { searchSkills } from '../src/search/search-skills';
import { searchSkillsForAgent } from '../src/search/search-skills-for-agent';
import { listSkills } from '../src/skills/list-skills';
import { publishSkill } from '../src/skills/publish-skill';
import { rateSkill } from '../src/skills/rate-skill';
import { submitFeedback } from '../src/skills/submit-feedback';
import { countSkillRows, mode, refused, skillFolder, useSkillsTestSuite } from './skills-fixtures';

const suite = useSkillsTestSuite();

// Every surface (REST, MCP, actions, pages) reaches these services; before the boundary rule a NUL
// reached PostgreSQL and failed there (a 500), and a lone surrogate was stored as U+FFFD.
describe(`text PostgreSQL cannot store is refused as invalid_input naming the field (${mode})`, () => {
  it('in searches, lists, usage events, feedback, ratings and key names; nothing is written', async () => {
    const t = await suite.tenant();
    await publishSkill(t.as('author'), { source: { kind: 'files', files: skillFolder('pdf-tools') } });
    const before = await countSkillRows(suite.dbs, t.tenantId);
    const other = t.as('other');
    const cases: [string, () => Promise<unknown>][] = [
      ['q', () => searchSkills(other, { q: 'pdf\u0000' }, { source: 'portal' })],
      ['q', () => searchSkillsForAgent(other, { q: '\u0000' }, { source: 'mcp' })],
      ['tag', () => listAgentSkills(other, { tag: '\u0000' })],
      ['tag', () => listSkills(other, { tag: 'a\u0000' })],
      ['idempotencyKey', () => reportAgentUsage(other, { skill: 'pdf-tools', kind: 'use', source: 'api', idempotencyKey: 'key\u0000key' })],
      ['body', () => submitFeedback(other, { slug: 'pdf-tools', kind: 'suggestion', body: 'try \u0000 this' })],
      ['body', () => submitFeedback(other, { slug: 'pdf-tools', kind: 'bug_report', body: 'lone \ud800 half' })],
      ['comment', () => rateSkill(other, { slug: 'pdf-tools', stars: 4, comment: 'ok\u0000' })],
      ['name', () => createApiKey(other, { name: 'laptop\u0000', scopes: ['skills:read'] })],
    ];
    for (const [field, call] of cases) {
      const error = await refused(call());
      expect(error.code, field).toBe('invalid_input');
      expect(error.message, field).toMatch(new RegExp(`^${field} must not contain`));
      expect(error.details).toEqual({ issues: [{ field, message: error.message }] });
    }
    expect(await countSkillRows(suite.dbs, t.tenantId)).toEqual(before);
  });
});
