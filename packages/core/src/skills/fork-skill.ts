import { forkSkillInput, type ForkSkillInput, type PublishSkillResult } from '@everyskill/contracts';
import { withTenant } from '@everyskill/db';
import { invalidInput } from '../errors';
import { parseInput } from '../parse-input';
import { loadInstallableVersion } from './load-version';
import { publishBundle } from './publish-skill';
import { renameSkillMarkdown } from './rename-skill-markdown';
import { loadVisibleSkill, requireScope } from './skill-access';
import type { SkillsCtx } from './skill-blob-store';
import { loadVersionBundle, withSkillMarkdown } from './skill-bundle-io';

/**
 * Creates a variation of a skill under a new name, owned by the actor: the parent's files with
 * SKILL.md renamed, published as the variation's first version. The variation remembers its
 * parent and version, so the skill page can tell when the parent has moved on.
 */
export async function forkSkill(ctx: SkillsCtx, input: ForkSkillInput): Promise<PublishSkillResult> {
  requireScope(ctx, 'skills:publish');
  const { slug, name, version, visibility } = parseInput(forkSkillInput, input);
  if (name === slug) throw invalidInput(`a variation needs its own name; '${slug}' is the original's`);
  const { skill, row } = await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const parent = await loadVisibleSkill(tx, ctx, slug);
    return { skill: parent, row: await loadInstallableVersion(tx, parent, version) };
  });
  const parentBundle = await loadVersionBundle(ctx, row.blobKey);
  const renamed = renameSkillMarkdown(parentBundle.skillMarkdown, name);
  if (renamed === null) throw invalidInput(`the SKILL.md of '${slug}' ${row.version} has no name line to rename`);
  const bundle = await withSkillMarkdown(parentBundle, name, renamed);
  return publishBundle(ctx, bundle, { notes: `variation of ${slug} ${row.version}`, visibility: visibility ?? (skill.visibility === 'private' ? 'private' : 'tenant') }, {
    skillId: skill.id,
    versionId: row.id,
  });
}
