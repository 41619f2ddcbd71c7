import { deriveSkillVersion, restoreSkillVersionInput, validateSkillManifest, type PublishSkillResult, type RestoreSkillVersionInput } from '@everyskill/contracts';
import { withTenant } from '@everyskill/db';
import { AppError, conflict } from '../errors';
import { parseInput } from '../parse-input';
import { loadInstallableVersion, loadVersion } from './load-version';
import { publishBundle } from './publish-skill';
import { pinSkillMarkdownVersion } from './rename-skill-markdown';
import { loadVisibleSkill, requireScope } from './skill-access';
import type { SkillsCtx } from './skill-blob-store';
import { loadVersionBundle, withSkillMarkdown } from './skill-bundle-io';
import { nextPatchVersion } from './version-number';

/**
 * Rolls a skill back: publishes an earlier version's files again as the new latest version (the
 * next patch), through the same publish path as any new version — author or admin only, the
 * review workflow's gate, secrets scan, notifications. Versions stay immutable; the restored one
 * is a new version whose notes say where it came from. A SKILL.md that pins `metadata.version`
 * would name the old number again, so its pin moves to the new number.
 */
export async function restoreSkillVersion(ctx: SkillsCtx, input: RestoreSkillVersionInput): Promise<PublishSkillResult> {
  requireScope(ctx, 'skills:publish');
  const { slug, version } = parseInput(restoreSkillVersionInput, input);
  // Once more if someone published the number a pinned SKILL.md was moved to, meanwhile.
  for (let attempt = 1; ; attempt++) {
    try {
      return await restoreOnce(ctx, slug, version);
    } catch (error) {
      if (attempt === 1 && error instanceof AppError && (error.details as { reason?: string } | undefined)?.reason === 'version-exists') continue;
      throw error;
    }
  }
}

async function restoreOnce(ctx: SkillsCtx, slug: string, version: string): Promise<PublishSkillResult> {
  const { row, latest } = await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    return { row: await loadInstallableVersion(tx, skill, version), latest: await loadVersion(tx, skill) };
  });
  if (row.id === latest.id) {
    throw conflict(`${version} is already the latest version of '${slug}'; there is nothing to restore`, { reason: 'already-latest' });
  }
  const stored = await loadVersionBundle(ctx, row.blobKey);
  let skillMarkdown = stored.skillMarkdown;
  // The same reading of metadata.version as publishing uses (the stored SKILL.md was valid then).
  const manifest = validateSkillManifest(skillMarkdown).manifest;
  if (manifest && deriveSkillVersion(manifest)) {
    const next = nextPatchVersion(latest.version);
    const repinned = pinSkillMarkdownVersion(skillMarkdown, next);
    // Only a rewrite that still parses and now names the new number counts.
    const check = repinned === null ? null : validateSkillManifest(repinned).manifest;
    if (!check || deriveSkillVersion(check) !== next) {
      throw conflict(
        `the SKILL.md of ${slug} ${row.version} pins metadata.version in a form that cannot be changed automatically; download version ${row.version}, raise metadata.version to ${next} and upload it as a new version`,
        { reason: 'version-pinned' },
      );
    }
    skillMarkdown = repinned!;
  }
  const bundle = await withSkillMarkdown(stored, slug, skillMarkdown);
  return publishBundle(ctx, bundle, { slug, notes: `restores version ${row.version}` }, undefined, { revert: true });
}
