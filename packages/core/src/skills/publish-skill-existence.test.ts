import { describe, expect, it } from 'vitest';
import { countSkillRows, mode, refused, skillFolder, useSkillsTestSuite } from '../../test/skills-fixtures';
import { getSkill } from './get-skill';
import { publishSkill } from './publish-skill';

const suite = useSkillsTestSuite();

// A read of a colleague's private skill is 404; publishing must not tell it apart from a name
// nobody uses either (it answered 409 for the private skill and 400 for the absent name).
describe(`publishing does not reveal a skill the publisher cannot see (${mode})`, () => {
  it('a new version of a colleague’s private skill is refused exactly as one of a skill that does not exist', async () => {
    const t = await suite.tenant();
    await publishSkill(t.as('author'), { visibility: 'private', source: { kind: 'files', files: skillFolder('secret-plan') } });
    expect((await refused(getSkill(t.as('other'), { slug: 'secret-plan' }))).code).toBe('not_found');
    const before = await countSkillRows(suite.dbs, t.tenantId);

    const answerFor = async (slug: string) => {
      const error = await refused(publishSkill(t.as('other'), { slug, source: { kind: 'files', files: skillFolder(slug, { body: '# Mine\n' }) } }));
      return { code: error.code, message: error.message.replaceAll(slug, '<name>'), details: error.details };
    };
    const hidden = await answerFor('secret-plan');
    const absent = await answerFor('never-published');
    expect(hidden).toEqual(absent);
    expect(hidden).toMatchObject({ code: 'conflict', details: { reason: 'not-yours' } });
    expect(await countSkillRows(suite.dbs, t.tenantId)).toEqual(before);

    // The author still publishes new versions of it.
    const mine = await publishSkill(t.as('author'), { slug: 'secret-plan', source: { kind: 'files', files: skillFolder('secret-plan', { body: '# v2\n' }) } });
    expect(mine.created).toBe(true);
  });
});
