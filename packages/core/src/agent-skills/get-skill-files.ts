import { skillSlug, skillVersionString, type EventSource } from '@everyskill/contracts';
import { withTenant } from '@everyskill/db';
import { z } from 'zod';
import { parseInput } from '../parse-input';
import { loadVersion } from '../skills/load-version';
import { assertReleasedForAgents, loadVersionSafety } from '../skills/safety';
import { recordUsageEvent } from '../skills/record-usage-event';
import { loadVisibleSkill, requireScope } from '../skills/skill-access';
import type { SkillsCtx } from '../skills/skill-blob-store';
import { loadVersionBundle } from '../skills/skill-bundle-io';

const skillFilesInput = z.object({ slug: skillSlug, version: skillVersionString.optional() });

export interface SkillFilesForAgent {
  name: string;
  version: string;
  contentSha256: string;
  /** Where the files go, relative to the agent's skills folder. */
  folder: string;
  files: { path: string; encoding: 'utf8' | 'base64'; content: string; executable: boolean; sha256: string }[];
}

/**
 * Every file of a skill version for an agent to write into its skills folder (MCP `install_skill`):
 * text as UTF-8, anything else as base64. Counts one install, after the files were read.
 */
export async function getSkillFilesForAgent(
  ctx: SkillsCtx,
  input: z.input<typeof skillFilesInput>,
  options: { source: EventSource },
): Promise<SkillFilesForAgent> {
  requireScope(ctx, 'skills:read');
  const { slug, version } = parseInput(skillFilesInput, input);
  const row = await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const loaded = await loadVersion(tx, await loadVisibleSkill(tx, ctx, slug), version);
    assertReleasedForAgents(slug, loaded.version, await loadVersionSafety(tx, loaded.id));
    return loaded;
  });
  const bundle = await loadVersionBundle(ctx, row.blobKey);
  await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    await recordUsageEvent(tx, ctx, skill, { kind: 'install', source: options.source, version: row.version });
  });
  return {
    name: slug,
    version: row.version,
    contentSha256: row.contentSha256,
    folder: slug,
    files: bundle.files.map((f) => ({
      path: f.path,
      encoding: f.isText ? 'utf8' : 'base64',
      content: f.isText ? new TextDecoder().decode(f.bytes) : Buffer.from(f.bytes).toString('base64'),
      executable: f.executable,
      sha256: f.sha256,
    })),
  };
}
