import { skillFileInput, type SkillFileInput, type SkillFileView } from '@everyskill/contracts';
import { withTenant } from '@everyskill/db';
import { notFound } from '../errors';
import { parseInput } from '../parse-input';
import { loadVersion } from './load-version';
import { loadVisibleSkill, requireScope } from './skill-access';
import type { SkillsCtx } from './skill-blob-store';
import { loadVersionBundle } from './skill-bundle-io';

/** The viewer shows at most this much of a text file. */
export const FILE_VIEW_MAX_BYTES = 512 * 1024;

/** One file of a version for the file viewer: its text (cut at 512 KiB), or null when binary. */
export async function getSkillFile(ctx: SkillsCtx, input: SkillFileInput): Promise<SkillFileView> {
  requireScope(ctx, 'skills:read');
  const { slug, version, path } = parseInput(skillFileInput, input);
  const row = await withTenant(ctx.db, ctx.tenantId, async (tx) => loadVersion(tx, await loadVisibleSkill(tx, ctx, slug), version));
  const listed = row.files.find((f) => f.path === path);
  if (!listed) throw notFound(`file '${path}' in version ${row.version} of '${slug}'`);
  const file = (await loadVersionBundle(ctx, row.blobKey)).files.find((f) => f.path === path);
  if (!file) throw notFound(`file '${path}' in the stored bundle of '${slug}' ${row.version}`);
  const truncated = file.isText && file.size > FILE_VIEW_MAX_BYTES;
  const text = file.isText
    ? new TextDecoder('utf-8').decode(truncated ? cutAtCharacter(file.bytes, FILE_VIEW_MAX_BYTES) : file.bytes)
    : null;
  return { path, version: row.version, size: file.size, sha256: file.sha256, text, truncated };
}

/** The first `max` bytes, backed off to the start of a UTF-8 character. */
function cutAtCharacter(bytes: Uint8Array, max: number): Uint8Array {
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
