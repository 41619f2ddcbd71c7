/// <reference types="node" />
// Property tests: whatever text the editor or an upload hands over, parsing and validation return
// issues and never throw. Inputs are mutated real SKILL.md files, generated frontmatter and noise.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  parseSkillMarkdown,
  skillManifestSchema,
  validateSkillManifest,
  type ManifestIssue,
  type SkillManifestValidation,
} from './skill-manifest';
import { corpusMissingMessage, corpusPresent, readAllCorpusSkills } from './skill-manifest.test-corpus';

const corpus = readAllCorpusSkills();
let inputsChecked = 0;

/** Checks every invariant of one input; throws (fails the property) on any breach. */
function checkInput(text: string, folderName?: string): void {
  inputsChecked++;
  let result: SkillManifestValidation;
  let parsed: ReturnType<typeof parseSkillMarkdown>;
  try {
    result = validateSkillManifest(text, folderName === undefined ? {} : { folderName });
    parsed = parseSkillMarkdown(text);
  } catch (error) {
    throw new Error(`threw instead of returning errors: ${String(error)}`);
  }
  const issues: ManifestIssue[] = [...result.errors, ...result.warnings, ...(parsed.ok ? [] : parsed.errors)];
  const unexpected = issues.find((i) => i.code === 'unexpected');
  if (unexpected) throw new Error(`unexpected failure inside the validator: ${unexpected.message}`);
  for (const issue of issues) {
    if (!issue.path || !issue.message) throw new Error(`issue without path or message: ${JSON.stringify(issue)}`);
    if (issue.line !== undefined && !(Number.isInteger(issue.line) && issue.line >= 1)) throw new Error(`bad line ${issue.line}`);
  }
  if (result.ok !== (result.errors.length === 0)) throw new Error('ok disagrees with errors');
  if (result.ok) {
    if (!result.manifest || !skillManifestSchema.safeParse(result.manifest).success) throw new Error('ok without a schema-valid manifest');
  } else if (result.manifest !== null) {
    throw new Error('manifest returned with errors');
  }
  if (!parsed.ok && JSON.stringify(parsed.errors) !== JSON.stringify(result.errors)) {
    throw new Error('parse errors and validation errors differ');
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

const insertion = fc.oneof(
  fc.constantFrom(
    '---\n', '\n---\n', '---', '\r\n', '\r', '\uFEFF', ': ', 'name: ', 'description: ', '&a ', '*a', '*undefined', '!!binary ',
    '!tag ', '<<: *a\n', '? ', '%YAML 1.1\n', '\t', '...\n', '{', '}', '[', ']', '"', "'", '|', '>-\n', '#', '\u0000', '\u2028',
    '\uD800', '__proto__: x\n', 'metadata:\n  a: [1, {b: c}]\n', 'allowed-tools: [Read, 7, {x: y}]\n', '\n  - ',
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'huge'; at: number; unit: string; times: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'crlf' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: insertion }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('huge' as const),
      at: fc.nat(),
      unit: fc.constantFrom('x', 'é', '😀', ' ', '\n', '\n  - x', '[', '{', '- ', 'a: ', '\\'),
      times: fc.integer({ min: 1_000, max: 40_000 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crlf' as const }) },
);

/** Positions favour the frontmatter, where the parser does its work. */
const position = (text: string, at: number) => {
  const end = text.indexOf('\n---', 4);
  const span = at % 3 === 0 || end === -1 ? text.length : end + 5;
  return span === 0 ? 0 : at % (span + 1);
};

function mutate(text: string, m: Mutation): string {
  switch (m.kind) {
    case 'flip': {
      const bytes = encoder.encode(text);
      if (bytes.length === 0) return text;
      const i = position(text, m.at) % bytes.length;
      bytes[i] = (bytes[i] ?? 0) ^ (1 << m.bit);
      return decoder.decode(bytes);
    }
    case 'truncate':
      return text.slice(0, position(text, m.at));
    case 'insert': {
      const i = position(text, m.at);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case 'huge': {
      const i = position(text, m.at);
      return text.slice(0, i) + m.unit.repeat(m.times) + text.slice(i);
    }
    case 'delete': {
      const i = position(text, m.at);
      return text.slice(0, i) + text.slice(i + m.length);
    }
    case 'duplicate-line': {
      const lines = text.split('\n');
      const i = m.at % Math.max(1, lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 'crlf':
      return text.replace(/\n/g, '\r\n');
  }
}

const fieldValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  fc.string({ minLength: 1000, maxLength: 1100 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, 0, 1.5, '', ' ', 'Read, Grep', 'Bash(git status:*) Read'),
);
const generatedFrontmatter = fc.dictionary(
  fc.oneof(fc.constantFrom('name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools', 'version', '__proto__'), fc.string({ maxLength: 12 })),
  fieldValue,
  { maxKeys: 8 },
);

describe('SKILL.md parser properties', () => {
  afterAll(() => {
    // Printed so a run's report can say how many inputs were checked.
    console.info(`skill-manifest property tests checked ${inputsChecked} inputs`);
  });

  it('has the corpus to mutate', () => {
    expect(corpusPresent, corpusMissingMessage).toBe(true);
    expect(corpus.length).toBe(511);
  });

  it('never throws on 10 000 mutated corpus files', () => {
    const before = inputsChecked;
    fc.assert(
      fc.property(fc.nat({ max: Math.max(0, corpus.length - 1) }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (index, mutations) => {
        const source = corpus[index];
        if (!source) throw new Error(corpusMissingMessage);
        const text = mutations.reduce(mutate, source.text);
        checkInput(text, source.id.split('__').at(-1));
      }),
      { numRuns: 10_000 },
    );
    expect(inputsChecked - before).toBeGreaterThanOrEqual(10_000);
  });

  it('never throws on 3 000 generated frontmatters', () => {
    const before = inputsChecked;
    fc.assert(
      fc.property(generatedFrontmatter, fc.string({ maxLength: 200 }), (fields, body) => {
        let yaml: string;
        try {
          yaml = stringify(fields);
        } catch {
          return; // not representable as YAML; nothing to feed the parser
        }
        checkInput(`---\n${yaml}---\n${body}`);
      }),
      { numRuns: 3_000 },
    );
    expect(inputsChecked - before).toBeGreaterThan(2_900);
  });

  it('never throws on 2 000 strings of noise with and without fences', () => {
    const before = inputsChecked;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.boolean(), (noise, fenced) => {
        checkInput(fenced ? `---\n${noise}\n---\n` : noise, 'x');
      }),
      { numRuns: 2_000 },
    );
    expect(inputsChecked - before).toBe(2_000);
  });
});
