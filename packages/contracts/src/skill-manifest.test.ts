import { describe, expect, it } from 'vitest';
import {
  deriveSkillVersion,
  parseSkillMarkdown,
  skillManifestSchema,
  skillNameSchema,
  splitAllowedTools,
  validateSkillManifest,
  type ManifestIssue,
} from './skill-manifest';

const skill = (frontmatter: string, body = '# Title\n\nDo the thing.\n') => `---\n${frontmatter}\n---\n${body}`;
const valid = (extra = '') => skill(`name: pdf-tools\ndescription: Fill and merge PDF forms. Use when a PDF is mentioned.${extra}`);
const only = (issues: ManifestIssue[], path: string) => issues.filter((i) => i.path === path);

describe('parseSkillMarkdown', () => {
  it('splits frontmatter, raw YAML and body', () => {
    const result = parseSkillMarkdown(valid());
    expect(result).toEqual({
      ok: true,
      frontmatter: { name: 'pdf-tools', description: 'Fill and merge PDF forms. Use when a PDF is mentioned.' },
      raw: 'name: pdf-tools\ndescription: Fill and merge PDF forms. Use when a PDF is mentioned.\n',
      body: '# Title\n\nDo the thing.\n',
      bodyLine: 5,
    });
  });

  it('tolerates a byte-order mark and CRLF or CR line endings', () => {
    const crlf = '\uFEFF' + valid().replace(/\n/g, '\r\n');
    const cr = valid().replace(/\n/g, '\r');
    for (const text of [crlf, cr]) {
      const result = parseSkillMarkdown(text);
      expect(result.ok && result.frontmatter.name).toBe('pdf-tools');
      expect(result.ok && result.body).toBe('# Title\n\nDo the thing.\n');
    }
  });

  it('accepts a closing fence at the end of the file and trailing spaces on fences', () => {
    const result = parseSkillMarkdown('---  \nname: a\ndescription: b\n--- ');
    expect(result.ok && result.frontmatter).toEqual({ name: 'a', description: 'b' });
    expect(result.ok && result.body).toBe('');
  });

  it('requires the frontmatter to come first', () => {
    const heading = parseSkillMarkdown('# Morning Note\n\ndescription: notes\n');
    expect(heading).toEqual({
      ok: false,
      errors: [
        {
          path: 'frontmatter',
          code: 'missing-frontmatter',
          line: 1,
          message: "SKILL.md must start with YAML frontmatter between '---' lines (name: and description:); the file starts with '# Morning Note'",
        },
      ],
    });
    const blank = parseSkillMarkdown('\n\n' + valid());
    expect(!blank.ok && blank.errors[0]?.message).toBe(
      "frontmatter must be the first thing in the file: remove the 2 blank line(s) before the '---' on line 3",
    );
    const empty = parseSkillMarkdown('');
    expect(!empty.ok && empty.errors[0]?.message).toContain('the file starts with nothing');
  });

  it('reports an unclosed frontmatter', () => {
    const result = parseSkillMarkdown('---\nname: a\ndescription: b\n\n# Body');
    expect(!result.ok && result.errors[0]).toMatchObject({ path: 'frontmatter', code: 'unclosed-frontmatter' });
    expect(parseSkillMarkdown('---').ok).toBe(false);
  });

  it('reports YAML errors with the line of the file and a hint', () => {
    const result = parseSkillMarkdown(skill('name: laravel\ndescription: Verification loop: env checks, linting'));
    expect(result.ok).toBe(false);
    const [error] = result.ok ? [] : result.errors;
    expect(error).toMatchObject({ path: 'frontmatter', code: 'yaml-syntax', line: 3 });
    expect(error?.message).toMatch(/^frontmatter is not valid YAML on line 3: .*put the value in quotes/);

    const at = parseSkillMarkdown(skill('name: swiftui\ndescription: @Observable patterns'));
    expect(!at.ok && at.errors[0]?.message).toContain('reserved character');
  });

  it('rejects duplicate keys and frontmatter that is not a mapping', () => {
    const duplicate = parseSkillMarkdown(skill('name: a\nname: b\ndescription: c'));
    expect(!duplicate.ok && duplicate.errors[0]).toMatchObject({ code: 'yaml-syntax', line: 3 });
    const list = parseSkillMarkdown(skill('- name: a'));
    expect(!list.ok && list.errors[0]).toMatchObject({ path: 'frontmatter', code: 'type' });
    expect(!list.ok && list.errors[0]?.message).toContain('got a list');
    const text = parseSkillMarkdown(skill('just some words'));
    expect(!text.ok && text.errors[0]?.message).toContain("got the text 'just some words'");
  });

  it('treats an empty frontmatter as no fields', () => {
    expect(parseSkillMarkdown('---\n---\nbody')).toMatchObject({ ok: true, frontmatter: {}, body: 'body' });
  });

  it('stops alias expansion bombs instead of hanging', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const started = Date.now();
    const result = parseSkillMarkdown(skill(lines.join('\n')));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(!result.ok && result.errors[0]?.message).toMatch(/alias/i);
  });

  it('reports nesting too deep for the YAML parser instead of overflowing the stack', () => {
    for (const yaml of ['x: ' + '- '.repeat(3000) + 'a', '- '.repeat(5000), 'x: ' + '['.repeat(5000)]) {
      const result = parseSkillMarkdown(skill(yaml));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.errors.every((e) => e.path === 'frontmatter' && e.code === 'yaml-syntax')).toBe(true);
    }
  });

  it('allows ordinary nesting and refuses more than 64 flow levels or 128 columns of block nesting', () => {
    const flow = (n: number) => skill(`name: a\ndescription: b\nx: ${'['.repeat(n)}${']'.repeat(n)}`);
    expect(parseSkillMarkdown(flow(64)).ok).toBe(true);
    expect(parseSkillMarkdown(flow(65))).toMatchObject({ ok: false, errors: [{ code: 'yaml-syntax', message: expect.stringContaining('nested too deeply') }] });
    const indented = (n: number) => skill(`name: a\ndescription: b\nx:\n${' '.repeat(n)}y: 1`);
    expect(parseSkillMarkdown(indented(120)).ok).toBe(true);
    expect(parseSkillMarkdown(indented(140)).ok).toBe(false);
    // Text inside a block scalar is not structure, however it is indented or bracketed.
    const text = skill(`name: a\ndescription: |\n  ${'['.repeat(200)}\n${' '.repeat(300)}deep text`);
    expect(parseSkillMarkdown(text).ok).toBe(true);
  });

  it('refuses a frontmatter over 64 KiB without parsing it', () => {
    const result = parseSkillMarkdown(skill(`name: a\ndescription: ${'d'.repeat(70_000)}`));
    expect(!result.ok && result.errors[0]).toMatchObject({ path: 'frontmatter', code: 'too-long' });
    expect(!result.ok && result.errors[0]?.message).toContain('frontmatter must be at most 65536 characters; got 70022 ');
  });

  it('keeps YAML 1.1 tags and dates as text', () => {
    const result = parseSkillMarkdown(skill('name: a\ndescription: b\nupdated: 2026-04-09\nblob: !!binary aGVsbG8='));
    expect(result.ok && result.frontmatter.updated).toBe('2026-04-09');
    expect(result.ok && typeof result.frontmatter.blob).toBe('string');
  });

  it('returns an error for input that is not text', () => {
    expect(parseSkillMarkdown(42 as unknown as string)).toMatchObject({ ok: false, errors: [{ code: 'invalid-input' }] });
  });
});

describe('validateSkillManifest', () => {
  it('accepts a minimal skill and normalises it', () => {
    const result = validateSkillManifest(valid(), { folderName: 'pdf-tools' });
    expect(result).toEqual({
      ok: true,
      errors: [],
      warnings: [],
      manifest: {
        name: 'pdf-tools',
        description: 'Fill and merge PDF forms. Use when a PDF is mentioned.',
        metadata: {},
        allowedTools: [],
        extra: {},
      },
    });
    expect(skillManifestSchema.parse(result.manifest)).toEqual(result.manifest);
  });

  describe('name', () => {
    it('is required, with a hint from the folder', () => {
      const result = validateSkillManifest(skill('description: x'), { folderName: 'make-resume' });
      expect(result.errors).toEqual([
        {
          path: 'name',
          code: 'required',
          message: "name is required: add 'name: make-resume' to the frontmatter (lowercase letters, digits and hyphens)",
          line: undefined,
        },
      ]);
      expect(only(validateSkillManifest(skill('name:\ndescription: x')).errors, 'name')[0]?.code).toBe('required');
      expect(only(validateSkillManifest(skill("name: ''\ndescription: x")).errors, 'name')[0]?.code).toBe('empty');
    });

    it('must be lowercase letters, digits and single hyphens', () => {
      const result = validateSkillManifest(skill('name: My Skill\ndescription: x'));
      expect(result.errors).toEqual([
        {
          path: 'name',
          code: 'pattern',
          line: 2,
          message: "name must be lowercase letters, digits and single hyphens (^[a-z0-9]+(-[a-z0-9]+)*$); got 'My Skill'",
        },
      ]);
      for (const bad of ['-lead', 'trail-', 'double--hyphen', 'under_score', 'Linear', 'a/b', 'émoji', 'a.b']) {
        expect(only(validateSkillManifest(skill(`name: "${bad}"\ndescription: x`)).errors, 'name').map((e) => e.code), bad).toEqual(['pattern']);
      }
      for (const good of ['a', '0', 'pdf', 'pdf-tools-2', '18-ot-ics']) {
        expect(validateSkillManifest(skill(`name: "${good}"\ndescription: x`)).ok, good).toBe(true);
      }
    });

    it('is at most 64 characters', () => {
      expect(validateSkillManifest(skill(`name: ${'a'.repeat(64)}\ndescription: x`)).ok).toBe(true);
      const result = validateSkillManifest(skill(`name: ${'a'.repeat(65)}\ndescription: x`));
      expect(result.errors.map((e) => e.code)).toEqual(['too-long']);
      expect(result.errors[0]?.message).toMatch(/^name must be at most 64 characters; got 65 characters \('a{60}…'\)$/);
    });

    it('must be text', () => {
      const list = validateSkillManifest(skill('name: [TODO: lowercase-hyphen-case-name]\ndescription: x'));
      expect(list.errors[0]).toMatchObject({ path: 'name', code: 'type', message: "name must be a text value such as 'my-skill'; got a list" });
      expect(validateSkillManifest(skill('name: 2048\ndescription: x')).errors[0]?.message).toContain('got the number 2048');
    });

    it('must equal the folder name when one is given', () => {
      const result = validateSkillManifest(skill('name: writing-hookify-rules\ndescription: x'), { folderName: 'writing-rules' });
      expect(result.errors).toEqual([
        {
          path: 'name',
          code: 'mismatch',
          line: 2,
          message: "name must equal the skill's folder name 'writing-rules'; got 'writing-hookify-rules' (rename the folder or change the name)",
        },
      ]);
      expect(validateSkillManifest(skill('name: linear\ndescription: x'), { folderName: 'linear' }).ok).toBe(true);
    });
  });

  describe('description', () => {
    it('is required and not blank', () => {
      expect(validateSkillManifest(skill('name: a')).errors).toMatchObject([{ path: 'description', code: 'required' }]);
      expect(validateSkillManifest(skill('name: a\ndescription: "   "')).errors).toMatchObject([{ path: 'description', code: 'empty' }]);
      expect(validateSkillManifest(skill('name: a\ndescription: [a, b]')).errors).toMatchObject([{ path: 'description', code: 'type' }]);
    });

    it('is at most 1024 characters, counted in code points after trimming a block scalar', () => {
      expect(validateSkillManifest(skill(`name: a\ndescription: ${'d'.repeat(1024)}`)).ok).toBe(true);
      expect(validateSkillManifest(skill(`name: a\ndescription: >\n  ${'d'.repeat(1024)}\nlicense: MIT`)).ok).toBe(true);
      // 1024 emoji are 2048 UTF-16 units but 1024 characters.
      expect(validateSkillManifest(skill(`name: a\ndescription: ${'😀'.repeat(1024)}`)).ok).toBe(true);
      const result = validateSkillManifest(skill(`name: a\ndescription: ${'d'.repeat(1025)}`));
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]?.message).toMatch(/^description must be at most 1024 characters; got 1025 characters \('d{40}…'\)$/);
    });

    it('warns about angle brackets', () => {
      const result = validateSkillManifest(skill('name: a\ndescription: Write `<Name>.flow.ts` files'));
      expect(result.ok).toBe(true);
      expect(result.warnings).toMatchObject([{ path: 'description', code: 'angle-brackets' }]);
    });
  });

  describe('compatibility and license', () => {
    it('accepts up to 500 characters of compatibility', () => {
      const ok = validateSkillManifest(skill(`name: a\ndescription: b\ncompatibility: ${'c'.repeat(500)}`));
      expect(ok.manifest?.compatibility).toHaveLength(500);
      const long = validateSkillManifest(skill(`name: a\ndescription: b\ncompatibility: ${'c'.repeat(501)}`));
      expect(long.errors).toMatchObject([{ path: 'compatibility', code: 'too-long', line: 4 }]);
      expect(long.errors[0]?.message).toContain('got 501 characters');
    });

    it('rejects empty or non-text compatibility', () => {
      expect(validateSkillManifest(skill('name: a\ndescription: b\ncompatibility:')).errors).toMatchObject([{ path: 'compatibility', code: 'empty' }]);
      expect(validateSkillManifest(skill("name: a\ndescription: b\ncompatibility: ''")).errors).toMatchObject([{ path: 'compatibility', code: 'empty' }]);
      expect(validateSkillManifest(skill('name: a\ndescription: b\ncompatibility: {os: linux}')).errors).toMatchObject([{ path: 'compatibility', code: 'type' }]);
    });

    it('keeps a licence, coerces a number and rejects a list', () => {
      expect(validateSkillManifest(skill('name: a\ndescription: b\nlicense: Apache-2.0')).manifest?.license).toBe('Apache-2.0');
      const number = validateSkillManifest(skill('name: a\ndescription: b\nlicense: 2.0'));
      expect(number.manifest?.license).toBe('2.0');
      expect(number.warnings).toMatchObject([{ path: 'license', code: 'coerced' }]);
      expect(validateSkillManifest(skill('name: a\ndescription: b\nlicense: [MIT]')).errors).toMatchObject([{ path: 'license', code: 'type' }]);
    });
  });

  describe('metadata', () => {
    it('keeps string values', () => {
      const result = validateSkillManifest(skill("name: a\ndescription: b\nmetadata:\n  author: Jane\n  version: '1.0'"));
      expect(result.manifest?.metadata).toEqual({ author: 'Jane', version: '1.0' });
      expect(result.warnings).toEqual([]);
    });

    it('keeps numbers, booleans and nulls as their source text, with a warning each', () => {
      const result = validateSkillManifest(skill('name: a\ndescription: b\nmetadata:\n  version: 1.0\n  tested: true\n  count: 0x1F\n  empty:'));
      expect(result.ok).toBe(true);
      expect(result.manifest?.metadata).toEqual({ version: '1.0', tested: 'true', count: '0x1F', empty: '' });
      expect(result.warnings.map((w) => [w.path, w.code])).toEqual([
        ['metadata.version', 'coerced'],
        ['metadata.tested', 'coerced'],
        ['metadata.count', 'coerced'],
        ['metadata.empty', 'coerced'],
      ]);
      expect(result.warnings[0]?.message).toBe("metadata.version should be text; got the number 1, kept as '1.0' (quote the value to silence this)");
    });

    it('keeps lists and mappings as JSON text, with a warning', () => {
      const result = validateSkillManifest(skill('name: a\ndescription: b\nmetadata:\n  keywords: [pdf, forms]\n  versions:\n    next: "^15"'));
      expect(result.ok).toBe(true);
      expect(result.manifest?.metadata).toEqual({ keywords: '["pdf","forms"]', versions: '{"next":"^15"}' });
      expect(result.warnings.map((w) => w.path)).toEqual(['metadata.keywords', 'metadata.versions']);
    });

    it('must be a mapping', () => {
      const json = validateSkillManifest(skill(`name: a\ndescription: b\nmetadata: '{"openclaw":{"emoji":"x"}}'`));
      expect(json.errors).toMatchObject([{ path: 'metadata', code: 'type', line: 4 }]);
      expect(json.errors[0]?.message).toContain(`got the text '{"openclaw"`);
      expect(validateSkillManifest(skill('name: a\ndescription: b\nmetadata: [a]')).errors).toMatchObject([{ path: 'metadata', code: 'type' }]);
      const empty = validateSkillManifest(skill('name: a\ndescription: b\nmetadata:'));
      expect(empty.ok).toBe(true);
      expect(empty.warnings).toMatchObject([{ path: 'metadata', code: 'empty' }]);
    });

    it('keeps a __proto__ key as data', () => {
      const result = validateSkillManifest(skill('name: a\ndescription: b\nmetadata:\n  __proto__: x\n__proto__: y'));
      expect(result.ok).toBe(true);
      expect(Object.getPrototypeOf(result.manifest?.metadata)).toBe(Object.prototype);
      expect(Object.keys(result.manifest?.metadata ?? {})).toEqual(['__proto__']);
      expect(Object.keys(result.manifest?.extra ?? {})).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });
  });

  describe('allowed-tools', () => {
    const tools = (value: string) => validateSkillManifest(skill(`name: a\ndescription: b\nallowed-tools: ${value}`));

    it('reads space-separated, comma-separated and list forms', () => {
      expect(tools('Read Grep Bash').manifest?.allowedTools).toEqual(['Read', 'Grep', 'Bash']);
      expect(tools('Read, Grep,Bash').manifest?.allowedTools).toEqual(['Read', 'Grep', 'Bash']);
      expect(tools('\n  - Read\n  - WebFetch(domain:linear.app)').manifest?.allowedTools).toEqual(['Read', 'WebFetch(domain:linear.app)']);
      expect(tools('[Read, Write]').manifest?.allowedTools).toEqual(['Read', 'Write']);
    });

    it('keeps spaces and commas inside parentheses', () => {
      expect(tools('Bash(git status:*) Bash(npm run test, lint) Read').manifest?.allowedTools).toEqual([
        'Bash(git status:*)',
        'Bash(npm run test, lint)',
        'Read',
      ]);
    });

    it('warns on an empty value and rejects mappings', () => {
      expect(tools('').warnings).toMatchObject([{ path: 'allowed-tools', code: 'empty' }]);
      expect(tools('{Read: yes}').errors).toMatchObject([{ path: 'allowed-tools', code: 'type' }]);
      expect(tools('[Read, {a: b}]').errors).toMatchObject([{ path: 'allowed-tools.1', code: 'type' }]);
      const number = tools('[Read, 42]');
      expect(number.manifest?.allowedTools).toEqual(['Read', '42']);
      expect(number.warnings).toMatchObject([{ path: 'allowed-tools.1', code: 'coerced' }]);
    });
  });

  it('keeps unknown top-level fields with a warning each', () => {
    const result = validateSkillManifest(skill('name: a\ndescription: b\nversion: 1.0.0\nuser-invocable: true\ntags: [x, y]'));
    expect(result.ok).toBe(true);
    expect(result.manifest?.extra).toEqual({ version: '1.0.0', 'user-invocable': true, tags: ['x', 'y'] });
    expect(result.warnings.map((w) => [w.path, w.code, w.line])).toEqual([
      ['version', 'unknown-field', 4],
      ['user-invocable', 'unknown-field', 5],
      ['tags', 'unknown-field', 6],
    ]);
    expect(result.warnings[0]?.message).toContain('metadata.version');
  });

  it('reports every error at once', () => {
    const result = validateSkillManifest(skill('name: Bad Name\ncompatibility: 7\nmetadata: x'), { folderName: 'bad-name' });
    expect(result.errors.map((e) => `${e.path}:${e.code}`)).toEqual([
      'name:pattern',
      'name:mismatch',
      'description:required',
      'compatibility:type',
      'metadata:type',
    ]);
  });

  it('escapes control characters and cuts long values in messages', () => {
    const result = validateSkillManifest(skill(`name: "bad\\tname\\u0001${'x'.repeat(100)}"\ndescription: b`));
    const message = result.errors.find((e) => e.code === 'pattern')?.message ?? '';
    expect(message).toContain("got 'bad\\tname\\u0001xxx");
    expect(message).toMatch(/…'$/);
  });
});

describe('skillNameSchema', () => {
  it('is the same rule for forms', () => {
    expect(skillNameSchema.safeParse('pdf-tools').success).toBe(true);
    expect(skillNameSchema.safeParse('PDF Tools').error?.issues[0]?.message).toContain('lowercase letters, digits and single hyphens');
  });
});

describe('splitAllowedTools', () => {
  it('tolerates unbalanced parentheses', () => {
    expect(splitAllowedTools('Bash(git Read')).toEqual(['Bash(git Read']);
    expect(splitAllowedTools('Read) Grep')).toEqual(['Read)', 'Grep']);
    expect(splitAllowedTools('  ')).toEqual([]);
  });
});

describe('deriveSkillVersion', () => {
  it('returns metadata.version when it is semver', () => {
    expect(deriveSkillVersion({ metadata: { version: '1.2.3' } })).toBe('1.2.3');
    expect(deriveSkillVersion({ metadata: { version: ' 2.0.0-beta.1+build.5 ' } })).toBe('2.0.0-beta.1+build.5');
  });

  it('returns null otherwise', () => {
    for (const version of ['1.0', 'v1.2.3', '01.2.3', '1.2.3-', 'latest', '', '1.2.3.4']) {
      expect(deriveSkillVersion({ metadata: { version } }), version).toBeNull();
    }
    expect(deriveSkillVersion({ metadata: {} })).toBeNull();
  });

  it('reads a validated manifest', () => {
    const result = validateSkillManifest(skill('name: a\ndescription: b\nmetadata:\n  version: 1.4.0'));
    expect(result.manifest && deriveSkillVersion(result.manifest)).toBe('1.4.0');
  });
});
