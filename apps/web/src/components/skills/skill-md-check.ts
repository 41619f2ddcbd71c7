import { deriveSkillVersion, matchSkillCategory, metadataTagText, validateSkillManifest, type ManifestIssue, type SkillCategory } from '@everyskill/contracts';

/** What a new skill's editor starts with. */
export const SKILL_MD_TEMPLATE = `---
name: my-skill
description: What this skill does and when an agent should use it.
metadata:
  version: "1.0.0"
  category: engineering
  tags: example
---

# My skill

1. First step.
2. Second step.
`;

/** What the skill editor shows of a SKILL.md, as plain data: the fields it names and its problems. */
export interface SkillMdCheck {
  /** Null when the SKILL.md has no valid manifest (the errors say why). */
  fields: {
    name: string;
    description: string;
    /** `metadata.version` when it is valid semver, else null (the server numbers the version). */
    version: string | null;
    /** The category `metadata.category` names, if any. */
    category: SkillCategory | null;
    /** `metadata.tags` (or `keywords`) as "a, b". */
    tags: string;
  } | null;
  errors: ManifestIssue[];
  warnings: ManifestIssue[];
}

const tagsOf = (metadata: Record<string, string>) => metadataTagText(metadata).split(/[\s,]+/).filter(Boolean).join(', ');

/**
 * Checks a SKILL.md with the parser publishing uses (`folderName`: the skill's name, which an
 * edit may not change). The server runs it for the text a page opens with; the editor loads this
 * module (zod and yaml: most of its weight) only once the text changes.
 */
export function checkSkillMd(text: string, folderName?: string): SkillMdCheck {
  const validation = validateSkillManifest(text, folderName ? { folderName } : {});
  const manifest = validation.manifest;
  return {
    fields: manifest
      ? {
          name: manifest.name,
          description: manifest.description,
          version: deriveSkillVersion(manifest),
          category: matchSkillCategory(manifest.metadata.category),
          tags: tagsOf(manifest.metadata),
        }
      : null,
    errors: validation.errors,
    warnings: validation.warnings,
  };
}
