import { envReader } from '@everyskill/base/env';
import { z } from 'zod';

export const appEnvs = ['development', 'test', 'staging', 'production'] as const;
export type AppEnv = (typeof appEnvs)[number];
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

const DEPLOYED: readonly AppEnv[] = ['staging', 'production'];

const hostname = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const tenantSlug = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const serverEnvSchema = z
  .object({
    APP_ENV: z.enum(appEnvs, { error: `must be one of ${appEnvs.join(', ')}` }).default('development'),
    APP_URL: z
      .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL such as https://skills.example.com' })
      .transform((url) => url.replace(/\/+$/, ''))
      .default('http://localhost:3000'),
    ROOT_DOMAIN: z
      .string()
      .toLowerCase()
      .regex(hostname, 'must be a bare host name such as skills.example.com (no scheme, port or path)')
      .default('localhost'),
    AUTH_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters; generate one with `openssl rand -base64 32`')
      .optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'),
    DEV_TENANT_SLUG: z
      .string()
      .regex(tenantSlug, 'must be a tenant slug: lowercase letters, digits and hyphens')
      .default('demo'),
    AUTH_GOOGLE_ID: z.string().optional(),
    AUTH_GOOGLE_SECRET: z.string().optional(),
    AUTH_GOOGLE_ISSUER: z
      .url({ protocol: /^https?$/, error: 'must be the http(s) URL of an OpenID Connect issuer' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    AUTH_DEV_SIGN_IN: z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
    AUTH_URL: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).optional(),
    // Bearer secret of the /api/cron/* endpoints; unset turns them off. Generate with `openssl rand -hex 32`.
    CRON_SECRET: z.string().min(24, 'must be at least 24 characters; generate one with `openssl rand -hex 32`').optional(),
    // Encrypts each workspace's private signing key (AES-256-GCM): 32 random bytes, `openssl rand -base64 32`.
    SIGNING_KEYS_SECRET: z
      .string()
      .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, 'must be 32 random bytes as base64 or 64 hex digits; generate it with `openssl rand -base64 32`')
      .optional(),
    // Bearer token Prometheus sends to /api/metrics; unset = the endpoint answers 404.
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (generate with `openssl rand -hex 32`)').optional(),
  })
  .superRefine((env, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (DEPLOYED.includes(env.APP_ENV)) {
      if (!env.AUTH_SECRET) {
        issue('AUTH_SECRET', `is required when APP_ENV is ${env.APP_ENV}; generate one with \`openssl rand -base64 32\``);
      }
      if (!env.SIGNING_KEYS_SECRET) {
        issue(
          'SIGNING_KEYS_SECRET',
          `is required when APP_ENV is ${env.APP_ENV}: it encrypts each workspace's signing key; generate it once with \`openssl rand -base64 32\` and keep it`,
        );
      }
      if (!env.DATABASE_URL) {
        issue('DATABASE_URL', `is required when APP_ENV is ${env.APP_ENV}: the embedded database is for development only`);
      }
      if (!env.APP_URL.startsWith('https://')) {
        issue('APP_URL', `must be an https:// URL when APP_ENV is ${env.APP_ENV}: session cookies are Secure`);
      }
    }
    if (Boolean(env.AUTH_GOOGLE_ID) !== Boolean(env.AUTH_GOOGLE_SECRET)) {
      issue(
        env.AUTH_GOOGLE_ID ? 'AUTH_GOOGLE_SECRET' : 'AUTH_GOOGLE_ID',
        'AUTH_GOOGLE_ID and AUTH_GOOGLE_SECRET go together: set both (from the Google Cloud OAuth client) or neither',
      );
    }
    if (env.AUTH_URL && new URL(env.AUTH_URL).origin !== new URL(env.APP_URL).origin) {
      issue('AUTH_URL', `must be on APP_URL's origin (${new URL(env.APP_URL).origin}), where the browser keeps the session cookie; leave it unset to derive it`);
    }
    if (env.APP_ENV !== 'production') return;
    if (env.AUTH_DEV_SIGN_IN === 'on') {
      issue('AUTH_DEV_SIGN_IN', 'must not be on when APP_ENV is production: the development sign-in lets anyone sign in as anyone');
    }
    if (env.AUTH_GOOGLE_ISSUER) {
      issue('AUTH_GOOGLE_ISSUER', 'must be unset when APP_ENV is production: it points Google sign-in at a test server');
    }
    if (!env.AUTH_GOOGLE_ID && !env.AUTH_GOOGLE_SECRET) {
      issue('AUTH_GOOGLE_ID', 'is required when APP_ENV is production: people sign in with Google (set AUTH_GOOGLE_ID and AUTH_GOOGLE_SECRET)');
    }
  });

export type ServerEnv = Omit<z.infer<typeof serverEnvSchema>, 'DEV_TENANT_SLUG'> & {
  /** The tenant served on the bare root domain; null in production, where that fallback never applies. */
  DEV_TENANT_SLUG: string | null;
};

/**
 * Reads and validates the web server's configuration from `source` at call time, never at build
 * time, so one build runs as staging and as production. Empty values count as unset; requests
 * read it often, and it is parsed again only when a variable changed.
 */
export const readServerEnv: (source?: Record<string, string | undefined>) => ServerEnv = envReader('web server', serverEnvSchema, {
  finish: (env) => Object.freeze({ ...env, DEV_TENANT_SLUG: env.APP_ENV === 'production' ? null : env.DEV_TENANT_SLUG }),
});

/** Sessions outside staging and production are signed with this well-known key: never use them for anything real. */
export const DEVELOPMENT_AUTH_SECRET = 'everyskill-development-only-auth-secret-not-for-deployments';

/** How sign-in is set up, derived from the environment (see src/server/auth.ts). */
export interface AuthSettings {
  secret: string;
  /** Google (OpenID Connect); issuer overrides Google's own, for tests against a local OIDC server. */
  google: { clientId: string; clientSecret: string; issuer: string | null } | null;
  /** The development sign-in by email: AUTH_DEV_SIGN_IN, else on for development/test without Google. */
  developmentSignIn: boolean;
  /** `__Secure-` cookies, scoped to ROOT_DOMAIN so tenant subdomains share the session (staging/production). */
  secureCookies: boolean;
  cookieDomain: string | undefined;
  /**
   * The session cookie's name. Staging's differs from production's: production's cookie is scoped
   * to its root domain, so browsers send it to `staging.<root>` too, and a shared name would make
   * each environment read (and clear) the other's session.
   */
  sessionCookieName: string;
  /** Where post-sign-in redirects may go besides ROOT_DOMAIN and its subdomains: APP_URL's scheme and port. */
  redirectOptions: { allowHttp: boolean; port: string };
  /** Auth.js's own URL (AUTH_URL), on APP_URL's origin so every cookie lands on the host the browser uses. */
  authUrl: string;
}

export function authSettingsOf(env: ServerEnv): AuthSettings {
  const deployed = DEPLOYED.includes(env.APP_ENV);
  const google =
    env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET
      ? { clientId: env.AUTH_GOOGLE_ID, clientSecret: env.AUTH_GOOGLE_SECRET, issuer: env.AUTH_GOOGLE_ISSUER ?? null }
      : null;
  const appUrl = new URL(env.APP_URL);
  return {
    secret: env.AUTH_SECRET ?? DEVELOPMENT_AUTH_SECRET,
    google,
    developmentSignIn:
      env.APP_ENV !== 'production' &&
      (env.AUTH_DEV_SIGN_IN === 'on' || (env.AUTH_DEV_SIGN_IN === undefined && !google && !deployed)),
    secureCookies: deployed,
    cookieDomain: deployed ? env.ROOT_DOMAIN : undefined,
    sessionCookieName: `${deployed ? '__Secure-' : ''}authjs.${env.APP_ENV === 'staging' ? 'staging.' : ''}session-token`,
    redirectOptions: { allowHttp: appUrl.protocol === 'http:', port: appUrl.port },
    authUrl: env.AUTH_URL ?? `${env.APP_URL}/api/auth`,
  };
}

/** What the browser may know, passed as props from server components; never secrets. */
export interface PublicConfig {
  appEnv: AppEnv;
  appUrl: string;
}

export function getPublicConfig(env: ServerEnv = readServerEnv()): PublicConfig {
  return { appEnv: env.APP_ENV, appUrl: env.APP_URL };
}
