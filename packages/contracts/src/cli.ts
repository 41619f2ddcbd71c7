import { z } from 'zod';
import { skillNameSchema } from './skill-manifest';
import { skillVersionString } from './skills';
import { versionSafety } from './skill-safety';

// What the `everyskill` command speaks with the server beyond the skill reads: device sign-in,
// resolving a lockfile's entries, and the files of one version with their manifest.

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** How long a device sign-in may wait for its approval, and how often the command may ask. */
export const DEVICE_CODE_LIFETIME_SECONDS = 900;
export const DEVICE_POLL_INTERVAL_SECONDS = 5;

/** `ABCD-EFGH`: eight letters without vowels or look-alikes, typed by a person. */
export const deviceUserCode = z
  .string()
  .trim()
  .toUpperCase()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/, { message: 'the code has eight letters, like BDFG-HJKL' }))
  .transform((s) => `${s.slice(0, 4)}-${s.slice(4)}`);

export const deviceCodeRequest = z.object({
  clientName: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .regex(/^[^\u0000-\u001f\u007f]+$/, { message: 'clientName must be printable text' })
    .meta({ description: 'The machine asking, such as `ada-laptop`: the key is named after it.' }),
});

export const deviceCodeResponse = z.object({
  deviceCode: z.string().meta({ description: 'Secret: sent back to the token endpoint, never shown.' }),
  userCode: z.string().meta({ description: 'What the person checks on the approval page, like `BDFG-HJKL`.' }),
  verificationUri: z.string(),
  verificationUriComplete: z.string(),
  expiresIn: z.number().int(),
  interval: z.number().int(),
});
export type DeviceCodeResponse = z.infer<typeof deviceCodeResponse>;

export const deviceTokenRequest = z.object({ deviceCode: z.string().min(20).max(200) });

export const deviceTokenResponse = z.object({
  apiKey: z.string().meta({ description: 'The new `rlk_` key (scopes `skills:read usage:write`), shown once.' }),
  keyId: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  expiresAt: z.string(),
});
export type DeviceTokenResponse = z.infer<typeof deviceTokenResponse>;

/** The token endpoint's refusals while the person has not approved (RFC 8628, section 3.5). */
export const devicePollErrors = ['authorization_pending', 'slow_down', 'expired_token', 'access_denied'] as const;
export type DevicePollError = (typeof devicePollErrors)[number];

export const deviceDecisionInput = z.object({ userCode: deviceUserCode, approve: z.boolean() });
export type DeviceDecisionInput = z.input<typeof deviceDecisionInput>;

// ---- Resolving installed skills ----

export const resolveStatuses = ['ok', 'outdated', 'deprecated', 'withdrawn', 'blocked', 'not_found'] as const;
export type ResolveStatus = (typeof resolveStatuses)[number];

export const resolveEntry = z.object({
  name: z.string().min(1).max(100),
  version: skillVersionString.optional(),
  digest: sha256Hex.optional().meta({ description: 'The content digest installed (the lockfile has it): a mismatch is reported.' }),
});

export const resolveInput = z.object({ skills: z.array(resolveEntry).min(1).max(200) });
export type ResolveInput = z.input<typeof resolveInput>;

export const resolvedSkill = z.object({
  name: z.string(),
  status: z.enum(resolveStatuses),
  /** The version to install: the one asked for when it exists and may be installed, else the latest. */
  version: z.string().nullable(),
  digest: sha256Hex.nullable(),
  latestVersion: z.string().nullable(),
  latestDigest: sha256Hex.nullable(),
  /** False when the digest sent differs from the server's for that version (tampering or a changed registry). */
  digestMatches: z.boolean().nullable(),
  message: z.string().nullable(),
  deprecation: z.object({ message: z.string(), replacement: z.string().nullable() }).nullable(),
  withdrawn: z.object({ version: z.string(), reason: z.string(), at: z.string() }).nullable(),
});
export type ResolvedSkill = z.infer<typeof resolvedSkill>;

export const resolveResult = z.object({ skills: z.array(resolvedSkill) });
export type ResolveResult = z.infer<typeof resolveResult>;

// ---- The files of a version, for writing to disk ----

export const skillFileContent = z.object({
  path: z.string(),
  /** SHA-256 of the bytes as the version's manifest recorded it at publish time. */
  sha256: sha256Hex,
  size: z.number().int(),
  executable: z.boolean(),
  contentBase64: z.string(),
});

export const skillFilesResult = z.object({
  name: z.string(),
  version: z.string(),
  /** SHA-256 over the sorted `path\0mode\0sha256\n` lines of the files. */
  contentSha256: sha256Hex,
  files: z.array(skillFileContent),
  /** The version's safety scan, so its warnings travel with the files; null when published before scanning. */
  safety: versionSafety.nullable(),
});
export type SkillFilesResult = z.infer<typeof skillFilesResult>;

// ---- Withdrawing a version, deprecating a skill ----

export const withdrawVersionInput = z.object({
  slug: skillNameSchema,
  version: skillVersionString,
  reason: z.string().trim().min(1, { message: 'say why the version is withdrawn' }).max(1000),
});
export type WithdrawVersionInput = z.input<typeof withdrawVersionInput>;

export const deprecateSkillInput = z.object({
  slug: skillNameSchema,
  message: z.string().trim().min(1, { message: 'say why the skill is deprecated' }).max(1000),
  replacement: skillNameSchema.optional(),
});
export type DeprecateSkillInput = z.input<typeof deprecateSkillInput>;
