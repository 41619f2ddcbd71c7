import type { CorpusSkill } from './corpus';

/** Deterministic PRNG (mulberry32): the same index always yields the same variation. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEAMS = ['platform', 'growth', 'finance', 'support', 'research', 'sales', 'security', 'data', 'mobile', 'legal', 'design', 'ops'];
const QUALIFIERS = ['lite', 'pro', 'team', 'internal', 'emea', 'us', 'apac', 'beta', 'v2', 'classic', 'strict', 'fast'];
const PHRASES = [
  'Adapted for the {team} team.',
  'Includes the {team} team checklist.',
  'Tuned for {team} workflows and reviews.',
  'Maintained by the {team} group; follows our house style.',
  'Variant with stricter defaults for {team} projects.',
  'Use with the shared {team} templates.',
];
const TAGS: Record<string, string[]> = {
  'agent-tooling': ['agents', 'mcp', 'prompts', 'claude'],
  marketing: ['seo', 'email', 'ads', 'content'],
  science: ['biology', 'chemistry', 'python', 'research'],
  security: ['appsec', 'cloud', 'forensics', 'iam'],
  business: ['product', 'hr', 'ops', 'planning'],
  engineering: ['typescript', 'python', 'git', 'api'],
  'data-ai': ['ml', 'sql', 'analytics', 'pandas'],
  finance: ['excel', 'valuation', 'reporting', 'risk'],
  devops: ['kubernetes', 'terraform', 'ci', 'docker'],
  legal: ['contracts', 'gdpr', 'compliance', 'nda'],
  design: ['ui', 'ux', 'figma', 'brand'],
  writing: ['docs', 'email', 'style', 'editing'],
  testing: ['e2e', 'unit', 'qa', 'playwright'],
  documents: ['pdf', 'docx', 'pptx', 'xlsx'],
  health: ['clinical', 'patients', 'medical', 'care'],
  education: ['teaching', 'lessons', 'quiz', 'students'],
  other: ['misc', 'personal', 'notes', 'home'],
};

export interface Variation {
  name: string;
  description: string;
  category: string;
  tags: string[];
  skillMd: string;
}

/**
 * Skill number `index` of a synthetic catalogue: the first pass is the corpus itself; later ones
 * are variations — a suffixed name, reordered and trimmed description with a team phrase, a
 * different slice of the body with a paragraph from another skill, and a few tags.
 */
export function variation(corpus: CorpusSkill[], index: number): Variation {
  const base = corpus[index % corpus.length]!;
  const round = Math.floor(index / corpus.length);
  const rnd = prng(index * 2654435761 + 17);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const tagPool = TAGS[base.category] ?? TAGS.other!;
  if (round === 0) {
    return { name: base.name, description: base.description, category: base.category, tags: [pick(tagPool)], skillMd: base.skillMd };
  }
  const team = pick(TEAMS);
  const suffix = `${pick(QUALIFIERS)}-${round}`;
  const name = `${base.name.slice(0, 63 - suffix.length).replace(/-+$/, '')}-${suffix}`;

  const sentences = base.description.split(/(?<=[.!?])\s+/).filter(Boolean);
  if (sentences.length > 2 && rnd() < 0.4) sentences.splice(1 + Math.floor(rnd() * (sentences.length - 1)), 1);
  if (sentences.length > 1 && rnd() < 0.5) {
    const i = Math.floor(rnd() * (sentences.length - 1));
    [sentences[i], sentences[i + 1]] = [sentences[i + 1]!, sentences[i]!];
  }
  const description = `${sentences.join(' ')} ${pick(PHRASES).replace('{team}', team)}`.slice(0, 1024);

  const body = base.body;
  const length = 1200 + Math.floor(rnd() * 1800);
  const start = body.length > length ? Math.floor(rnd() * (body.length - length)) : 0;
  const other = pick(corpus).body;
  const otherStart = Math.floor(rnd() * Math.max(1, other.length - 400));
  const slice = `${body.slice(start, start + length)}\n\n## Notes from the ${team} team\n\n${other.slice(otherStart, otherStart + 400)}`;
  const tags = [...new Set([pick(tagPool), pick(tagPool), team])].slice(0, 1 + Math.floor(rnd() * 3));
  const skillMd = `---\nname: ${name}\ndescription: ${JSON.stringify(description)}\n---\n\n${slice}\n`;
  return { name, description, category: base.category, tags, skillMd };
}
