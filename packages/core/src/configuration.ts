import { readAiConfig } from '@everyskill/ai/env';
import { readDbEnv } from '@everyskill/db/env';
import { readMailEnv } from '@everyskill/email/env';
import { readJobsEnv } from '@everyskill/jobs/env';
import { readStorageEnv } from '@everyskill/storage/env';
import { readDigestEnv } from './digests/digest-env';
import { readProvenanceEnv } from './provenance/provenance-env';
import { readRateLimitConfig, readRateLimitSyncEnv } from './rate-limits/rate-limit-env';
import { readSearchEnv } from './search/search-env';

/**
 * Every package's configuration reader. Each process (the web server, the job worker, the admin
 * CLI) runs them all at start-up, with `exitOnInvalidConfiguration` from @everyskill/base, so a bad
 * variable of any package stops it before it serves or runs anything, named on a line of its own.
 */
export const packageConfigurationReaders: readonly (() => unknown)[] = [
  () => readDbEnv(),
  () => readStorageEnv(),
  () => readSearchEnv(),
  () => readRateLimitConfig(),
  () => readRateLimitSyncEnv(),
  () => readJobsEnv(),
  () => readAiConfig(),
  () => readMailEnv(),
  () => readDigestEnv(),
  () => readProvenanceEnv(),
];
