import { skillSlug, skillVersionString, type ApiVersionAttestation, type EventSource, type SkillFilesResult, type VersionSafety } from '@everyskill/contracts';
import { withTenant } from '@everyskill/db';
import { z } from 'zod';
import { parseInput } from '../parse-input';
import { getVersionAttestation } from '../provenance/get-version-attestation';
import { loadVersionForAgents } from '../skills/safety';
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
  /** The version's signed attestation: verify the files against it with the tenant's keys (docs/provenance.md). */
  attestation: ApiVersionAttestation;
  /** The version's safety scan: its warnings travel with the files; null when published before scanning. */
  safety: VersionSafety | null;
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
  const row = await withTenant(ctx.db, ctx.tenantId, async (tx) => loadVersionForAgents(tx, await loadVisibleSkill(tx, ctx, slug), version));
  const bundle = await loadVersionBundle(ctx, row.blobKey);
  const attestation = await getVersionAttestation(ctx, { slug, version: row.version });
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
    attestation,
    safety: row.safety,
  };
}

/**
 * The files of a version for the everyskill command to write (`GET /api/v1/skills/{ref}/files`):
 * each with the SHA-256 the version's manifest recorded when it was published, not one computed
 * from the stored blob now, so a client detects a blob changed since. Files are listed as the
 * manifest lists them; a withdrawn version is refused. Counts one install.
 */
export async function getSkillVersionFiles(
  ctx: SkillsCtx,
  input: z.input<typeof skillFilesInput> & { idempotencyKey?: string },
  options: { source: EventSource },
): Promise<SkillFilesResult> {
  requireScope(ctx, 'skills:read');
  const { slug, version } = parseInput(skillFilesInput, input);
  const row = await withTenant(ctx.db, ctx.tenantId, async (tx) => loadVersionForAgents(tx, await loadVisibleSkill(tx, ctx, slug), version));
  const bundle = await loadVersionBundle(ctx, row.blobKey);
  const stored = new Map(bundle.files.map((f) => [f.path, f]));
  await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    await recordUsageEvent(tx, ctx, skill, { kind: 'install', source: options.source, version: row.version, idempotencyKey: input.idempotencyKey });
  });
  return {
    name: slug,
    version: row.version,
    contentSha256: row.contentSha256,
    files: row.files.map((f) => {
      const file = stored.get(f.path);
      return {
        path: f.path,
        sha256: f.sha256,
        size: f.size,
        executable: file?.executable ?? false,
        contentBase64: file ? Buffer.from(file.bytes).toString('base64') : '',
      };
    }),
    safety: row.safety,
  };
}
