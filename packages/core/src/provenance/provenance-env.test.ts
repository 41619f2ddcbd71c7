import { describe, expect, it } from 'vitest';
import { readProvenanceEnv, signingKeysSecretProblem } from './provenance-env';

describe('SIGNING_KEYS_SECRET', () => {
  it('takes 32 bytes as base64, base64url or hex; the same secret always has the same id', () => {
    const bytes = Buffer.alloc(32, 9);
    const fromBase64 = readProvenanceEnv({ SIGNING_KEYS_SECRET: bytes.toString('base64'), APP_ENV: 'production' });
    const fromHex = readProvenanceEnv({ SIGNING_KEYS_SECRET: bytes.toString('hex'), APP_ENV: 'production' });
    const fromUrl = readProvenanceEnv({ SIGNING_KEYS_SECRET: bytes.toString('base64url'), APP_ENV: 'staging' });
    expect(fromBase64.secret.equals(bytes)).toBe(true);
    expect(fromHex.secretId).toBe(fromBase64.secretId);
    expect(fromUrl.secretId).toBe(fromBase64.secretId);
    expect(fromBase64.development).toBe(false);
    expect(readProvenanceEnv({ SIGNING_KEYS_SECRET: Buffer.alloc(32, 8).toString('base64') }).secretId).not.toBe(fromBase64.secretId);
  });

  it('is required in staging and production; development and test use the well-known default and say so', () => {
    expect(() => readProvenanceEnv({ APP_ENV: 'production' })).toThrow(/SIGNING_KEYS_SECRET: is required when APP_ENV is production/);
    expect(() => readProvenanceEnv({ APP_ENV: 'staging' })).toThrow(/is required when APP_ENV is staging/);
    expect(readProvenanceEnv({ APP_ENV: 'test' })).toMatchObject({ development: true });
    expect(readProvenanceEnv({}).secret).toHaveLength(32);
  });

  it('refuses a secret that is not 32 bytes, saying how to make one', () => {
    expect(signingKeysSecretProblem('too-short', 'development')).toMatch(/openssl rand -base64 32/);
    expect(signingKeysSecretProblem(Buffer.alloc(16).toString('base64'), 'production')).toMatch(/must be 32 random bytes/);
    expect(() => readProvenanceEnv({ SIGNING_KEYS_SECRET: 'x'.repeat(10) })).toThrow(/must be 32 random bytes/);
  });
});
