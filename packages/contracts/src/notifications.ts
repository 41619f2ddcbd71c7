import { z } from 'zod';
import { skillSlug } from './skills';

export const digestFrequencySchema = z.enum(['off', 'daily', 'weekly'], { error: "digest must be 'off', 'daily' or 'weekly'" });
export type DigestFrequencyInput = z.infer<typeof digestFrequencySchema>;

/** How often a person gets the digest email. */
export const setDigestFrequencyInput = z.object({ digest: digestFrequencySchema }).strict();

/** Mark some notifications read, or all of them when ids is omitted. */
export const markNotificationsReadInput = z.object({ ids: z.array(z.uuid({ error: 'notification ids are uuids' })).max(200).optional() }).strict();

/** Follow (or stop following) a skill by its name. */
export const followSkillInput = z.object({ slug: skillSlug, follow: z.boolean() }).strict();

export const digestKindSchema = z.enum(['daily', 'weekly']);

/** A digest period: a UTC day (2026-12-05) for daily runs, an ISO week (2026-W49) for weekly ones. */
export const digestPeriodSchema = z
  .string()
  .trim()
  .regex(/^[0-9]{4}-([0-9]{2}-[0-9]{2}|W[0-9]{2})$/, 'period must be a day such as 2026-12-05 or an ISO week such as 2026-W49');

/** The one-click unsubscribe link's token. */
export const unsubscribeTokenInput = z.object({ token: z.string().trim().min(10, 'the unsubscribe link is incomplete').max(400) }).strict();

/** What the cron endpoints accept: ?period= to send a past period, ?repair=true for the integrity check. */
export const cronDigestQuery = z.object({ period: digestPeriodSchema.optional() });
export const cronIntegrityQuery = z.object({ repair: z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === 'true' || v === '1') });
