import { createHash } from 'node:crypto';

export interface EmbeddableSkill {
  name: string;
  description: string;
  tags: readonly string[];
  /** The SKILL.md text (frontmatter included) or its markdown body. */
  skillMd: string;
}

// Long enough to carry a skill's purpose and main sections, short enough for every model's context.
const BODY_CHARS = 6000;

/** The markdown after a SKILL.md's YAML frontmatter (mirrors skill_markdown_body() in SQL). */
export function markdownBody(skillMd: string): string {
  const text = skillMd.replace(/^[ \t\r\n]+/, '');
  if (!text.startsWith('---')) return text;
  const end = text.indexOf('\n---', 3);
  return end === -1 ? text : text.slice(end + 4);
}

/**
 * The text a skill is embedded from: a summary line (name, description, tags), a blank line, then
 * the start of the body. Every provider gets the same text, so their benchmarks compare models.
 */
export function skillEmbeddingInput(skill: EmbeddableSkill): string {
  const tags = skill.tags.length > 0 ? ` (${skill.tags.join(', ')})` : '';
  const summary = `${skill.name.replace(/-/g, ' ')}: ${skill.description.replace(/\s+/g, ' ').trim()}${tags}`;
  const body = markdownBody(skill.skillMd).replace(/\n{3,}/g, '\n\n').trim().slice(0, BODY_CHARS);
  return body ? `${summary}\n\n${body}` : summary;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
