import type { SafetySeverity } from '@everyskill/contracts';

/**
 * Invisible and deceptive Unicode, found in one pass over the UTF-16 code units. Bidi controls are
 * the Trojan Source set (CVE-2021-42574); we keep the table here rather than take a detector
 * package, because those flag every zero-width joiner, no-break space and variation selector,
 * which would refuse emoji sequences and Persian or Indic text that must pass.
 */

/** A run of hidden characters the scanner reports, with the text it carries when it carries any. */
export interface HiddenRun {
  ruleId: 'unicode-tag-characters' | 'unicode-bidi-control' | 'unicode-zero-width' | 'unicode-variation-selectors' | 'unicode-invisible-character';
  severity: SafetySeverity;
  start: number;
  end: number;
  message: string;
  decoded?: string;
}

export interface HiddenUnicodeScan {
  runs: HiddenRun[];
  /** The text with every invisible character removed, for the behaviour rules; null when nothing was removed. */
  visible: string | null;
  /** Maps an offset of `visible` back to the original text: pairs of (visible start, original start). */
  segments: Int32Array;
}

const MAX_RUNS = 1000;
// Bidi controls: U+202A–202E, U+2066–2069; direction marks: U+200E, U+200F, U+061C; zero-width:
// U+200B–200D, U+2060–2064, U+FEFF, U+180E, U+034F, soft hyphen; fillers that render as nothing:
// Hangul fillers, Khmer vowels U+17B4/17B5, the blank Braille pattern.

/** Whether the code point is a letter or digit of ASCII. */
function isAsciiWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isRtlLetter(c: number): boolean {
  return (c >= 0x0590 && c <= 0x08ff) || (c >= 0xfb1d && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfefc);
}

/** The code point at `i` and its width in code units. */
function codePointAt(text: string, i: number): [number, number] {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return [((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000, 2];
  }
  return [c, 1];
}

type Kind = 'tag' | 'vs' | 'zw' | 'bidi' | 'mark' | 'filler';

function kindOf(cp: number): Kind | null {
  if (cp < 0x00ad) return null;
  if (cp < 0x2000) {
    if (cp === 0x00ad || cp === 0x034f || cp === 0x180e) return 'zw';
    if (cp === 0x061c) return 'mark';
    if (cp === 0x115f || cp === 0x1160 || cp === 0x17b4 || cp === 0x17b5) return 'filler';
    return null;
  }
  if (cp <= 0x206f) {
    if (cp === 0x200b || cp === 0x200c || cp === 0x200d || (cp >= 0x2060 && cp <= 0x2064)) return 'zw';
    if (cp === 0x200e || cp === 0x200f) return 'mark';
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return 'bidi';
    return null;
  }
  if (cp === 0x2800 || cp === 0x3164 || cp === 0xffa0) return 'filler';
  if (cp === 0xfeff) return 'zw';
  if (cp >= 0xfe00 && cp <= 0xfe0f) return 'vs';
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag';
  if (cp >= 0xe0100 && cp <= 0xe01ef) return 'vs';
  return null;
}

/** `⟨U+202E⟩` for a hidden character, so people see what is there. */
export function visibleCodePoint(cp: number): string {
  return `⟨U+${cp.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/** The text with every invisible or deceptive character shown as `⟨U+XXXX⟩`. */
export function showHiddenCharacters(text: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; ) {
    const [cp, width] = codePointAt(text, i);
    const kind = cp >= 0x00ad ? kindOf(cp) : null;
    if (kind !== null || (cp < 0x20 && cp !== 0x09)) {
      out += text.slice(last, i) + visibleCodePoint(cp);
      last = i + width;
    }
    i += width;
  }
  return out + text.slice(last);
}

/** Finds hidden-character runs and returns the text without them. Linear in the length of the text. */
export function scanHiddenUnicode(text: string): HiddenUnicodeScan {
  const runs: HiddenRun[] = [];
  let removed = new Int32Array(64);
  let removedLength = 0;
  // Whether the current line has right-to-left letters, worked out once per line when first asked.
  // The line is found from the offset when needed; the search back never passes the last line's end.
  let lineStart = 0;
  let lineEnd = -1;
  let lineRtl = false;
  let at = 0;
  const lineHasRtl = (): boolean => {
    if (at > lineEnd) {
      lineStart = text.lastIndexOf('\n', at - 1) + 1;
      lineEnd = text.indexOf('\n', at);
      if (lineEnd === -1) lineEnd = text.length;
      lineRtl = false;
      for (let j = lineStart; j < lineEnd && !lineRtl; j++) lineRtl = isRtlLetter(text.charCodeAt(j));
    }
    return lineRtl;
  };

  const n = text.length;
  const cpAt = (i: number): number => {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
    }
    return c;
  };
  // Everything below U+00AD is ordinary: a regular expression skips those runs natively.
  const notPlain = /[^\x00-\xac]/g;
  for (let i = 0; i < n; ) {
    if (text.charCodeAt(i) < 0x00ad) {
      notPlain.lastIndex = i;
      const next = notPlain.exec(text);
      if (next === null) break;
      i = next.index;
    }
    at = i;
    const cp = cpAt(i);
    const kind = kindOf(cp);
    if (kind === null) {
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    // Gather the run of characters of the same kind.
    const start = i;
    let j = i;
    let count = 0;
    while (j < n) {
      const c = cpAt(j);
      const k = kindOf(c);
      if (k !== kind && !(kind === 'zw' && k === 'filler')) break;
      count++;
      j += c > 0xffff ? 2 : 1;
    }
    i = j;
    // Past the cap only what to take out is decided, so a flood of runs costs little.
    let run: HiddenRun | null = null;
    if (runs.length < MAX_RUNS) {
      const points: number[] = [];
      for (let q = start; q < j && points.length < 65536; q += points[points.length - 1]! > 0xffff ? 2 : 1) points.push(cpAt(q));
      run = judgeRun(text, kind, start, j, points, lineHasRtl);
      if (run) runs.push(run);
    }
    if (kind !== 'vs' || run || count >= 2) {
      // Adjacent cuts merge, so a text of nothing but hidden runs keeps few segments.
      if (removedLength > 0 && removed[removedLength - 1] === start) removed[removedLength - 1] = j;
      else {
        if (removedLength + 2 > removed.length) {
          const grown = new Int32Array(removed.length * 2);
          grown.set(removed);
          removed = grown;
        }
        removed[removedLength++] = start;
        removed[removedLength++] = j;
      }
    }
  }

  if (removedLength === 0) return { runs, visible: null, segments: new Int32Array(0) };
  // Copy the kept code units once (slicing per cut allocates a string each, far slower on a flood of cuts).
  const kept = new Uint16Array(n);
  const segments = new Int32Array(removedLength + 2);
  let visibleLength = 0;
  let from = 0;
  for (let k = 0; k < removedLength; k += 2) {
    const cut = removed[k]!;
    for (let q = from; q < cut; q++) kept[visibleLength++] = text.charCodeAt(q);
    from = removed[k + 1]!;
    segments[k + 2] = visibleLength;
    segments[k + 3] = from;
  }
  for (let q = from; q < n; q++) kept[visibleLength++] = text.charCodeAt(q);
  return { runs, visible: Buffer.from(kept.buffer, 0, visibleLength * 2).toString('utf16le'), segments };
}

/** The original offset of an offset in the visible text. */
export function originalOffset(segments: Int32Array, offset: number): number {
  if (segments.length === 0) return offset;
  let low = 0;
  let high = segments.length / 2 - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((segments[mid * 2] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return (segments[low * 2 + 1] ?? 0) + offset - (segments[low * 2] ?? 0);
}

function judgeRun(
  text: string,
  kind: Kind,
  start: number,
  end: number,
  points: number[],
  lineHasRtl: () => boolean,
): HiddenRun | null {
  const before = start > 0 ? codePointBefore(text, start) : 0;
  const after = end < text.length ? codePointAt(text, end)[0] : 0;
  switch (kind) {
    case 'tag': {
      // A subdivision flag (🏴 + lowercase tag letters + CANCEL TAG) is the one legitimate use.
      const isFlag = before === 0x1f3f4 && points.length <= 8 && points[points.length - 1] === 0xe007f && points.slice(0, -1).every((c) => (c >= 0xe0061 && c <= 0xe007a) || (c >= 0xe0030 && c <= 0xe0039));
      if (isFlag) return null;
      const decoded = points.map((c) => (c >= 0xe0020 && c <= 0xe007e ? String.fromCharCode(c - 0xe0000) : '')).join('');
      return { ruleId: 'unicode-tag-characters', severity: 'block', start, end, decoded, message: `${points.length} invisible Unicode Tag characters (U+E0000–E007F) carry hidden text for the agent` };
    }
    case 'vs': {
      // One selector picks an emoji or ideograph form; a string of them encodes bytes.
      if (points.length < 2) return null;
      const bytes = Uint8Array.from(points.map((c) => (c >= 0xe0100 ? c - 0xe0100 + 16 : c - 0xfe00)));
      const decoded = new TextDecoder('utf-8').decode(bytes);
      return {
        ruleId: 'unicode-variation-selectors',
        severity: points.length >= 4 ? 'block' : 'warn',
        start,
        end,
        decoded,
        message: `${points.length} variation selectors in a row encode ${points.length} hidden bytes`,
      };
    }
    case 'bidi':
      return {
        ruleId: 'unicode-bidi-control',
        // Embeddings and isolates have a use in right-to-left text; overrides reorder what is shown anywhere.
        severity: !lineHasRtl() ? 'block' : points.some((c) => c === 0x202d || c === 0x202e) ? 'warn' : 'info',
        start,
        end,
        message: `bidirectional control character${points.length > 1 ? 's' : ''} ${points.map(visibleCodePoint).join('')} can make text display in a different order than an agent reads it`,
      };
    case 'mark':
      return lineHasRtl() ? null : { ruleId: 'unicode-bidi-control', severity: 'info', start, end, message: `direction mark ${points.map(visibleCodePoint).join('')} in a line without right-to-left text` };
    case 'zw':
    case 'filler': {
      if (points.length === 1 && points[0] === 0xfeff && start === 0) return null; // byte-order mark
      if (points.length === 1 && points[0] === 0x00ad && isLetter(before) && isLetter(after)) return null; // soft hyphen
      const joiner = points.every((c) => c === 0x200c || c === 0x200d);
      // Joiners belong in emoji sequences and in Persian, Indic and other scripts.
      if (joiner && points.length <= 2 && (before > 0x7f || after > 0x7f)) return null;
      if (points.length >= 8) {
        return { ruleId: 'unicode-zero-width', severity: 'block', start, end, decoded: decodeZeroWidthBits(points), message: `${points.length} zero-width characters in a row can encode hidden text` };
      }
      if (isAsciiWordChar(before) && isAsciiWordChar(after)) {
        return { ruleId: 'unicode-zero-width', severity: 'warn', start, end, message: `zero-width character ${points.map(visibleCodePoint).join('')} inside a word hides it from text search and review` };
      }
      if (kind === 'filler' || points.some((c) => c >= 0x2061 && c <= 0x2064)) {
        return { ruleId: 'unicode-invisible-character', severity: 'warn', start, end, message: `invisible character ${points.map(visibleCodePoint).join('')}` };
      }
      return { ruleId: 'unicode-zero-width', severity: 'info', start, end, message: `zero-width character ${points.map(visibleCodePoint).join('')}` };
    }
  }
}

const LETTER = /\p{L}/u;
function isLetter(cp: number): boolean {
  return cp > 0 && LETTER.test(String.fromCodePoint(cp));
}

function codePointBefore(text: string, i: number): number {
  const c = text.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) {
    const h = text.charCodeAt(i - 2);
    if (h >= 0xd800 && h <= 0xdbff) return ((h - 0xd800) << 10) + (c - 0xdc00) + 0x10000;
  }
  return c;
}

/** Zero-width steganography writes bits with two characters; read them both ways and keep readable text. */
function decodeZeroWidthBits(points: number[]): string | undefined {
  const distinct = [...new Set(points)];
  if (distinct.length !== 2) return undefined;
  for (const [zero, one] of [[distinct[0], distinct[1]], [distinct[1], distinct[0]]]) {
    const bytes: number[] = [];
    for (let k = 0; k + 8 <= points.length; k += 8) {
      let b = 0;
      for (let m = 0; m < 8; m++) b = (b << 1) | (points[k + m] === one ? 1 : points[k + m] === zero ? 0 : 0);
      bytes.push(b);
    }
    const s = String.fromCharCode(...bytes.slice(0, 4096));
    if (s.length > 0 && /^[\x20-\x7e\t\n\r]+$/.test(s)) return s;
  }
  return undefined;
}

const LOOKALIKE_SCRIPTS: Array<[string, RegExp]> = [
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
];

/**
 * Words that mix Latin letters with Cyrillic, Greek, Armenian or Cherokee look-alikes, or use
 * full-width and mathematical letters: `pаypal` with a Cyrillic `а`. Whole words in one script
 * (Russian, Greek, Arabic, Chinese) pass.
 */
export function findMixedScriptWords(text: string): Array<{ index: number; word: string; scripts: string[] }> {
  const out: Array<{ index: number; word: string; scripts: string[] }> = [];
  // Plain ASCII has no look-alikes to mix: the common case costs one native check.
  if (/^[\x00-\x7f]*$/.test(text.length > 65536 ? text.slice(0, 65536) : text)) return out;
  for (const match of text.slice(0, 65536).matchAll(/[\p{L}\p{M}\p{Nd}]+/gu)) {
    const word = match[0];
    if (word.length < 2 || /^[\x00-\x7f]+$/.test(word)) continue;
    const latin = /\p{Script=Latin}/u.test(word.replace(/[\uff21-\uff3a\uff41-\uff5a]/g, ''));
    const scripts = LOOKALIKE_SCRIPTS.filter(([, re]) => re.test(word)).map(([name]) => name);
    const styled = /[\uff21-\uff3a\uff41-\uff5a]|[\u{1d400}-\u{1d7ff}]/u.test(word);
    if ((latin && scripts.length > 0) || styled) out.push({ index: match.index ?? 0, word, scripts: styled ? [...scripts, 'full-width or mathematical letters'] : ['Latin', ...scripts] });
    if (out.length >= 20) break;
  }
  return out;
}
