/**
 * The fixed choices of a skill (its category, its visibility) as plain values. No zod here: the
 * portal's client forms import this module on its own (`@everyskill/contracts/skill-choices`), and
 * the package's index would bring every schema into the browser with it.
 */

/** The shelves of the catalogue; `metadata.category` in a SKILL.md may name one (key or label). */
export const skillCategories = [
  'agent-tooling',
  'engineering',
  'data-ai',
  'devops',
  'security',
  'testing',
  'documents',
  'writing',
  'design',
  'marketing',
  'sales',
  'business',
  'finance',
  'legal',
  'science',
  'health',
  'education',
  'other',
] as const;
export type SkillCategory = (typeof skillCategories)[number];

export const skillCategoryLabels: Record<SkillCategory, string> = {
  'agent-tooling': 'Agent tooling',
  engineering: 'Engineering',
  'data-ai': 'Data & AI',
  devops: 'DevOps',
  security: 'Security',
  testing: 'Testing',
  documents: 'Documents',
  writing: 'Writing',
  design: 'Design',
  marketing: 'Marketing',
  sales: 'Sales',
  business: 'Business',
  finance: 'Finance',
  legal: 'Legal',
  science: 'Science',
  health: 'Health',
  education: 'Education',
  other: 'Other',
};

/** The category a free-text value names (key or label, any case), or null. */
export function matchSkillCategory(value: string | undefined | null): SkillCategory | null {
  const wanted = value?.trim().toLowerCase();
  if (!wanted) return null;
  for (const key of skillCategories) {
    if (key === wanted || skillCategoryLabels[key].toLowerCase() === wanted) return key;
  }
  return null;
}

/** tenant: everyone in the company; private: only the author (and admins); public: also the public index. */
export const skillVisibilities = ['tenant', 'private', 'public'] as const;
export type SkillVisibility = (typeof skillVisibilities)[number];
