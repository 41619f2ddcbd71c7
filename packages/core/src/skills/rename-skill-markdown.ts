/**
 * Sets the `name:` field of a SKILL.md's frontmatter, leaving every other byte as it was, so a
 * variation differs from its parent only where its author changes it. Returns null when the
 * frontmatter has no single-line `name:` to replace.
 */
export function renameSkillMarkdown(text: string, newName: string): string | null {
  const fence = /^(\uFEFF?---[ \t]*\r?\n)([\s\S]*?)(\r?\n---[ \t]*(?:\r?\n|$))/.exec(text);
  if (!fence) return null;
  const [, open = '', yaml = '', close = ''] = fence;
  const namePattern = /^name[ \t]*:[ \t]*(?:"[^"\n]*"|'[^'\n]*'|[^\n#]*?)[ \t]*(#[^\n]*)?$/m;
  if (!namePattern.test(yaml)) return null;
  const renamed = yaml.replace(namePattern, (_line, comment: string | undefined) => `name: ${newName}${comment ? ` ${comment}` : ''}`);
  return open + renamed + close + text.slice(fence[0].length);
}
