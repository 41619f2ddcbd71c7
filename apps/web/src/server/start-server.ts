import { InvalidServerEnvError, readServerEnv, type ServerEnv } from './env';
import { getBuildInfo } from './build-info';
import { logger } from './logger';

/**
 * Validates the configuration and exits with code 1 when it is invalid. It deliberately does not
 * import @everyskill/db: its cwd-relative file access makes Turbopack trace this whole folder
 * into the instrumentation bundle, so the database opens on first use instead.
 */
export function startServer(): void {
  let env: ServerEnv;
  try {
    env = readServerEnv();
  } catch (error) {
    if (!(error instanceof InvalidServerEnvError)) throw error;
    console.error('EverySkill cannot start: invalid configuration');
    for (const problem of error.problems) console.error(problem);
    process.exit(1);
  }
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
