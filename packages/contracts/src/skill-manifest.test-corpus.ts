/// <reference types="node" />
// Test support: where the shared skills corpus is, and its files. Never imported by the package.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml above ${start}`);
  }
}

/** `<repo>/../shared/corpus`, or `EVERYSKILL_CORPUS_DIR`. */
export const corpusDir =
  process.env.EVERYSKILL_CORPUS_DIR ??
  path.resolve(findRepoRoot(path.dirname(fileURLToPath(import.meta.url))), '..', 'shared', 'corpus');

export const corpusPresent = existsSync(path.join(corpusDir, 'CATALOG.tsv')) && existsSync(path.join(corpusDir, 'INVALID.tsv'));

export const corpusMissingMessage = `skills corpus not found at ${corpusDir}: check out shared/ beside the repository or set EVERYSKILL_CORPUS_DIR`;

/** Rows of a corpus TSV as objects keyed by the header; empty when the corpus is absent. */
export function readCorpusTsv(file: string): Record<string, string>[] {
  if (!corpusPresent) return [];
  const [header, ...lines] = readFileSync(path.join(corpusDir, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const columns = (header ?? '').split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

/** Every SKILL.md of the corpus (valid and invalid), as text. */
export function readAllCorpusSkills(): { id: string; text: string }[] {
  if (!corpusPresent) return [];
  return (['skills', 'invalid'] as const).flatMap((kind) =>
    readdirSync(path.join(corpusDir, kind))
      .sort()
      .map((id) => ({ id, text: readFileSync(path.join(corpusDir, kind, id, 'SKILL.md'), 'utf8') })),
  );
}
