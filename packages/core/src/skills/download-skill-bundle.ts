import { Readable } from 'node:stream';
import { downloadSkillInput, type DownloadSkillInput, type EventSource } from '@everyskill/contracts';
import { withTenant } from '@everyskill/db';
import { parseInput } from '../parse-input';
import { writeTarGz } from './bundle/write-archive';
import { loadVersionForAgents } from './safety';
import { recordUsageEvent } from './record-usage-event';
import { loadVisibleSkill, requireScope } from './skill-access';
import { openBlob, type SkillsCtx } from './skill-blob-store';
import { loadVersionBundle } from './skill-bundle-io';

export interface SkillDownload {
  fileName: string;
  contentType: string;
  version: string;
  /** Known for a zip (the stored blob); null for a tar.gz built on the fly. */
  size: number | null;
  body: Readable;
}

/**
 * A version as a zip (the stored blob itself, streamed) or a tar.gz, each with the files inside a
 * folder named after the skill. Counts an install unless `countInstall` is false.
 */
export async function downloadSkillBundle(
  ctx: SkillsCtx,
  input: DownloadSkillInput & { source?: EventSource; countInstall?: boolean; idempotencyKey?: string },
): Promise<SkillDownload> {
  requireScope(ctx, 'skills:read');
  const { slug, version, format } = parseInput(downloadSkillInput, input);
  const { row, skillSlug } = await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    return { row: await loadVersionForAgents(tx, skill, version), skillSlug: skill.slug };
  });
  const body =
    format === 'zip'
      ? await openBlob(ctx, row.blobKey)
      : Readable.from([Buffer.from(await writeTarGz((await loadVersionBundle(ctx, row.blobKey)).files, { folder: skillSlug }))]);

  // Counted once the blob is open: a download the store could not serve is no install.
  if (input.countInstall !== false) {
    await withTenant(ctx.db, ctx.tenantId, async (tx) => {
      const skill = await loadVisibleSkill(tx, ctx, slug);
      await recordUsageEvent(tx, ctx, skill, {
        kind: 'install',
        source: input.source ?? 'portal',
        version: row.version,
        idempotencyKey: input.idempotencyKey,
      });
    });
  }
  return {
    fileName: `${skillSlug}-${row.version}.${format}`,
    contentType: format === 'zip' ? 'application/zip' : 'application/gzip',
    version: row.version,
    size: format === 'zip' ? row.blobSizeBytes : null,
    body,
  };
}
