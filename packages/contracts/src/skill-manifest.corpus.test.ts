/// <reference types="node" />
// Every real SKILL.md of the shared corpus: the 481 valid ones must pass, the 30 invalid ones must
// fail with the problem INVALID.tsv names. The corpus is read in place and never copied here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSkillMarkdown, skillManifestSchema, validateSkillManifest, type ManifestIssueCode } from './skill-manifest';
import { corpusDir, corpusMissingMessage, corpusPresent, readCorpusTsv } from './skill-manifest.test-corpus';

const catalog = readCorpusTsv('CATALOG.tsv');
const invalid = readCorpusTsv('INVALID.tsv');
const folderOf = (id: string) => id.split('__').at(-1) ?? id;

/** The field and rule each INVALID.tsv problem kind must be reported under. */
const expectedIssue: Record<string, { path: string; code: ManifestIssueCode }> = {
  'bad-yaml': { path: 'frontmatter', code: 'yaml-syntax' },
  'no-frontmatter': { path: 'frontmatter', code: 'missing-frontmatter' },
  'missing-name': { path: 'name', code: 'required' },
  'missing-description': { path: 'description', code: 'required' },
  'name-not-a-string': { path: 'name', code: 'type' },
  'name-uppercase': { path: 'name', code: 'pattern' },
  'name-uppercase-spaces': { path: 'name', code: 'pattern' },
  'name-invalid-chars': { path: 'name', code: 'pattern' },
  'name-dir-mismatch': { path: 'name', code: 'mismatch' },
  'description-too-long': { path: 'description', code: 'too-long' },
  'compatibility-too-long': { path: 'compatibility', code: 'too-long' },
  'metadata-not-a-mapping': { path: 'metadata', code: 'type' },
};

describe('the public skills corpus', () => {
  it('is present (set EVERYSKILL_CORPUS_DIR if it is not at <repo>/../shared/corpus)', () => {
    expect(corpusPresent, corpusMissingMessage).toBe(true);
    expect(catalog).toHaveLength(481);
    expect(invalid).toHaveLength(30);
  });

  it.each(catalog.map((row) => [row.id ?? '', row] as const))('accepts %s', (id, row) => {
    const text = readFileSync(path.join(corpusDir, 'skills', id, 'SKILL.md'), 'utf8');
    const result = validateSkillManifest(text, { folderName: folderOf(id) });
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    const manifest = result.manifest!;
    expect(manifest.name).toBe(row.name);
    // The catalogue counted code points of the value as parsed, which keeps a block scalar's final
    // line break unless the block closes the frontmatter; the manifest trims it.
    const parsed = parseSkillMarkdown(text);
    const parsedDescription = parsed.ok ? String(parsed.frontmatter.description) : '';
    expect(parsedDescription.trim()).toBe(manifest.description);
    expect([Array.from(manifest.description).length, Array.from(parsedDescription).length]).toContain(Number(row.description_chars));
    expect(parsed.ok && Object.keys(parsed.frontmatter).sort()).toEqual((row.frontmatter_fields ?? '').split(',').sort());
    expect(skillManifestSchema.safeParse(manifest).success).toBe(true);
    // Non-spec fields are warnings, one each.
    const unknown = result.warnings.filter((w) => w.code === 'unknown-field').map((w) => w.path).sort();
    expect(unknown).toEqual(Object.keys(manifest.extra).sort());
  });

  it.each(invalid.map((row) => [row.id ?? '', row] as const))('rejects %s', (id, row) => {
    const text = readFileSync(path.join(corpusDir, 'invalid', id, 'SKILL.md'), 'utf8');
    const result = validateSkillManifest(text, { folderName: folderOf(id) });
    expect(result.ok).toBe(false);
    expect(result.manifest).toBeNull();
    const expected = expectedIssue[row.problem ?? ''];
    expect(expected, `INVALID.tsv names a problem kind this test does not map: '${row.problem}'`).toBeDefined();
    expect(result.errors.map((e) => ({ path: e.path, code: e.code }))).toContainEqual(expected);
    for (const error of result.errors) {
      expect(error.message.length).toBeGreaterThan(20);
      expect(error.message).toContain(error.path.split('.')[0]);
    }
    // Where the table gives the measured length, the message repeats it (less the final line
    // break of a block scalar, which the table counted and the validator trims).
    const measured = /too-long:(\d+)/.exec(row.parser_errors ?? '')?.[1];
    if (measured) {
      const reported = /got (\d+) characters/.exec(result.errors.map((e) => e.message).join('\n'))?.[1];
      expect([Number(measured), Number(measured) - 1]).toContain(Number(reported));
    }
  });
});
