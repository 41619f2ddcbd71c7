import { InvalidEnvError } from '@everyskill/base/env';
import { createHash } from 'node:crypto';

const DEPLOYED = ['staging', 'production'];
/** Outside staging and production, signing keys are encrypted under this well-known secret: never for anything real. */
export const DEVELOPMENT_SIGNING_KEYS_SECRET = 'everyskill-development-only-signing-keys-secret';

export interface ProvenanceEnv {
  /** The 32-byte AES-256-GCM key that encrypts tenants' private signing keys at rest. */
  secret: Buffer;
  /** A short fingerprint of the secret, stored with each encrypted key, to name a mismatch. */
  secretId: string;
  /** True when the development secret is in use (no SIGNING_KEYS_SECRET outside a deployment). */
  development: boolean;
}

/**
 * Parses SIGNING_KEYS_SECRET: 32 random bytes as base64 (`openssl rand -base64 32`) or 64 hex
 * digits. Returns the problem in words, or null when it is fine; used by the web app's start-up check too.
 */
export function signingKeysSecretProblem(value: string | undefined, appEnv: string | undefined): string | null {
  if (!value) {
    return DEPLOYED.includes(appEnv ?? '')
      ? `is required when APP_ENV is ${appEnv}: it encrypts each workspace's signing key; generate it once with \`openssl rand -base64 32\` and keep it (losing it means rotating every key)`
      : null;
  }
  return decodeSecret(value) ? null : 'must be 32 random bytes as base64 or 64 hex digits; generate it with `openssl rand -base64 32`';
}

function decodeSecret(value: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}

let cached: { raw: string | undefined; appEnv: string | undefined; env: ProvenanceEnv } | null = null;

/** Reads SIGNING_KEYS_SECRET at call time; outside deployments it defaults to the development secret. */
export function readProvenanceEnv(source: Record<string, string | undefined> = process.env): ProvenanceEnv {
  const raw = source.SIGNING_KEYS_SECRET?.trim() || undefined;
  const appEnv = source.APP_ENV?.trim() || undefined;
  if (cached && cached.raw === raw && cached.appEnv === appEnv) return cached.env;
  const problem = signingKeysSecretProblem(raw, appEnv ?? 'development');
  if (problem) throw new InvalidEnvError('provenance', [`SIGNING_KEYS_SECRET: ${problem}`]);
  const secret = raw ? decodeSecret(raw)! : createHash('sha256').update(DEVELOPMENT_SIGNING_KEYS_SECRET).digest();
  const env: ProvenanceEnv = {
    secret,
    secretId: createHash('sha256').update('everyskill signing keys secret id\0').update(secret).digest('hex').slice(0, 16),
    development: !raw,
  };
  cached = { raw, appEnv, env };
  return env;
}
