import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSkillMarkdown, type SkillCategory } from '@everyskill/contracts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The public skills corpus lives beside the repository (`../shared/corpus`) or beside one of its
 * parent folders, as scripts/test.sh looks for it; it is read in place, never copied in.
 */
export function corpusDir(): string {
  if (process.env.EVERYSKILL_CORPUS_DIR) {
    const dir = path.resolve(process.env.EVERYSKILL_CORPUS_DIR);
    if (existsSync(path.join(dir, 'skills'))) return dir;
    throw new Error(`The skills corpus was not found at ${dir}/skills; EVERYSKILL_CORPUS_DIR must name the folder holding skills/ and CATALOG.tsv`);
  }
  for (let dir = path.dirname(REPO_ROOT); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'shared', 'corpus', 'skills'))) return path.join(dir, 'shared', 'corpus');
    if (dir === path.dirname(dir)) break;
  }
  throw new Error(`The skills corpus was not found beside ${REPO_ROOT} or its parent folders (shared/corpus/skills); set EVERYSKILL_CORPUS_DIR to the folder holding skills/ and CATALOG.tsv`);
}

export interface CorpusSkill {
  /** Corpus id: `<owner>__<repo>__<folder>`. */
  id: string;
  name: string;
  description: string;
  category: SkillCategory;
  skillMd: string;
  body: string;
}

const TOPIC_CATEGORY: Record<string, SkillCategory> = {
  'agent tooling & meta (skills, MCP, prompts)': 'agent-tooling',
  'marketing & sales': 'marketing',
  'science & research': 'science',
  security: 'security',
  'product, business ops & HR': 'business',
  'software engineering (languages/frameworks/APIs)': 'engineering',
  'code review & dev workflow': 'engineering',
  'data, analytics & ML/AI': 'data-ai',
  finance: 'finance',
  'devops, cloud & infra': 'devops',
  'legal & compliance': 'legal',
  'design, UI/UX & art': 'design',
  'writing & comms': 'writing',
  'testing & QA': 'testing',
  'documents & office': 'documents',
  'health & medical': 'health',
  education: 'education',
};

/** The 481 valid skills of the corpus, with their frontmatter parsed by the product's own parser. */
export function loadCorpus(): CorpusSkill[] {
  const dir = corpusDir();
  const topics = new Map(
    readFileSync(path.join(dir, 'CATALOG.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t'))
      .map(([id, , topic]) => [id!, topic!]),
  );
  return readdirSync(path.join(dir, 'skills'))
    .sort()
    .map((id) => {
      const skillMd = readFileSync(path.join(dir, 'skills', id, 'SKILL.md'), 'utf8');
      const parsed = parseSkillMarkdown(skillMd);
      if (!parsed.ok) throw new Error(`corpus skill ${id} does not parse`);
      const name = String(parsed.frontmatter.name);
      const description = String(parsed.frontmatter.description ?? '').trim().slice(0, 1024);
      return {
        id,
        name,
        description,
        category: TOPIC_CATEGORY[topics.get(id) ?? ''] ?? 'other',
        skillMd,
        body: parsed.body,
      };
    });
}

export interface QuerySpec {
  query: string;
  relevant: string[];
  partial: string[];
}

export function loadQueries(): QuerySpec[] {
  const file = path.join(REPO_ROOT, 'bench', 'search-queries.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { queries: QuerySpec[] }).queries;
}

/** Reciprocal rank of the first relevant or partial result in the top 10 (0 when none). */
export function reciprocalRankAt10(ranked: string[], q: QuerySpec): number {
  const wanted = new Set([...q.relevant, ...q.partial]);
  const index = ranked.slice(0, 10).findIndex((id) => wanted.has(id));
  return index === -1 ? 0 : 1 / (index + 1);
}

/** nDCG@10 with graded gains: relevant 2, partial 1 (gain 2^g − 1). */
export function ndcgAt10(ranked: string[], q: QuerySpec): number {
  const gain = (id: string) => (q.relevant.includes(id) ? 2 : q.partial.includes(id) ? 1 : 0);
  const dcg = ranked.slice(0, 10).reduce((sum, id, i) => sum + (2 ** gain(id) - 1) / Math.log2(i + 2), 0);
  const ideal = [...q.relevant.map(() => 2), ...q.partial.map(() => 1)]
    .slice(0, 10)
    .reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
