import { z } from 'zod';

/** What a safety finding does to a publish: `block` refuses it (or holds it), `warn` is shown, `info` is kept. */
export const safetySeverities = ['block', 'warn', 'info'] as const;
export type SafetySeverity = (typeof safetySeverities)[number];

/** A version's safety verdict: any `block` finding makes it `blocked`, any `warn` makes it `warn`. */
export const safetyVerdicts = ['clean', 'warn', 'blocked'] as const;
export type SafetyVerdict = (typeof safetyVerdicts)[number];

export const safetyCategories = [
  'hidden-unicode',
  'agent-instructions',
  'remote-code',
  'exfiltration',
  'reverse-shell',
  'persistence',
  'agent-config',
  'permissions',
] as const;
export type SafetyCategory = (typeof safetyCategories)[number];

/** One thing the safety scanner found, located to the character. Text fields show hidden characters as `⟨U+XXXX⟩`. */
export const safetyFinding = z.object({
  ruleId: z.string(),
  severity: z.enum(safetySeverities),
  category: z.enum(safetyCategories),
  /** For people: what the rule saw and why it matters. */
  message: z.string(),
  file: z.string(),
  /** 1-based line and column (in characters) of the finding in the file. */
  line: z.number().int(),
  column: z.number().int(),
  /** The line around the finding, hidden characters made visible, cut to about 200 characters. */
  excerpt: z.string(),
  /** Text that was hidden (Tag characters, variation selectors, base64, an HTML comment), decoded. */
  decoded: z.string().optional(),
});
export type SafetyFinding = z.infer<typeof safetyFinding>;

/** A version's scan as stored and served (REST and MCP `safety`). */
export const safetyScan = z.object({
  rulesVersion: z.string(),
  verdict: z.enum(safetyVerdicts),
  findings: z.array(safetyFinding),
  /** Findings beyond the cap that were counted but not listed. */
  omitted: z.number().int().optional(),
});
export type SafetyScan = z.infer<typeof safetyScan>;

/** The rule id of the findings Claude's second opinion adds to a version's scan; its `info` finding carries the summary. */
export const SECOND_OPINION_RULE = 'claude-second-opinion';

/** A version's stored scan as REST, MCP and the portal show it, with an admin's override when there is one. */
export const versionSafety = safetyScan.extend({
  scannedAt: z.string(),
  /** Who released the version (`by`: their email, null once the account is gone), when, and the reason they wrote. */
  override: z.object({ reason: z.string(), at: z.string(), by: z.string().nullable() }).nullable(),
  /** When the version was published held for review (a blocking finding under the "hold" policy); null otherwise. */
  heldAt: z.string().nullable().optional(),
});
export type VersionSafety = z.infer<typeof versionSafety>;
