import { validateSkillManifest } from '@everyskill/contracts';
import { describe, expect, it } from 'vitest';
import { renameSkillMarkdown } from './rename-skill-markdown';

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
