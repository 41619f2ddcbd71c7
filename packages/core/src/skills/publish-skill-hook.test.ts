import { describe, expect, it } from 'vitest';
import { skills, sql } from '@everyskill/db';
import {
  createSkillsTenant,
  mode,
  skillMarkdown,
  skillsCtx,
  useSkillsTestSuite,
} from '../../test/skills-fixtures';
import { forkSkill } from './fork-skill';
import { publishSkill } from './publish-skill';

const suite = useSkillsTestSuite();
const { blobs } = suite;

describe(`publishSkill afterPublish hook (${mode})`, () => {
  it('runs inside the publishing transaction for new skills, new versions and variations, not for unchanged content', async () => {
    const t = await createSkillsTenant(suite.dbs);
    const events: { skillId: string; seenInTx: boolean }[] = [];
    const md = (version: string, body?: string) =>
      `---\nname: hooked\ndescription: Helps with hooks.\nmetadata:\n  version: "${version}"\n---\n${body ?? '# Skill\n'}`;
    const ctx = {
      ...skillsCtx(suite.dbs.app.db, t.tenantId, t.author, blobs),
      afterPublish: async (tx: Parameters<NonNullable<ReturnType<typeof skillsCtx>['afterPublish']>>[0], event: { tenantId: string; skillId: string }) => {
        // The skill row written by this transaction is visible to the hook: it runs inside it.
        const rows = await tx.select({ id: skills.id }).from(skills).where(sql`${skills.id} = ${event.skillId}`);
        expect(event.tenantId).toBe(t.tenantId);
        events.push({ skillId: event.skillId, seenInTx: rows.length === 1 });
      },
    };
    const first = await publishSkill(ctx, { source: { kind: 'skill-md', skillMd: md('1.0.0') } });
    await publishSkill(ctx, { source: { kind: 'skill-md', skillMd: md('1.0.0') } }); // unchanged
    await publishSkill(ctx, { source: { kind: 'skill-md', skillMd: md('1.1.0', 'Changed.\n') } });
    const variation = await forkSkill(ctx, { slug: 'hooked', name: 'hooked-variation' });
    expect(events).toEqual([
      { skillId: first.skill.id, seenInTx: true },
      { skillId: first.skill.id, seenInTx: true },
      { skillId: variation.skill.id, seenInTx: true },
    ]);
  });

  it('a failing hook fails the publish and leaves no rows', async () => {
    const t = await createSkillsTenant(suite.dbs);
    const ctx = {
      ...skillsCtx(suite.dbs.app.db, t.tenantId, t.author, blobs),
      afterPublish: async () => {
        throw new Error('hook failed');
      },
    };
    await expect(publishSkill(ctx, { source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'not-kept', description: 'Helps with nothing.' }) } })).rejects.toThrow('hook failed');
    const plain = skillsCtx(suite.dbs.app.db, t.tenantId, t.author, blobs);
    const again = await publishSkill(plain, { source: { kind: 'skill-md', skillMd: skillMarkdown({ name: 'not-kept', description: 'Helps with nothing.' }) } });
    expect(again.newSkill).toBe(true);
  });
});
