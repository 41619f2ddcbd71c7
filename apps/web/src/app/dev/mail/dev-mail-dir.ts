import { readMailEnv } from '@everyskill/email';
import { readServerEnv } from '@/server/env';

/** The mail folder for development and tests only: where email goes when SMTP_HOST is unset. */
export function devMailDir(): string | null {
  const env = readServerEnv();
  if (env.APP_ENV !== 'development' && env.APP_ENV !== 'test') return null;
  const mail = readMailEnv();
  return mail.transport === 'folder' ? mail.dir : null;
}
