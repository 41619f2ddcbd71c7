import { describe, expect, it } from 'vitest';
import { authSettingsOf, DEVELOPMENT_AUTH_SECRET, getPublicConfig, readServerEnv } from './env';
import { InvalidEnvError } from '@everyskill/base/env';

const SECRET = 'x'.repeat(32);
const SIGNING = Buffer.alloc(32, 1).toString('base64');
const PG = 'postgres://app:pw@db.internal:5432/everyskill';
const GOOGLE = { AUTH_GOOGLE_ID: 'client-id.apps.googleusercontent.com', AUTH_GOOGLE_SECRET: 'google-client-secret' };

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    readServerEnv(source);
  } catch (error) {
    if (error instanceof InvalidEnvError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('readServerEnv', () => {
  it('runs a development server with no configuration at all', () => {
    expect(readServerEnv({})).toEqual({
      APP_ENV: 'development',
      APP_URL: 'http://localhost:3000',
      ROOT_DOMAIN: 'localhost',
      AUTH_SECRET: undefined,
      DATABASE_URL: undefined,
      LOG_LEVEL: 'info',
      DEV_TENANT_SLUG: 'demo',
    });
  });

  it('parses again only when a variable changed, and sees every change', () => {
    const source: Record<string, string | undefined> = { APP_URL: ' https://skills.example.com/ ', ROOT_DOMAIN: 'skills.example.com', UNRELATED: 'a' };
    const first = readServerEnv(source);
    expect(readServerEnv({ ...source })).toBe(first);
    source.UNRELATED = 'b';
    expect(readServerEnv(source)).toBe(first);
    source.APP_URL = 'https://skills.example.com/'; // the same value once trimmed
    expect(readServerEnv(source)).toBe(first);
    source.ROOT_DOMAIN = 'other.example.com';
    expect(readServerEnv(source)).toMatchObject({ APP_URL: 'https://skills.example.com', ROOT_DOMAIN: 'other.example.com' });
    delete source.ROOT_DOMAIN;
    expect(readServerEnv(source).ROOT_DOMAIN).toBe('localhost');
    source.LOG_LEVEL = 'loud';
    expect(() => readServerEnv(source)).toThrow(InvalidEnvError);
    source.LOG_LEVEL = '';
    expect(readServerEnv(source).LOG_LEVEL).toBe('info');
  });

  it('treats empty values as unset, as `.env` files write them', () => {
    expect(readServerEnv({ APP_URL: '', AUTH_SECRET: '  ', DEV_TENANT_SLUG: '' })).toMatchObject({
      APP_URL: 'http://localhost:3000',
      AUTH_SECRET: undefined,
      DEV_TENANT_SLUG: 'demo',
    });
  });

  it('names each missing variable of a production server on its own line', () => {
    expect(problemsOf({ APP_ENV: 'production', APP_URL: 'https://skills.example.com' })).toEqual([
      'AUTH_SECRET: is required when APP_ENV is production; generate one with `openssl rand -base64 32`',
      "SIGNING_KEYS_SECRET: is required when APP_ENV is production: it encrypts each workspace's signing key; generate it once with `openssl rand -base64 32` and keep it",
      'DATABASE_URL: is required when APP_ENV is production: the embedded database is for development only',
      'AUTH_GOOGLE_ID: is required when APP_ENV is production: people sign in with Google (set AUTH_GOOGLE_ID and AUTH_GOOGLE_SECRET)',
    ]);
  });

  it('requires the same of staging', () => {
    const problems = problemsOf({ APP_ENV: 'staging', APP_URL: 'https://staging.example.com', AUTH_SECRET: SECRET, SIGNING_KEYS_SECRET: SIGNING });
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL: is required when APP_ENV is staging/)]);
  });

  it('accepts a complete production configuration and drops the development tenant fallback', () => {
    const env = readServerEnv({
      APP_ENV: 'production',
      APP_URL: 'https://skills.example.com/',
      ROOT_DOMAIN: 'Skills.Example.com',
      AUTH_SECRET: SECRET,
      SIGNING_KEYS_SECRET: SIGNING,
      DATABASE_URL: PG,
      DEV_TENANT_SLUG: 'demo',
      ...GOOGLE,
    });
    expect(env).toMatchObject({
      APP_URL: 'https://skills.example.com',
      ROOT_DOMAIN: 'skills.example.com',
      DEV_TENANT_SLUG: null,
    });
  });

  it('reports every bad variable at once, saying why, without echoing secrets', () => {
    const problems = problemsOf({
      APP_ENV: 'prod',
      APP_URL: 'skills.example.com',
      ROOT_DOMAIN: 'https://skills.example.com',
      AUTH_SECRET: 'short-secret-value',
      DATABASE_URL: 'mysql://root:hunter2@db/everyskill',
      LOG_LEVEL: 'loud',
      DEV_TENANT_SLUG: 'Demo Company',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'APP_ENV',
      'APP_URL',
      'ROOT_DOMAIN',
      'AUTH_SECRET',
      'DATABASE_URL',
      'LOG_LEVEL',
      'DEV_TENANT_SLUG',
    ]);
    expect(problems).toContain('APP_ENV: must be one of development, test, staging, production');
    expect(problems).toContain('AUTH_SECRET: must be at least 32 characters; generate one with `openssl rand -base64 32`');
    expect(problems.join('\n')).not.toMatch(/short-secret-value|hunter2/);
  });

  it('rejects a non-http APP_URL', () => {
    expect(problemsOf({ APP_URL: 'ftp://skills.example.com' })).toEqual([
      expect.stringMatching(/^APP_URL: must be an absolute http\(s\) URL/),
    ]);
  });

  it('checks a short AUTH_SECRET outside production too', () => {
    expect(problemsOf({ AUTH_SECRET: 'too-short' })).toEqual([expect.stringMatching(/^AUTH_SECRET: must be at least 32/)]);
  });
});

describe('getPublicConfig', () => {
  it('exposes only what the browser needs, never secrets', () => {
    const env = readServerEnv({ APP_ENV: 'staging', APP_URL: 'https://staging.example.com', AUTH_SECRET: SECRET, SIGNING_KEYS_SECRET: SIGNING, DATABASE_URL: PG });
    expect(getPublicConfig(env)).toEqual({ appEnv: 'staging', appUrl: 'https://staging.example.com' });
  });
});

describe('sign-in configuration', () => {
  const production = { APP_ENV: 'production', APP_URL: 'https://skills.example.com', ROOT_DOMAIN: 'skills.example.com', AUTH_SECRET: SECRET, SIGNING_KEYS_SECRET: SIGNING, DATABASE_URL: PG, ...GOOGLE };

  it('refuses to start production with the development sign-in on, or Google pointed at a test issuer', () => {
    expect(problemsOf({ ...production, AUTH_DEV_SIGN_IN: 'on' })).toEqual([
      'AUTH_DEV_SIGN_IN: must not be on when APP_ENV is production: the development sign-in lets anyone sign in as anyone',
    ]);
    expect(problemsOf({ ...production, AUTH_GOOGLE_ISSUER: 'http://127.0.0.1:3199' })).toEqual([
      expect.stringMatching(/^AUTH_GOOGLE_ISSUER: must be unset when APP_ENV is production/),
    ]);
    expect(problemsOf({ ...production, AUTH_DEV_SIGN_IN: 'yes' })).toEqual(['AUTH_DEV_SIGN_IN: must be on or off']);
  });

  it('needs both halves of the Google client, https on deployments, and AUTH_URL on the same origin', () => {
    expect(problemsOf({ AUTH_GOOGLE_ID: 'id-only' })).toEqual([expect.stringMatching(/^AUTH_GOOGLE_SECRET: AUTH_GOOGLE_ID and AUTH_GOOGLE_SECRET go together/)]);
    expect(problemsOf({ ...production, APP_ENV: 'staging', APP_URL: 'http://staging.example.com' })).toEqual([
      expect.stringMatching(/^APP_URL: must be an https:\/\/ URL when APP_ENV is staging/),
    ]);
    expect(problemsOf({ APP_URL: 'http://localhost:3100', AUTH_URL: 'http://127.0.0.1:3100/api/auth' })).toEqual([
      expect.stringMatching(/^AUTH_URL: must be on APP_URL's origin \(http:\/\/localhost:3100\)/),
    ]);
  });

  it('offers the development sign-in only outside production, by default when Google is not configured', () => {
    const dev = authSettingsOf(readServerEnv({}));
    expect(dev).toEqual({
      secret: DEVELOPMENT_AUTH_SECRET,
      google: null,
      developmentSignIn: true,
      secureCookies: false,
      cookieDomain: undefined,
      sessionCookieName: 'authjs.session-token',
      redirectOptions: { allowHttp: true, port: '3000' },
      authUrl: 'http://localhost:3000/api/auth',
    });
    expect(authSettingsOf(readServerEnv({ ...GOOGLE })).developmentSignIn).toBe(false);
    const test = authSettingsOf(readServerEnv({ APP_ENV: 'test', ...GOOGLE, AUTH_GOOGLE_ISSUER: 'http://127.0.0.1:3199/', AUTH_DEV_SIGN_IN: 'on' }));
    expect(test).toMatchObject({ developmentSignIn: true, google: { issuer: 'http://127.0.0.1:3199' } });
    expect(authSettingsOf(readServerEnv({ AUTH_DEV_SIGN_IN: 'off' })).developmentSignIn).toBe(false);
    const staging = { ...production, APP_ENV: 'staging', APP_URL: 'https://staging.skills.example.com' };
    expect(authSettingsOf(readServerEnv(staging)).developmentSignIn).toBe(false);
    expect(authSettingsOf(readServerEnv({ ...staging, AUTH_DEV_SIGN_IN: 'on' })).developmentSignIn).toBe(true);
  });

  it('uses __Secure- cookies scoped to the root domain on deployments, and https redirects on the default port', () => {
    expect(authSettingsOf(readServerEnv(production))).toMatchObject({
      secret: SECRET,
      google: { clientId: GOOGLE.AUTH_GOOGLE_ID, issuer: null },
      developmentSignIn: false,
      secureCookies: true,
      cookieDomain: 'skills.example.com',
      sessionCookieName: '__Secure-authjs.session-token',
      redirectOptions: { allowHttp: false, port: '' },
      authUrl: 'https://skills.example.com/api/auth',
    });
    // Production's cookie reaches staging.<root> as well: staging keeps its session under its own name.
    const staging = authSettingsOf(readServerEnv({ ...production, APP_ENV: 'staging', APP_URL: 'https://staging.skills.example.com' }));
    expect(staging).toMatchObject({ secureCookies: true, sessionCookieName: '__Secure-authjs.staging.session-token' });
  });
});

describe('SIGNING_KEYS_SECRET', () => {
  it('takes 32 bytes as base64 or hex and refuses anything else, naming the command that makes one', () => {
    expect(readServerEnv({ SIGNING_KEYS_SECRET: SIGNING }).SIGNING_KEYS_SECRET).toBe(SIGNING);
    expect(readServerEnv({ SIGNING_KEYS_SECRET: 'ab'.repeat(32) }).SIGNING_KEYS_SECRET).toBe('ab'.repeat(32));
    expect(problemsOf({ SIGNING_KEYS_SECRET: 'short' })).toEqual([
      'SIGNING_KEYS_SECRET: must be 32 random bytes as base64 or 64 hex digits; generate it with `openssl rand -base64 32`',
    ]);
  });
});
