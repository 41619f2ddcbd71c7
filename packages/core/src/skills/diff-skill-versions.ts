import { diffSkillVersionsInput, type DiffSkillVersionsInput, type SkillVersionDiff } from '@everyskill/contracts';
import { withTenant } from '@everyskill/db';
import { createTwoFilesPatch } from 'diff';
import { parseInput } from '../parse-input';
import { loadVersion } from './load-version';
import { loadVisibleSkill, requireScope } from './skill-access';
import type { SkillsCtx } from './skill-blob-store';
import { loadVersionBundle } from './skill-bundle-io';

/** Text files larger than this are listed as changed without a line diff (it would not be read). */
const DIFF_MAX_BYTES = 256 * 1024;

/**
 * Unified diffs between two versions of a skill — or a variation and its parent: SKILL.md, the
 * file list (added, removed, modified) and each changed text file.
 */
export async function diffSkillVersions(ctx: SkillsCtx, input: DiffSkillVersionsInput): Promise<SkillVersionDiff> {
  requireScope(ctx, 'skills:read');
  const { slug, from, to, fromSlug } = parseInput(diffSkillVersionsInput, input);
  const [older, newer] = await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const toSkill = await loadVisibleSkill(tx, ctx, slug);
    const fromSkill = fromSlug && fromSlug !== slug ? await loadVisibleSkill(tx, ctx, fromSlug) : toSkill;
    return [
      { slug: fromSkill.slug, row: await loadVersion(tx, fromSkill, from) },
      { slug: toSkill.slug, row: await loadVersion(tx, toSkill, to) },
    ];
  });

  const label = (side: typeof older) => `${side.slug}@${side.row.version}`;
  let additions = 0;
  let deletions = 0;
  const patch = (path: string, a: string, b: string) => {
    const text = createTwoFilesPatch(`${label(older)}/${path}`, `${label(newer)}/${path}`, a, b, undefined, undefined, { context: 3 });
    for (const line of text.split('\n').slice(4)) {
      if (line.startsWith('+')) additions++;
      else if (line.startsWith('-')) deletions++;
    }
    return text;
  };

  const skillMd = older.row.skillMd === newer.row.skillMd ? '' : patch('SKILL.md', older.row.skillMd, newer.row.skillMd);
  const before = new Map(older.row.files.map((f) => [f.path, f]));
  const after = new Map(newer.row.files.map((f) => [f.path, f]));
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changedText = paths.filter((p) => {
    const a = before.get(p);
    const b = after.get(p);
    return p !== 'SKILL.md' && a && b && a.sha256 !== b.sha256 && a.text && b.text && Math.max(a.size, b.size) <= DIFF_MAX_BYTES;
  });
  // Only read the blobs when some file other than SKILL.md changed.
  const [oldFiles, newFiles] =
    changedText.length > 0
      ? await Promise.all([loadVersionBundle(ctx, older.row.blobKey), loadVersionBundle(ctx, newer.row.blobKey)])
      : [null, null];
  const textOf = (bundle: typeof oldFiles, path: string) =>
    new TextDecoder('utf-8').decode(bundle?.files.find((f) => f.path === path)?.bytes ?? new Uint8Array());

  const files = paths.map((path) => {
    const a = before.get(path);
    const b = after.get(path);
    const change = !a ? 'added' : !b ? 'removed' : a.sha256 === b.sha256 ? 'unchanged' : 'modified';
    let diff: string | null = null;
    if (path === 'SKILL.md') diff = skillMd || null;
    else if (changedText.includes(path)) diff = patch(path, textOf(oldFiles, path), textOf(newFiles, path));
    return { path, change, sizeFrom: a?.size ?? null, sizeTo: b?.size ?? null, diff } as const;
  });

  return {
    from: { slug: older.slug, version: older.row.version },
    to: { slug: newer.slug, version: newer.row.version },
    skillMd,
    files,
    additions,
    deletions,
  };
}
