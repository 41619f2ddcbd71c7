import { exitOnInvalidConfiguration } from '@everyskill/base/env';
import { packageConfigurationReaders } from '@everyskill/core/configuration';
import { readServerEnv } from './env';
import { getBuildInfo } from './build-info';
import { logger } from './logger';

/**
 * Validates the configuration of the web server and of every package it runs (database, storage,
 * search, rate limits, jobs, AI, mail, digests, signing keys), and exits with code 1 naming every
 * bad variable, one a line, before anything is served.
 */
export function startServer(): void {
  exitOnInvalidConfiguration([() => readServerEnv(), ...packageConfigurationReaders]);
  const env = readServerEnv();
  logger.info('server starting', {
    appEnv: env.APP_ENV,
    appUrl: env.APP_URL,
    rootDomain: env.ROOT_DOMAIN,
    database: env.DATABASE_URL ? 'postgres' : 'pglite',
    // Outside deployments, without SIGNING_KEYS_SECRET, signing keys are encrypted under a well-known development secret.
    signingKeysSecret: env.SIGNING_KEYS_SECRET ? 'configured' : 'development default (not for real keys)',
    ...getBuildInfo(),
  });
}
