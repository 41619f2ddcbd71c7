import { validateSkillManifest } from '@everyskill/contracts';
import { describe, expect, it } from 'vitest';
import { pinSkillMarkdownVersion, renameSkillMarkdown } from './rename-skill-markdown';

describe('renameSkillMarkdown', () => {
  it('replaces only the name line', () => {
    const text = '---\nname: pdf-tools\ndescription: Work with PDFs\nmetadata:\n  name: inner\n---\n# PDF tools\nname: body\n';
    const renamed = renameSkillMarkdown(text, 'pdf-tools-acme');
    expect(renamed).toBe('---\nname: pdf-tools-acme\ndescription: Work with PDFs\nmetadata:\n  name: inner\n---\n# PDF tools\nname: body\n');
    expect(validateSkillManifest(renamed!, { folderName: 'pdf-tools-acme' }).ok).toBe(true);
  });

  it('handles quotes, comments and CRLF', () => {
    expect(renameSkillMarkdown('---\r\nname: "old"  # the id\r\ndescription: d\r\n---\r\nbody', 'new-one')).toBe(
      '---\r\nname: new-one # the id\r\ndescription: d\r\n---\r\nbody',
    );
  });

  it('returns null without frontmatter or name', () => {
    expect(renameSkillMarkdown('# no frontmatter', 'x')).toBeNull();
    expect(renameSkillMarkdown('---\ndescription: d\n---\n', 'x')).toBeNull();
  });
});

describe('pinSkillMarkdownVersion', () => {
  it('replaces only the version line among metadata’s direct children, keeping comments, quotes elsewhere and line endings', () => {
    const md = '---\r\nname: x\r\nmetadata:\r\n  author: me\r\n  nested:\r\n    version: keep\r\n  version: 1.0.0 # ours\r\nlicense: MIT\r\n---\r\nbody version: 1.0.0\r\n';
    expect(pinSkillMarkdownVersion(md, '1.2.3')).toBe(
      '---\r\nname: x\r\nmetadata:\r\n  author: me\r\n  nested:\r\n    version: keep\r\n  version: "1.2.3" # ours\r\nlicense: MIT\r\n---\r\nbody version: 1.0.0\r\n',
    );
  });

  it('returns null when there is no block metadata.version to replace', () => {
    expect(pinSkillMarkdownVersion('---\nname: x\nversion: 1.0.0\n---\n', '2.0.0')).toBeNull();
    expect(pinSkillMarkdownVersion('---\nname: x\nmetadata: { version: "1.0.0" }\n---\n', '2.0.0')).toBeNull();
    expect(pinSkillMarkdownVersion('no frontmatter', '2.0.0')).toBeNull();
    // A value on the following lines is no single line to replace.
    expect(pinSkillMarkdownVersion('---\nname: x\nmetadata:\n  version:\n    1.0.0\n---\n', '2.0.0')).toBeNull();
    expect(pinSkillMarkdownVersion('---\nname: x\nmetadata:\n  version: >-\n    1.0.0\n---\n', '2.0.0')).toBeNull();
  });
});
