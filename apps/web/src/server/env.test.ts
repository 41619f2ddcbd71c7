import { describe, expect, it } from 'vitest';
import { getPublicConfig, InvalidServerEnvError, readServerEnv } from './env';

const SECRET = 'x'.repeat(32);
const PG = 'postgres://app:pw@db.internal:5432/everyskill';

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    readServerEnv(source);
  } catch (error) {
    if (error instanceof InvalidServerEnvError) return error.problems;
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

  it('treats empty values as unset, as `.env` files write them', () => {
    expect(readServerEnv({ APP_URL: '', AUTH_SECRET: '  ', DEV_TENANT_SLUG: '' })).toMatchObject({
      APP_URL: 'http://localhost:3000',
      AUTH_SECRET: undefined,
      DEV_TENANT_SLUG: 'demo',
    });
  });

  it('names each missing variable of a production server on its own line', () => {
    expect(problemsOf({ APP_ENV: 'production' })).toEqual([
      'AUTH_SECRET: is required when APP_ENV is production; generate one with `openssl rand -base64 32`',
      'DATABASE_URL: is required when APP_ENV is production: the embedded database is for development only',
    ]);
  });

  it('requires the same of staging', () => {
    const problems = problemsOf({ APP_ENV: 'staging', AUTH_SECRET: SECRET });
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL: is required when APP_ENV is staging/)]);
  });

  it('accepts a complete production configuration and drops the development tenant fallback', () => {
    const env = readServerEnv({
      APP_ENV: 'production',
      APP_URL: 'https://skills.example.com/',
      ROOT_DOMAIN: 'Skills.Example.com',
      AUTH_SECRET: SECRET,
      DATABASE_URL: PG,
      DEV_TENANT_SLUG: 'demo',
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
    const env = readServerEnv({ APP_ENV: 'staging', APP_URL: 'https://staging.example.com', AUTH_SECRET: SECRET, DATABASE_URL: PG });
    expect(getPublicConfig(env)).toEqual({ appEnv: 'staging', appUrl: 'https://staging.example.com' });
  });
});
