import { envReader } from '@everyskill/base/env';
import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'must be on or off' })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const DEPLOYED = ['staging', 'production'];
/** The same well-known development key the web app signs sessions with outside deployments. */
const DEVELOPMENT_SECRET = 'everyskill-development-only-auth-secret-not-for-deployments';

const digestEnvSchema = z.object({
  APP_ENV: z.string().default('development'),
  APP_URL: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).default('http://localhost:3000'),
  ROOT_DOMAIN: z.string().toLowerCase().default('localhost'),
  DEV_TENANT_SLUG: z.string().default('demo'),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DIGEST_DEFAULT_FREQUENCY: z.enum(['off', 'daily', 'weekly'], { error: "must be 'off', 'daily' or 'weekly'" }).default('weekly'),
  DIGEST_ITEMS_PER_SECTION: z.coerce.number().int().min(1).max(50).default(5),
  DIGEST_SKIP_EMPTY: flag.default(false),
  DIGEST_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(5),
  DIGEST_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
});

export interface DigestEnv {
  appUrl: string;
  /** The origin a tenant's portal is served on (links in emails). */
  tenantOrigin(slug: string): string;
  /** Signs unsubscribe links; derived from AUTH_SECRET so one secret covers the deployment. */
  tokenSecret: string;
  defaultFrequency: 'off' | 'daily' | 'weekly';
  itemsPerSection: number;
  skipEmpty: boolean;
  retryLimit: number;
  retryDelaySeconds: number;
}

/** Reads and validates what digests need from the environment, at call time. */
export const readDigestEnv: (env?: Record<string, string | undefined>) => DigestEnv = envReader('digest', digestEnvSchema, {
  crossCheck: (raw) =>
    DEPLOYED.includes(raw.APP_ENV ?? '') && !raw.AUTH_SECRET ? ['AUTH_SECRET: is required to sign unsubscribe links'] : [],
  finish: (e): DigestEnv => {
    const appUrl = e.APP_URL.replace(/\/+$/, '');
    const url = new URL(appUrl);
    return {
      appUrl,
      tenantOrigin: (slug) =>
        e.APP_ENV !== 'production' && slug === e.DEV_TENANT_SLUG ? appUrl : `${url.protocol}//${slug}.${e.ROOT_DOMAIN}${url.port ? `:${url.port}` : ''}`,
      tokenSecret: e.AUTH_SECRET ?? DEVELOPMENT_SECRET,
      defaultFrequency: e.DIGEST_DEFAULT_FREQUENCY,
      itemsPerSection: e.DIGEST_ITEMS_PER_SECTION,
      skipEmpty: e.DIGEST_SKIP_EMPTY,
      retryLimit: e.DIGEST_RETRY_LIMIT,
      retryDelaySeconds: e.DIGEST_RETRY_DELAY_SECONDS,
    };
  },
});
