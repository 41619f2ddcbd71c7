import type { SafetyFinding, SafetyScan, SafetySeverity, SafetyVerdict } from '@everyskill/contracts';
import { textOfScannableFile, type ScannableFile } from '../secrets/scan-for-secrets';
import { BEHAVIOUR_RULES, CREDENTIAL_ACCESS, CREDENTIAL_KEYWORDS, EGRESS_STEPS, READ_VERB, type BehaviourRule } from './behaviour-rules';
import { findMixedScriptWords, originalOffset, scanHiddenUnicode, showHiddenCharacters } from './hidden-unicode';
import { hasSuspiciousDestination } from './hosts';

/**
 * The version of the rules. Bump it whenever a rule is added or changed: stored scans with an
 * older version are rescanned, and a version the new rules block is withheld.
 */
export const SAFETY_RULES_VERSION = '2026-12-06.2';

const MAX_FINDINGS = 300;
const MAX_PER_RULE_PER_FILE = 20;
const MAX_DECODED_CHARS = 1 << 20;
const PROXIMITY_LINES = 8;

/**
 * Scans a skill's files for behaviour aimed at the agent or its user's machine: hidden Unicode,
 * instructions to the agent, remote code, exfiltration, reverse shells, persistence and agent
 * configuration tampering. Pure and linear in the size of the bundle; binary files are skipped.
 */
export function scanSkillBundle(files: readonly ScannableFile[]): SafetyScan {
  const collector = new FindingCollector();
  for (const file of files) {
    const text = textOfScannableFile(file);
    if (text === null || text.length === 0) continue;
    scanFile(collector, file.path, text);
  }
  return collector.result();
}

/** The verdict of a list of findings: any block blocks, any warning warns. */
export function verdictOf(findings: readonly Pick<SafetyFinding, 'severity'>[]): SafetyVerdict {
  if (findings.some((f) => f.severity === 'block')) return 'blocked';
  if (findings.some((f) => f.severity === 'warn')) return 'warn';
  return 'clean';
}

const SEVERITY_RANK: Record<SafetySeverity, number> = { info: 0, warn: 1, block: 2 };

class FindingCollector {
  private readonly byKey = new Map<string, SafetyFinding>();
  private readonly perRule = new Map<string, number>();
  private omitted = 0;

  /** Whether a finding of this rule on this line would be kept (so the caller can skip locating it). */
  wants(file: string, line: number, ruleId: string, severity: SafetySeverity): boolean {
    const existing = this.byKey.get(`${file}\u0000${line}\u0000${ruleId}`);
    if (existing) return SEVERITY_RANK[severity] > SEVERITY_RANK[existing.severity];
    return this.byKey.size < MAX_FINDINGS;
  }

  add(finding: SafetyFinding): void {
    const key = `${finding.file}\u0000${finding.line}\u0000${finding.ruleId}`;
    const existing = this.byKey.get(key);
    if (existing) {
      if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[existing.severity]) this.byKey.set(key, finding);
      return;
    }
    const ruleKey = `${finding.file}\u0000${finding.ruleId}`;
    const count = this.perRule.get(ruleKey) ?? 0;
    if (count >= MAX_PER_RULE_PER_FILE || this.byKey.size >= MAX_FINDINGS) {
      this.omitted++;
      return;
    }
    this.perRule.set(ruleKey, count + 1);
    this.byKey.set(key, finding);
  }

  result(): SafetyScan {
    const findings = [...this.byKey.values()].sort(
      (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
    );
    return { rulesVersion: SAFETY_RULES_VERSION, verdict: verdictOf(findings), findings, ...(this.omitted > 0 ? { omitted: this.omitted } : {}) };
  }
}

/** Where findings of a segment are reported: the file, and for decoded text the place the carrier sits. */
interface Located {
  file: string;
  text: string;
  lineStarts: number[];
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineIndexOf(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

function lineText(text: string, lineStarts: readonly number[], index: number): string {
  const start = lineStarts[index] ?? 0;
  const next = lineStarts[index + 1];
  return text.slice(start, next === undefined ? text.length : next - 1);
}

/** A finding at `offset` of the file's original text: line, column in characters, and a visible excerpt. */
function locate(at: Located, offset: number): Pick<SafetyFinding, 'file' | 'line' | 'column' | 'excerpt'> {
  const index = lineIndexOf(at.lineStarts, offset);
  const start = at.lineStarts[index] ?? 0;
  const next = at.lineStarts[index + 1];
  const end = next === undefined ? at.text.length : next - 1;
  let column = offset - start + 1;
  if (offset - start < 4096) {
    // Count characters, not UTF-16 code units.
    for (let i = start; i < offset; i++) {
      const c = at.text.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff) column--;
    }
  }
  const from = Math.max(start, offset - 80);
  const to = Math.min(end, offset + 160);
  const excerpt = `${from > start ? '…' : ''}${showHiddenCharacters(at.text.slice(from, to)).trim()}${to < end ? '…' : ''}`;
  return { file: at.file, line: index + 1, column, excerpt: excerpt.slice(0, 400) };
}

/** Text the behaviour rules read: the file itself, or something decoded from it. */
interface Segment {
  text: string;
  /** Maps an offset of `text` to an offset of the file; decoded text maps everything to its carrier. */
  toFile: (offset: number) => number;
  /** The whole segment was hidden (decoded, or inside a comment): warnings become blocks. */
  hidden: boolean;
  /** For people: what was hidden and how it was found. */
  decoded?: string;
  /** Where invisible characters were taken out: pairs of (offset in `text`, offset in the file) after a leading (0, 0). */
  cuts: Int32Array;
  /** HTML comments in `text`, as sorted [start, end) pairs. */
  comments: readonly number[];
  depth: number;
}

function scanFile(collector: FindingCollector, path: string, text: string): void {
  const at: Located = { file: path, text, lineStarts: lineStartsOf(text) };
  const hidden = scanHiddenUnicode(text);
  for (const run of hidden.runs) {
    collector.add({
      ruleId: run.ruleId,
      severity: run.severity,
      category: 'hidden-unicode',
      message: run.message,
      ...locate(at, run.start),
      ...(run.decoded ? { decoded: run.decoded.slice(0, 2000) } : {}),
    });
    if (run.decoded && run.decoded.length > 0) {
      scanSegment(collector, at, { text: run.decoded, toFile: () => run.start, hidden: true, decoded: run.decoded.slice(0, 2000), cuts: NO_CUTS, comments: htmlComments(run.decoded), depth: 1 });
    }
  }
  const visible = hidden.visible ?? text;
  const segment: Segment = {
    text: visible,
    toFile: (offset) => originalOffset(hidden.segments, offset),
    hidden: false,
    cuts: hidden.segments,
    comments: htmlComments(visible),
    depth: 0,
  };
  scanSegment(collector, at, segment);
  judgeComments(collector, at, segment);
  if (/(?:^|\/)SKILL\.md$/i.test(path)) scanFrontmatter(collector, at);
}

const ALL_KEYWORDS = [...new Set([...BEHAVIOUR_RULES.flatMap((r) => r.keywords ?? []), ...EGRESS_STEPS.flatMap((e) => e.keywords), ...CREDENTIAL_KEYWORDS])];
const KEYWORD_PATTERN = new RegExp(`\\b${wordTrie(ALL_KEYWORDS)}\\b`, 'gi');

/**
 * One regular expression matching any of the words, written as a trie (`a(?:ws|zure)|b…`): the
 * engine picks the branch by the next letter instead of trying two hundred words at each place,
 * which makes the keyword pass several times faster than a plain alternation.
 */
function wordTrie(words: readonly string[]): string {
  const byFirst = new Map<string, string[]>();
  let endsHere = false;
  for (const word of words) {
    if (!/^[a-z0-9_]*$/.test(word)) throw new Error(`rule keyword '${word}' must be lowercase letters, digits and '_'`);
    if (word === '') endsHere = true;
    else byFirst.set(word[0]!, [...(byFirst.get(word[0]!) ?? []), word.slice(1)]);
  }
  const branches = [...byFirst].map(([first, rest]) => first + wordTrie(rest));
  if (branches.length === 0) return '';
  return branches.length === 1 && !endsHere ? branches[0]! : `(?:${branches.join('|')})${endsHere ? '?' : ''}`;
}

/**
 * Where the rule keywords are: for each keyword found, the lines it is on. A rule then reads only
 * the lines around its keywords instead of the whole text, which is what makes the scan fast on
 * ordinary skills, where most lines carry none of a rule's words.
 */
class KeywordLines {
  private readonly lines = new Map<string, number[]>();
  private readonly marks: Uint8Array;

  constructor(
    private readonly text: string,
    private readonly lineStarts: readonly number[],
  ) {
    this.marks = new Uint8Array(lineStarts.length);
    const pattern = new RegExp(KEYWORD_PATTERN.source, 'gi');
    let line = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      // Matches come in order, so the line only moves forward: one pass over the line starts in all.
      while (line + 1 < lineStarts.length && (lineStarts[line + 1] ?? 0) <= m.index) line++;
      const keyword = m[0].toLowerCase();
      const list = this.lines.get(keyword);
      if (list === undefined) this.lines.set(keyword, [line]);
      else if (list[list.length - 1] !== line) list.push(line);
    }
  }

  /** Whether any of the keywords is in the text (no keywords: the rule always runs). */
  any(keywords: readonly string[] | undefined): boolean {
    return !keywords || keywords.some((k) => this.lines.has(k));
  }

  /**
   * The [start, end) ranges of the text a rule with these keywords must read: each line with one
   * of them and the lines either side (a match may wrap onto the next line), merged and in order.
   */
  regions(keywords: readonly string[] | undefined): number[] {
    if (!keywords) return [0, this.text.length];
    // When the keywords are on most lines, reading the whole text once is cheaper than marking them.
    let listed = 0;
    for (const k of keywords) listed += this.lines.get(k)?.length ?? 0;
    if (listed * 4 >= this.lineStarts.length) return [0, this.text.length];
    const marks = this.marks;
    const last = marks.length - 1;
    let low = marks.length;
    let high = -1;
    for (const k of keywords) {
      for (const line of this.lines.get(k) ?? []) {
        const from = Math.max(0, line - 1);
        const to = Math.min(last, line + 1);
        for (let l = from; l <= to; l++) marks[l] = 1;
        if (from < low) low = from;
        if (to > high) high = to;
      }
    }
    const ranges: number[] = [];
    for (let l = low; l <= high; l++) {
      if (marks[l] === 0) continue;
      const start = this.lineStarts[l] ?? 0;
      while (l <= high && marks[l] === 1) marks[l++] = 0;
      const next = this.lineStarts[l];
      ranges.push(start, next === undefined ? this.text.length : next - 1);
    }
    return ranges;
  }
}

/** Runs the behaviour rules, the proximity rules and the decoders over one segment. */
function scanSegment(collector: FindingCollector, at: Located, segment: Segment): void {
  const starts = segment.depth === 0 && segment.text === at.text ? at.lineStarts : lineStartsOf(segment.text);
  const keywords = new KeywordLines(segment.text, starts);
  for (const rule of BEHAVIOUR_RULES) if (keywords.any(rule.keywords)) applyRule(collector, at, segment, rule, keywords.regions(rule.keywords));
  applyProximityRules(collector, at, segment, starts, keywords);
  if (segment.depth < 2) scanEncodedPayloads(collector, at, segment);
}

/**
 * Calls `found(start, end)` for each place where `steps` match in order on one line, the later ones
 * within `window` characters of the first. After a look the search goes on past the window, so
 * every character is read a bounded number of times per step: linear on any input.
 */
export function findStepSequences(
  text: string,
  steps: readonly RegExp[],
  window: number,
  found: (start: number, end: number) => boolean | void,
  regions: readonly number[] = [0, text.length],
): void {
  const first = new RegExp(steps[0]!.source, 'gi');
  const rest = steps.slice(1).map((step) => new RegExp(step.source, 'gi'));
  for (let r = 0; r < regions.length; r += 2) {
    const offset = regions[r] ?? 0;
    // A slice of a flat string is a view, not a copy; offsets are mapped back to the whole text.
    const region = offset === 0 && regions[r + 1] === text.length ? text : text.slice(offset, regions[r + 1]);
    first.lastIndex = 0;
    if (!findStepsIn(region, first, rest, window, (start, end) => found(start + offset, end + offset))) return;
  }
}

/** findStepSequences over one text; false when `found` asked to stop. */
function findStepsIn(text: string, first: RegExp, rest: readonly RegExp[], window: number, found: (start: number, end: number) => boolean | void): boolean {
  let lineEnd = -1;
  for (let m = first.exec(text); m !== null; m = first.exec(text)) {
    const start = m.index;
    let end = start + Math.max(1, m[0].length);
    if (start > lineEnd) {
      lineEnd = text.indexOf('\n', start);
      if (lineEnd === -1) lineEnd = text.length;
    }
    const limit = Math.min(lineEnd, start + window);
    let matched = true;
    if (rest.length > 0) {
      const view = text.slice(end, limit);
      let from = 0;
      for (const step of rest) {
        step.lastIndex = from;
        const s = step.exec(view);
        if (!s) {
          matched = false;
          break;
        }
        from = s.index + Math.max(1, s[0].length);
      }
      end += from;
    }
    if (matched && found(start, Math.min(end, text.length)) === false) return false;
    // A miss or a hit covers the window; the next look starts after it (a single-step rule after its match).
    first.lastIndex = rest.length === 0 ? end : Math.max(end, limit);
  }
  return true;
}

function applyRule(collector: FindingCollector, at: Located, segment: Segment, rule: BehaviourRule, regions: readonly number[]): void {
  const text = segment.text;
  let count = 0;
  findStepSequences(text, rule.steps, rule.window ?? 400, (start, end) => {
    if (++count > 200) return false;
    const match = text.slice(start, end);
    const line = lineAround(text, start);
    const quoted = isQuoted(text, start, end);
    let severity = rule.refine
      ? rule.refine({ match, line, quoted, around: text.slice(Math.max(0, start - 600), end + 600), before: text.slice(Math.max(0, start - 40), start) })
      : rule.severity;
    if (severity === null) return;
    const concealed = segment.hidden || inRanges(segment.comments, start) || cutWithin(segment.cuts, start, end);
    if (concealed && severity === 'warn') severity = 'block';
    const message = concealed && !segment.hidden ? `${rule.message} (written with hidden characters or inside an HTML comment)` : rule.message;
    const fileOffset = segment.toFile(start);
    if (!collector.wants(at.file, lineIndexOf(at.lineStarts, fileOffset) + 1, rule.id, severity)) return;
    collector.add({
      ruleId: rule.id,
      severity,
      category: rule.category,
      message,
      ...locate(at, fileOffset),
      ...(segment.decoded ? { decoded: segment.decoded } : {}),
    });
  }, regions);
}

/** Credential access near network egress, and credential reads on their own. */
function applyProximityRules(collector: FindingCollector, at: Located, segment: Segment, starts: readonly number[], keywords: KeywordLines): void {
  const text = segment.text;
  if (!keywords.any(CREDENTIAL_KEYWORDS)) return;
  const egressLines: number[] = [];
  for (const egress of EGRESS_STEPS) {
    if (!keywords.any(egress.keywords)) continue;
    findStepSequences(
      text,
      egress.steps,
      400,
      (start) => {
        egressLines.push(lineIndexOf(starts, start));
        return egressLines.length < 10_000;
      },
      keywords.regions(egress.keywords),
    );
  }
  egressLines.sort((x, y) => x - y);
  const credential = new RegExp(CREDENTIAL_ACCESS.source, 'gi');
  let count = 0;
  findStepSequences(text, [credential], 0, (start, end) => {
    if (++count > 200) return false;
    const matched = text.slice(start, end);
    const index = lineIndexOf(starts, start);
    const line = lineText(text, starts, index).slice(0, 4000);
    const near = hasNear(egressLines, index) || hasSuspiciousDestination(line);
    const read = READ_VERB.test(line.replace(matched, ' '));
    if (!near && !read) return;
    let severity: SafetySeverity = near ? 'block' : 'warn';
    if (severity === 'warn' && (segment.hidden || inRanges(segment.comments, start))) severity = 'block';
    collector.add({
      ruleId: near ? 'credential-exfiltration' : 'credential-access',
      severity,
      category: 'exfiltration',
      message: near
        ? `reads credentials or private data (${matched.trim()}) and sends data over the network nearby`
        : `reads credentials or private data (${matched.trim()})`,
      ...locate(at, segment.toFile(start)),
      ...(segment.decoded ? { decoded: segment.decoded } : {}),
    });
  }, keywords.regions(CREDENTIAL_KEYWORDS));
}

function hasNear(sortedLines: readonly number[], line: number): boolean {
  let low = 0;
  let high = sortedLines.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sortedLines[mid] ?? 0) < line - PROXIMITY_LINES) low = mid + 1;
    else high = mid;
  }
  const found = sortedLines[low];
  return found !== undefined && found <= line + PROXIMITY_LINES;
}

/** Base64, escaped hex and character-code chains: decoded and read by the rules as hidden text. */
function scanEncodedPayloads(collector: FindingCollector, at: Located, segment: Segment): void {
  const text = segment.text;
  let budget = MAX_DECODED_CHARS;
  const visit = (index: number, decoded: string, how: string) => {
    if (decoded.length < 12 || budget <= 0) return;
    budget -= decoded.length;
    const base = segment.toFile(index);
    scanSegment(collector, at, {
      text: decoded,
      toFile: () => base,
      hidden: true,
      decoded: `${how}: ${showHiddenCharacters(decoded.slice(0, 1000))}`,
      cuts: NO_CUTS,
      comments: htmlComments(decoded),
      depth: segment.depth + 1,
    });
  };
  // Runs of 32 or more base64 letters. Any such run covers one of every 32nd place, so only those
  // places are looked at and a run is widened from there: most of the text is never read.
  const n = text.length;
  for (let probe = BASE64_RUN - 1, floor = 0; probe < n && budget > 0; ) {
    if (!isBase64Char(text.charCodeAt(probe))) {
      floor = probe + 1;
      probe += BASE64_RUN;
      continue;
    }
    let start = probe;
    while (start > floor && isBase64Char(text.charCodeAt(start - 1))) start--;
    let end = probe + 1;
    while (end < n && isBase64Char(text.charCodeAt(end))) end++;
    if (end - start >= BASE64_RUN) {
      const decoded = decodeBase64Text(text.slice(start, Math.min(end, start + 65536)));
      if (decoded) visit(start, decoded, 'decoded from base64');
    }
    floor = end + 1;
    probe = end + BASE64_RUN;
  }
  // The two patterns below start on fixed text: a plain search decides whether to run them at all.
  const hasHex = text.indexOf('\\x') !== -1;
  const hasCharCodes = text.indexOf('fromCharCode') !== -1 || text.indexOf('[char]') !== -1 || text.indexOf('chr') !== -1;
  for (const m of hasHex ? text.matchAll(/(?:\\x[0-9a-fA-F]{2}){8,}/g) : []) {
    if (budget <= 0) break;
    const decoded = m[0]
      .slice(0, 65536)
      .split('\\x')
      .filter(Boolean)
      .map((h) => String.fromCharCode(parseInt(h, 16)))
      .join('');
    if (isReadable(decoded)) visit(m.index ?? 0, decoded, 'decoded from hex escapes');
  }
  for (const m of hasCharCodes ? text.matchAll(/(?:fromCharCode\s*\(|\[char\]\s*|\bchr\s*\()\s*(?:0x)?[0-9a-fA-F]{1,4}[^\n]{0,20000}/g) : []) {
    if (budget <= 0) break;
    const codes = [...m[0].matchAll(/(?:fromCharCode\s*\(|\[char\]\s*|\bchr\s*\(|,)\s*((?:0x)?[0-9a-fA-F]{1,4})\b/g)].map((c) => Number(c[1]!.startsWith('0x') ? parseInt(c[1]!, 16) : c[1]));
    const decoded = String.fromCharCode(...codes.slice(0, 4096).filter((c) => Number.isFinite(c) && c < 0x10000));
    if (codes.length >= 8 && isReadable(decoded)) visit(m.index ?? 0, decoded, 'decoded from character codes');
  }
}

const BASE64_RUN = 32;

function isBase64Char(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f || c === 0x5f || c === 0x2d || c === 0x3d;
}

function decodeBase64Text(candidate: string): string | null {
  const standard = candidate.replace(/-/g, '+').replace(/_/g, '/');
  const decoded = Buffer.from(standard, 'base64').toString('latin1');
  return isReadable(decoded) ? decoded : null;
}

function isReadable(text: string): boolean {
  if (text.length < 12) return false;
  let readable = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 9 || c === 10 || c === 13) readable++;
  }
  return readable >= text.length * 0.95 && /[ ;|/.(]/.test(text);
}

/** [start, end) pairs of every `<!-- … -->` in the text. */
function htmlComments(text: string): number[] {
  const ranges: number[] = [];
  for (let start = text.indexOf('<!--'); start !== -1 && ranges.length < 20_000; start = text.indexOf('<!--', start + 4)) {
    const close = text.indexOf('-->', start + 4);
    const end = close === -1 ? text.length : close + 3;
    ranges.push(start, end);
    if (close === -1) break;
    start = end - 4;
  }
  return ranges;
}

function inRanges(ranges: readonly number[], offset: number): boolean {
  let low = 0;
  let high = ranges.length / 2;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((ranges[mid * 2 + 1] ?? 0) <= offset) low = mid + 1;
    else high = mid;
  }
  return low < ranges.length / 2 && (ranges[low * 2] ?? Infinity) <= offset;
}

const NO_CUTS = new Int32Array(0);

/** Whether invisible characters were taken out between `start` and `end` of the text. */
function cutWithin(cuts: Int32Array, start: number, end: number): boolean {
  let low = 1;
  let high = cuts.length / 2;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((cuts[mid * 2] ?? 0) <= start) low = mid + 1;
    else high = mid;
  }
  return low < cuts.length / 2 && (cuts[low * 2] ?? Infinity) < end;
}

const COMMENT_COMMAND = /\b(?:curl|wget|bash|zsh|sh\s+-c|powershell|pwsh|iex|python[23]?\s+-c|chmod|sudo|rm\s+-rf|nc|ncat|base64|eval|exec)\b|\|\s*(?:ba|z)?sh\b|https?:\/\/|~\/\.|\$\(/i;
const COMMENT_IMPERATIVE = /\b(?:run|execute|exec|install|download|fetch|send|upload|post|read|copy|ignore|disregard|must|always|before|first|silently|immediately)\b/i;
const COMMENT_ADDRESSES_AGENT = /\b(?:assistant|agent|AI|Claude|LLM|model|system\s+prompt|you\s+(?:must|should|will|are))\b/;

/** HTML comments are invisible when the markdown is rendered, yet the agent reads them. */
function judgeComments(collector: FindingCollector, at: Located, segment: Segment): void {
  const ranges = segment.comments;
  for (let k = 0; k < ranges.length && k < 2000; k += 2) {
    const body = segment.text.slice((ranges[k] ?? 0) + 4, Math.max((ranges[k] ?? 0) + 4, (ranges[k + 1] ?? 0) - 3)).slice(0, 20_000);
    const command = COMMENT_COMMAND.test(body);
    const imperative = COMMENT_IMPERATIVE.test(body);
    const toAgent = COMMENT_ADDRESSES_AGENT.test(body);
    if (!(command && (imperative || toAgent)) && !(toAgent && imperative)) continue;
    collector.add({
      ruleId: 'hidden-comment-instructions',
      severity: command ? 'block' : 'warn',
      category: 'agent-instructions',
      message: command
        ? 'an HTML comment, invisible in the rendered page, tells the agent to run commands or fetch URLs'
        : 'an HTML comment, invisible in the rendered page, gives the agent instructions',
      ...locate(at, segment.toFile(ranges[k] ?? 0)),
      decoded: showHiddenCharacters(body.trim().slice(0, 1000)),
    });
  }
}

const UNRESTRICTED_SHELL = /^(?:Bash|Shell|shell|bash|run_shell_command|terminal|Terminal|execute_command|Bash\(\s*\*?\s*(?::\s*\*)?\s*\)|Bash\(\s*sudo[^)]*\))$/;

/** The frontmatter of SKILL.md: look-alike letters in the name and description, and unrestricted shell access. */
function scanFrontmatter(collector: FindingCollector, at: Located): void {
  const head = at.text.slice(0, 65536);
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---/.exec(head);
  if (!match) return;
  const body = match[1] ?? '';
  const bodyStart = (match.index ?? 0) + match[0].indexOf(body);
  for (const field of ['name', 'description'] as const) {
    const fieldMatch = new RegExp(`^${field}:[ \\t]*(.*(?:\\r?\\n[ \\t]+.*)*)`, 'm').exec(body);
    if (!fieldMatch) continue;
    const valueStart = bodyStart + fieldMatch.index + fieldMatch[0].length - (fieldMatch[1]?.length ?? 0);
    for (const word of findMixedScriptWords(fieldMatch[1] ?? '')) {
      collector.add({
        ruleId: 'unicode-mixed-script',
        severity: 'block',
        category: 'hidden-unicode',
        message: `the ${field} has a word that mixes ${word.scripts.join(' and ')} letters, which look alike and impersonate another name`,
        ...locate(at, valueStart + word.index),
        decoded: [...word.word].map((ch) => (ch.charCodeAt(0) > 0x7f ? `${ch}⟨U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩` : ch)).join(''),
      });
    }
  }
  const tools = /^allowed-tools:[ \t]*(.*(?:\r?\n[ \t]*-.*)*)/m.exec(body);
  if (tools) {
    const value = tools[1] ?? '';
    const entries = value
      .replace(/^\[|\]$/g, '')
      .split(/\r?\n[ \t]*-[ \t]*|,|[ \t]+(?![^(]*\))/)
      .map((t) => t.trim().replace(/^["'-]\s*|["']$/g, '').replace(/^["']/, ''))
      .filter(Boolean);
    const open = entries.filter((t) => UNRESTRICTED_SHELL.test(t));
    if (open.length > 0) {
      collector.add({
        ruleId: 'unrestricted-shell-tools',
        severity: 'warn',
        category: 'permissions',
        message: `allowed-tools grants ${open.join(', ')} without restricting the commands (list them, e.g. Bash(git:*))`,
        ...locate(at, bodyStart + tools.index),
      });
    }
  }
}

function lineAround(text: string, offset: number): string {
  const from = Math.max(0, offset - 1000);
  const window = text.slice(from, Math.min(text.length, offset + 1000));
  const local = offset - from;
  const start = window.lastIndexOf('\n', local - 1);
  const end = window.indexOf('\n', local);
  return window.slice(start + 1, end === -1 ? window.length : end);
}

/** The match is inside "…", '…', “…” or `…` on its line: the text quotes the phrase. */
function isQuoted(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 3), start);
  const after = text.slice(end, end + 40);
  return /["'“‘`«]\s*$/.test(before) || (/["“`]/.test(before) && /["”`]/.test(after));
}
