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

/**
 * Sets `metadata.version` in a SKILL.md's frontmatter (a block `metadata:` mapping with a
 * single-line `version:` among its direct children), leaving every other byte as it was. Returns
 * null when there is no such line to replace.
 */
export function pinSkillMarkdownVersion(text: string, version: string): string | null {
  const fence = /^(\uFEFF?---[ \t]*\r?\n)([\s\S]*?)(\r?\n---[ \t]*(?:\r?\n|$))/.exec(text);
  if (!fence) return null;
  const [, open = '', yaml = '', close = ''] = fence;
  const lines = yaml.split('\n');
  const start = lines.findIndex((line) => /^metadata[ \t]*:[ \t]*(#.*)?\r?$/.test(line));
  if (start < 0) return null;
  let childIndent: string | null = null;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^[ \t]*(#.*)?\r?$/.test(line)) continue; // blank lines and comments inside the block
    const indent = /^[ \t]+/.exec(line)?.[0];
    if (!indent) break; // the next top-level key: the block ended
    childIndent ??= indent;
    if (indent !== childIndent) continue; // deeper: a child's own children
    const match = /^([ \t]+)version[ \t]*:[ \t]*("[^"\n]*"|'[^'\n]*'|[^\n#]*?)[ \t]*(#[^\n]*?)?(\r?)$/.exec(line);
    if (!match) continue;
    const [, lead = '', value = '', comment, cr = ''] = match;
    // A value on the following lines (`version:` alone, or a `|`/`>` block) is no single line to replace.
    if (value === '' || /^[|>]/.test(value)) return null;
    lines[i] = `${lead}version: "${version}"${comment ? ` ${comment}` : ''}${cr}`;
    return open + lines.join('\n') + close + text.slice(fence[0].length);
  }
  return null;
}
