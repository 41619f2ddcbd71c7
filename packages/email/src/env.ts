import path from 'node:path';
import { defaultDataDir } from '@everyskill/base/data-dir';
import { envReader } from '@everyskill/base/env';
import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const mailEnvSchema = z.object({
  SMTP_HOST: z.string().trim().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  SMTP_SECURE: flag.optional(),
  MAIL_FROM: z.string().trim().min(3).default('EverySkill <no-reply@everyskill.localhost>'),
  MAIL_DIR: z.string().trim().min(1).optional(),
  EVERYSKILL_DATA_DIR: z.string().trim().min(1).optional(),
});

/** Where mail goes: an SMTP relay, or (no SMTP_HOST, the embedded default) files in a folder. */
export type MailEnv =
  | {
      transport: 'smtp';
      host: string;
      port: number;
      secure: boolean;
      auth: { user: string; pass: string } | undefined;
      from: string;
    }
  | { transport: 'folder'; dir: string; from: string };

/** Reads and validates the mail configuration from the environment, at call time. */
export const readMailEnv: (env?: Record<string, string | undefined>) => MailEnv = envReader('mail', mailEnvSchema, {
  crossCheck: (raw) =>
    Boolean(raw.SMTP_USER) !== Boolean(raw.SMTP_PASSWORD)
      ? [`${raw.SMTP_USER ? 'SMTP_PASSWORD' : 'SMTP_USER'}: set both SMTP_USER and SMTP_PASSWORD (from your mail provider), or neither`]
      : [],
  finish: (e): MailEnv => {
    if (!e.SMTP_HOST) {
      return { transport: 'folder', dir: e.MAIL_DIR ?? path.join(e.EVERYSKILL_DATA_DIR ?? defaultDataDir(), 'mail'), from: e.MAIL_FROM };
    }
    const secure = e.SMTP_SECURE ?? e.SMTP_PORT === 465;
    return {
      transport: 'smtp',
      host: e.SMTP_HOST,
      port: e.SMTP_PORT ?? (secure ? 465 : 587),
      secure,
      auth: e.SMTP_USER && e.SMTP_PASSWORD ? { user: e.SMTP_USER, pass: e.SMTP_PASSWORD } : undefined,
      from: e.MAIL_FROM,
    };
  },
});
