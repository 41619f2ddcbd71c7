/**
 * SKILL.md parsing and validation to the Agent Skills specification
 * (https://agentskills.io/specification). Pure functions with no node-only imports: the skill
 * editor runs them on every keystroke in the browser, and publishing runs them on the server.
 *
 * Choices where real skills and the specification disagree (the public corpus decided them):
 * - `metadata` must be a mapping (an error otherwise). Its values should be strings: a number,
 *   boolean or null is kept as its YAML source text (`1.0` stays "1.0") and a list or mapping is
 *   kept as its JSON text, each with a warning. Published skills do both, so neither is an error.
 * - `<` or `>` in `description` is a warning, not an error: the specification allows them
 *   (Anthropic's skill-creator checker does not), and published skills use them (`<Name>.flow.ts`).
 * - Top-level fields outside the specification are kept in `extra` and reported as warnings.
 * - Lengths count Unicode code points, as the specification's reference validator does, after
 *   trimming the line break a YAML block scalar (`description: >`) ends with.
 */
import { CST, isMap, isScalar, Lexer, LineCounter, parseDocument, type Document, type YAMLMap } from 'yaml';
import { z } from 'zod';

export const SKILL_NAME_MAX_LENGTH = 64;
export const SKILL_DESCRIPTION_MAX_LENGTH = 1024;
export const SKILL_COMPATIBILITY_MAX_LENGTH = 500;
/** Not in the specification: a guard so a pasted megabyte cannot stall the editor (real ones are < 8 KiB). */
export const SKILL_FRONTMATTER_MAX_LENGTH = 64 * 1024;
/** YAML errors past the first few are echoes of the first; a person needs the first. */
const MAX_YAML_ERRORS = 5;
/** Real frontmatter nests a few levels; the YAML parser recurses per level and overflows past ~800. */
const MAX_FLOW_NESTING = 64;
const MAX_BLOCK_NESTING = 128;
export const SKILL_NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** The top-level fields the specification defines; anything else is kept with a warning. */
export const SKILL_SPEC_FIELDS = ['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools'] as const;

/** Semantic Versioning 2.0.0, the regular expression published on semver.org. */
const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

const codePointLength = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** A skill name: what the folder, the URL slug and the agent all call the skill. */
export const skillNameSchema = z
  .string()
  .min(1, { message: 'name must not be empty' })
  .max(SKILL_NAME_MAX_LENGTH, { message: `name must be at most ${SKILL_NAME_MAX_LENGTH} characters` })
  .regex(SKILL_NAME_PATTERN, {
    message: 'name must be lowercase letters, digits and single hyphens (^[a-z0-9]+(-[a-z0-9]+)*$)',
  });

/** The normalised manifest of a valid SKILL.md (`allowed-tools` becomes `allowedTools`). */
export const skillManifestSchema = z.object({
  name: skillNameSchema,
  description: z
    .string()
    .refine((s) => s.trim().length > 0, { message: 'description must not be empty' })
    .refine((s) => codePointLength(s) <= SKILL_DESCRIPTION_MAX_LENGTH, {
      message: `description must be at most ${SKILL_DESCRIPTION_MAX_LENGTH} characters`,
    }),
  license: z.string().optional(),
  compatibility: z
    .string()
    .refine((s) => codePointLength(s) <= SKILL_COMPATIBILITY_MAX_LENGTH, {
      message: `compatibility must be at most ${SKILL_COMPATIBILITY_MAX_LENGTH} characters`,
    })
    .optional(),
  metadata: z.record(z.string(), z.string()),
  allowedTools: z.array(z.string()),
  /** Top-level fields outside the specification, as parsed. */
  extra: z.record(z.string(), z.unknown()),
});
export type SkillManifest = z.infer<typeof skillManifestSchema>;

export type ManifestIssueCode =
  | 'missing-frontmatter'
  | 'unclosed-frontmatter'
  | 'yaml-syntax'
  | 'yaml-warning'
  | 'required'
  | 'type'
  | 'empty'
  | 'too-long'
  | 'pattern'
  | 'mismatch'
  | 'unknown-field'
  | 'coerced'
  | 'angle-brackets'
  | 'invalid-input'
  /** A defect in this module or the YAML library, reported instead of thrown. */
  | 'unexpected';

/** One problem found in a SKILL.md. `path` names the field (`name`, `metadata.version`, `frontmatter`). */
export interface ManifestIssue {
  path: string;
  message: string;
  code: ManifestIssueCode;
  /** 1-based line in the SKILL.md file, when known. */
  line?: number;
}

export type SkillMarkdownParseResult =
  | {
      ok: true;
      /** The frontmatter as plain data (YAML 1.2 core schema). */
      frontmatter: Record<string, unknown>;
      /** The markdown after the closing fence, with line endings normalised to `\n`. */
      body: string;
      /** The YAML text between the fences. */
      raw: string;
      /** 1-based line of the file where `body` starts. */
      bodyLine: number;
    }
  | { ok: false; errors: ManifestIssue[] };

export interface SkillManifestValidation {
  ok: boolean;
  /** Set when `ok`: the normalised manifest. */
  manifest: SkillManifest | null;
  errors: ManifestIssue[];
  warnings: ManifestIssue[];
}

/** Quotes a value for a message: control characters escaped, long values cut to `max` code points. */
function quote(value: string, max = 60): string {
  const points = Array.from(value.length > max * 4 ? value.slice(0, max * 4) : value);
  let shown = points.slice(0, max).join('');
  if (points.length > max) shown += '…';
  shown = shown.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return `'${shown}'`;
}

/** Names the kind of a parsed YAML value for messages ("a list", "the number 3"). */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${quote(value)}`;
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return `the boolean ${String(value)}`;
  return typeof value;
}

interface ParsedFrontmatter {
  frontmatter: Record<string, unknown>;
  body: string;
  raw: string;
  bodyLine: number;
  doc: Document.Parsed;
  /** Maps an offset in `raw` to a 1-based line of the file. */
  lineOf: (offset: number | undefined) => number | undefined;
  yamlWarnings: ManifestIssue[];
}

const FENCE = /^---[ \t]*$/;

function parseFrontmatter(input: unknown): { ok: true; value: ParsedFrontmatter } | { ok: false; errors: ManifestIssue[] } {
  if (typeof input !== 'string') {
    return { ok: false, errors: [{ path: 'file', code: 'invalid-input', message: `SKILL.md must be text; got ${describeValue(input)}` }] };
  }
  let text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  text = text.replace(/\r\n?/g, '\n');

  const firstBreak = text.indexOf('\n');
  const openingLine = firstBreak === -1 ? text : text.slice(0, firstBreak);
  if (!FENCE.test(openingLine)) {
    const lines = text.split('\n', 50);
    const firstContentAt = lines.findIndex((l) => l.trim() !== '');
    const firstContent = lines[firstContentAt] ?? '';
    const message =
      firstContentAt > 0 && FENCE.test(firstContent)
        ? `frontmatter must be the first thing in the file: remove the ${firstContentAt} blank line(s) before the '---' on line ${firstContentAt + 1}`
        : `SKILL.md must start with YAML frontmatter between '---' lines (name: and description:); the file starts with ${firstContent === '' ? 'nothing' : quote(firstContent)}`;
    return { ok: false, errors: [{ path: 'frontmatter', code: 'missing-frontmatter', message, line: 1 }] };
  }

  const rawStart = firstBreak + 1;
  let closeStart = -1;
  let closeEnd = -1;
  let lineNo = 2;
  for (let pos = rawStart; firstBreak !== -1 && pos <= text.length; lineNo++) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    if (FENCE.test(text.slice(pos, end))) {
      closeStart = pos;
      closeEnd = nl === -1 ? text.length : nl + 1;
      break;
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  if (closeStart === -1) {
    return {
      ok: false,
      errors: [
        {
          path: 'frontmatter',
          code: 'unclosed-frontmatter',
          message: "frontmatter is not closed: add a line with only '---' after the last field",
          line: 1,
        },
      ],
    };
  }

  const raw = text.slice(rawStart, closeStart);
  const body = text.slice(closeEnd);
  const bodyLine = lineNo + 1;
  if (raw.length > SKILL_FRONTMATTER_MAX_LENGTH) {
    return {
      ok: false,
      errors: [
        {
          path: 'frontmatter',
          code: 'too-long',
          message: `frontmatter must be at most ${SKILL_FRONTMATTER_MAX_LENGTH} characters; got ${raw.length} (move long content into the body or a reference file)`,
          line: 1,
        },
      ],
    };
  }
  // Checked before parsing: where the parser's stack overflows depends on the JIT, so letting it
  // fail would make the same text give different errors from one call to the next.
  if (nestingTooDeep(raw)) return { ok: false, errors: [tooDeep()] };
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(raw, { lineCounter, prettyErrors: true, uniqueKeys: true, resolveKnownTags: false, logLevel: 'silent' });
  } catch (error) {
    // The YAML parser recurses per nesting level; thousands of levels overflow the stack.
    if (error instanceof RangeError) return { ok: false, errors: [tooDeep()] };
    throw error;
  }
  // The YAML starts on line 2 of the file, right after the opening fence.
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line + 1);

  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.slice(0, MAX_YAML_ERRORS).map((e) => e.message.includes('Maximum call stack') ? tooDeep() : ({
        path: 'frontmatter',
        code: 'yaml-syntax' as const,
        message: `frontmatter is not valid YAML on line ${lineOf(e.pos[0]) ?? 2}: ${firstLine(e.message)}${yamlHint(e.message)}`,
        line: lineOf(e.pos[0]),
      })),
    };
  }
  const yamlWarnings: ManifestIssue[] = doc.warnings.slice(0, MAX_YAML_ERRORS).map((w) => ({
    path: 'frontmatter',
    code: 'yaml-warning' as const,
    message: `frontmatter YAML on line ${lineOf(w.pos[0]) ?? 2}: ${firstLine(w.message)}`,
    line: lineOf(w.pos[0]),
  }));

  if (doc.contents !== null && !isMap(doc.contents)) {
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch {
      value = undefined;
    }
    return {
      ok: false,
      errors: [
        {
          path: 'frontmatter',
          code: 'type',
          message: `frontmatter must be a YAML mapping of fields (name: …, description: …); got ${describeValue(value)}`,
          line: 2,
        },
      ],
    };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (error instanceof RangeError && error.message.includes('Maximum call stack')) return { ok: false, errors: [tooDeep()] };
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ path: 'frontmatter', code: 'yaml-syntax', message: `frontmatter could not be read: ${reason}`, line: 2 }] };
  }
  const frontmatter = (data ?? {}) as Record<string, unknown>; // a YAML mapping (checked above) or empty
  return { ok: true, value: { frontmatter, body, raw, bodyLine, doc, lineOf, yamlWarnings } };
}

/**
 * Estimates nesting with YAML's own lexer (which does not recurse): flow depth counts open `[`
 * and `{`; block depth is bounded by a structural line's indentation plus its `-`, `?`, `:` marks.
 */
function nestingTooDeep(raw: string): boolean {
  let flow = 0;
  let indent = 0;
  let indicators = 0;
  let lineStart = true;
  let skipScalarSource = false;
  for (const token of new Lexer().lex(raw)) {
    if (skipScalarSource) {
      skipScalarSource = false; // the text of a scalar, block scalars included: not structure
      continue;
    }
    switch (CST.tokenType(token)) {
      case 'scalar':
        skipScalarSource = true;
        lineStart = false;
        break;
      case 'flow-seq-start':
      case 'flow-map-start':
        if (++flow > MAX_FLOW_NESTING) return true;
        break;
      case 'flow-seq-end':
      case 'flow-map-end':
        flow = Math.max(0, flow - 1);
        break;
      case 'newline':
        lineStart = true;
        indent = 0;
        indicators = 0;
        break;
      case 'space':
        if (lineStart) indent = token.length;
        break;
      case 'seq-item-ind':
      case 'explicit-key-ind':
      case 'map-value-ind':
        indicators++;
        lineStart = false;
        break;
      default:
        lineStart = false;
    }
    if (indent + indicators > MAX_BLOCK_NESTING) return true;
  }
  return false;
}

function tooDeep(): ManifestIssue {
  return {
    path: 'frontmatter',
    code: 'yaml-syntax',
    message: `frontmatter is nested too deeply: at most ${MAX_FLOW_NESTING} levels of [ ] and { }, and lines indented at most ${MAX_BLOCK_NESTING} spaces`,
    line: 2,
  };
}

/** The first line of a YAML library message, without its own (YAML-relative) position. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?\s*$/, '');
}

/** The usual cause of the two YAML errors real SKILL.md files make. */
function yamlHint(message: string): string {
  if (/mapping values are not allowed|Nested mappings are not allowed in compact mappings/i.test(message)) {
    return " (a plain value contains ': '; put the value in quotes or use a '>' block)";
  }
  if (/cannot start any token|reserved/i.test(message)) {
    return ' (a plain value starts with a reserved character such as @ or `; put the value in quotes)';
  }
  return '';
}

/** Splits the frontmatter from the markdown of a SKILL.md and parses it. Never throws. */
export function parseSkillMarkdown(text: string): SkillMarkdownParseResult {
  try {
    const parsed = parseFrontmatter(text);
    if (!parsed.ok) return parsed;
    const { frontmatter, body, raw, bodyLine } = parsed.value;
    return { ok: true, frontmatter, body, raw, bodyLine };
  } catch (error) {
    return { ok: false, errors: [unexpected(error)] };
  }
}

function unexpected(error: unknown): ManifestIssue {
  // The YAML library is not supposed to throw on any input; if it does, report, don't crash the editor.
  const reason = error instanceof Error ? error.message : String(error);
  return { path: 'frontmatter', code: 'unexpected', message: `frontmatter could not be read: ${reason}` };
}

/** Splits `allowed-tools` text on commas and whitespace outside parentheses: `Bash(git status:*) Read`. */
export function splitAllowedTools(text: string): string[] {
  const tools: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    if (depth === 0 && (ch === ',' || /\s/.test(ch))) {
      if (current !== '') tools.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim() !== '') tools.push(current.trim());
  return tools;
}

/**
 * Validates a SKILL.md to the Agent Skills specification. `folderName` is the folder that holds
 * the file; when given, `name` must equal it. Never throws: every problem is an error or warning.
 */
export function validateSkillManifest(text: string, options: { folderName?: string } = {}): SkillManifestValidation {
  try {
    // Parsed here, not in validateParsed, so both entry points meet the parser at the same stack depth.
    const parsed = parseFrontmatter(text);
    if (!parsed.ok) return { ok: false, manifest: null, errors: parsed.errors, warnings: [] };
    return validateParsed(parsed.value, options);
  } catch (error) {
    return { ok: false, manifest: null, errors: [unexpected(error)], warnings: [] };
  }
}

function validateParsed(parsed: ParsedFrontmatter, options: { folderName?: string }): SkillManifestValidation {
  const { frontmatter, doc, lineOf, yamlWarnings } = parsed;
  const errors: ManifestIssue[] = [];
  const warnings: ManifestIssue[] = [...yamlWarnings];
  const map = isMap(doc.contents) ? (doc.contents as YAMLMap) : null;
  const lineOfField = (key: string): number | undefined => {
    const pair = map?.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    const node = pair?.key as { range?: [number, number, number] } | undefined;
    return lineOf(node?.range?.[0]);
  };
  const has = (key: string) => Object.prototype.hasOwnProperty.call(frontmatter, key);
  const fieldOf = (path: string) => path.split('.')[0] ?? path;
  const err = (path: string, code: ManifestIssueCode, message: string, field = fieldOf(path)) =>
    errors.push({ path, code, message, line: lineOfField(field) });
  const warn = (path: string, code: ManifestIssueCode, message: string, field = fieldOf(path)) =>
    warnings.push({ path, code, message, line: lineOfField(field) });

  // name
  const name = frontmatter.name;
  if (!has('name') || name === null || name === undefined) {
    const hint = options.folderName && SKILL_NAME_PATTERN.test(options.folderName) ? `name: ${options.folderName}` : 'name: my-skill';
    err('name', 'required', `name is required: add '${hint}' to the frontmatter (lowercase letters, digits and hyphens)`);
  } else if (typeof name !== 'string') {
    err('name', 'type', `name must be a text value such as 'my-skill'; got ${describeValue(name)}`);
  } else if (name.length === 0) {
    err('name', 'empty', "name must not be empty; got ''");
  } else {
    const length = codePointLength(name);
    if (length > SKILL_NAME_MAX_LENGTH) {
      err('name', 'too-long', `name must be at most ${SKILL_NAME_MAX_LENGTH} characters; got ${length} characters (${quote(name)})`);
    }
    if (!SKILL_NAME_PATTERN.test(name)) {
      err('name', 'pattern', `name must be lowercase letters, digits and single hyphens (^[a-z0-9]+(-[a-z0-9]+)*$); got ${quote(name)}`);
    }
    if (options.folderName !== undefined && name !== options.folderName) {
      err(
        'name',
        'mismatch',
        `name must equal the skill's folder name ${quote(options.folderName)}; got ${quote(name)} (rename the folder or change the name)`,
      );
    }
  }

  // description
  const rawDescription = frontmatter.description;
  // A block scalar ('>' or '|') ends with a line break that is YAML syntax, not text: trim it.
  const description = typeof rawDescription === 'string' ? rawDescription.trim() : '';
  if (!has('description') || rawDescription === null || rawDescription === undefined) {
    err('description', 'required', 'description is required: add a description of what the skill does and when to use it (at most 1024 characters)');
  } else if (typeof rawDescription !== 'string') {
    err('description', 'type', `description must be text; got ${describeValue(rawDescription)}`);
  } else if (description.length === 0) {
    err('description', 'empty', 'description must not be empty: say what the skill does and when to use it');
  } else {
    const length = codePointLength(description);
    if (length > SKILL_DESCRIPTION_MAX_LENGTH) {
      err(
        'description',
        'too-long',
        `description must be at most ${SKILL_DESCRIPTION_MAX_LENGTH} characters; got ${length} characters (${quote(description, 40)})`,
      );
    }
    if (/[<>]/.test(description)) {
      const at = description.search(/[<>]/);
      warn(
        'description',
        'angle-brackets',
        `description should not contain '<' or '>' (some agents reject them); got ${quote(description.slice(Math.max(0, at - 20)), 40)}`,
      );
    }
  }

  // license
  let license: string | undefined;
  if (has('license')) {
    const value = frontmatter.license;
    if (typeof value === 'string') {
      license = value;
      if (value.trim() === '') warn('license', 'empty', "license is empty: name a licence (e.g. 'MIT') or remove the field");
    } else if (value === null || value === undefined) {
      warn('license', 'empty', "license is empty: name a licence (e.g. 'MIT') or remove the field");
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      license = scalarSource(map, 'license') ?? String(value);
      warn('license', 'coerced', `license should be text; got ${describeValue(value)}, kept as '${license}'`);
    } else {
      err('license', 'type', `license must be text such as 'MIT' or 'Proprietary. LICENSE.txt has complete terms'; got ${describeValue(value)}`);
    }
  }

  // compatibility
  let compatibility: string | undefined;
  if (has('compatibility')) {
    const value = frontmatter.compatibility;
    if (typeof value !== 'string') {
      err('compatibility', value === null ? 'empty' : 'type', `compatibility must be text of 1 to ${SKILL_COMPATIBILITY_MAX_LENGTH} characters, or left out; got ${describeValue(value)}`);
    } else if (value.trim() === '') {
      err('compatibility', 'empty', `compatibility must be text of 1 to ${SKILL_COMPATIBILITY_MAX_LENGTH} characters, or left out; got ''`);
    } else {
      const text = value.trim();
      const length = codePointLength(text);
      if (length > SKILL_COMPATIBILITY_MAX_LENGTH) {
        err(
          'compatibility',
          'too-long',
          `compatibility must be at most ${SKILL_COMPATIBILITY_MAX_LENGTH} characters; got ${length} characters (${quote(text, 40)})`,
        );
      } else {
        compatibility = text;
      }
    }
  }

  // metadata
  const metadata: Record<string, string> = {};
  if (has('metadata')) {
    const value = frontmatter.metadata;
    if (value === null || value === undefined) {
      warn('metadata', 'empty', 'metadata is empty: add key: value lines under it or remove the field');
    } else if (typeof value !== 'object' || Array.isArray(value)) {
      err('metadata', 'type', `metadata must be a mapping of keys to text values (metadata:\\n  author: …); got ${describeValue(value)}`);
    } else {
      const metadataNode = map?.get('metadata', true);
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        const path = `metadata.${key}`;
        if (typeof item === 'string') {
          setOwn(metadata, key, item);
        } else if (item === null || item === undefined || typeof item === 'number' || typeof item === 'boolean' || typeof item === 'bigint') {
          const source = isMap(metadataNode) ? scalarSource(metadataNode, key) : undefined;
          const text = source ?? (item === null || item === undefined ? '' : String(item));
          setOwn(metadata, key, text);
          warn(path, 'coerced', `${path} should be text; got ${describeValue(item)}, kept as '${text}' (quote the value to silence this)`);
        } else {
          setOwn(metadata, key, safeJson(item));
          warn(path, 'coerced', `${path} should be text; got ${describeValue(item)}, kept as its JSON text`);
        }
      }
    }
  }

  // allowed-tools
  let allowedTools: string[] = [];
  if (has('allowed-tools')) {
    const value = frontmatter['allowed-tools'];
    if (typeof value === 'string') {
      allowedTools = splitAllowedTools(value);
    } else if (value === null || value === undefined) {
      warn('allowed-tools', 'empty', 'allowed-tools is empty: list tools separated by spaces or remove the field');
    } else if (Array.isArray(value)) {
      value.forEach((tool, i) => {
        if (typeof tool === 'string') {
          if (tool.trim() !== '') allowedTools.push(tool.trim());
        } else if (typeof tool === 'number' || typeof tool === 'boolean') {
          allowedTools.push(String(tool));
          warn(`allowed-tools.${i}`, 'coerced', `allowed-tools item ${i + 1} should be text; got ${describeValue(tool)}`);
        } else {
          err(`allowed-tools.${i}`, 'type', `allowed-tools item ${i + 1} must be a tool name such as 'Read' or 'Bash(git:*)'; got ${describeValue(tool)}`);
        }
      });
    } else {
      err('allowed-tools', 'type', `allowed-tools must be tool names separated by spaces ('Read Grep Bash(git:*)') or a YAML list; got ${describeValue(value)}`);
    }
  }

  // other fields
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(frontmatter)) {
    if ((SKILL_SPEC_FIELDS as readonly string[]).includes(key)) continue;
    setOwn(extra, key, value);
    const hint = key === 'version' ? '; put it under metadata as metadata.version to set the skill version' : '';
    warn(key === '' ? 'frontmatter' : key, 'unknown-field', `${quote(key)} is not an Agent Skills field; it is kept but agents may ignore it${hint}`, key);
  }

  if (errors.length > 0) return { ok: false, manifest: null, errors, warnings };
  const manifest: SkillManifest = {
    name: name as string, // checked above: a string matching SKILL_NAME_PATTERN
    description,
    ...(license !== undefined ? { license } : {}),
    ...(compatibility !== undefined ? { compatibility } : {}),
    metadata,
    allowedTools,
    extra,
  };
  return { ok: true, manifest, errors, warnings };
}

/** The source text of a scalar under `key` (so `version: 1.0` reads "1.0", not "1"). */
function scalarSource(map: YAMLMap | null | undefined, key: string): string | undefined {
  const node = map?.get(key, true);
  return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
}

/** Sets an own property, so a key such as `__proto__` from YAML stays data. */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The skill's version: `metadata.version` when it is valid semver (e.g. "1.2.0"), else null. */
export function deriveSkillVersion(manifest: Pick<SkillManifest, 'metadata'>): string | null {
  const version = manifest.metadata.version?.trim();
  if (!version || version.length > 256) return null;
  return SEMVER_PATTERN.test(version) ? version : null;
}
