import { createCipheriv, createDecipheriv, createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { AppError } from '../errors';
import type { ProvenanceEnv } from './provenance-env';

/**
 * Encrypts a private key (PKCS#8 DER) with AES-256-GCM under the server's secret. The tenant and
 * keyid are authenticated data, so a ciphertext copied onto another key's row does not decrypt.
 */
export function encryptPrivateKey(env: ProvenanceEnv, privateKey: KeyObject, binding: { tenantId: string; keyid: string }): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', env.secret, iv);
  cipher.setAAD(Buffer.from(`${binding.tenantId}:${binding.keyid}`));
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const ciphertext = Buffer.concat([cipher.update(der), cipher.final()]);
  return ['v1', env.secretId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

// Decrypted keys by ciphertext (random IV, so unique per key): a publish then spends no time on
// AES and key parsing. The process holds the secret that decrypts them anyway.
const decrypted = new Map<string, KeyObject>();
const DECRYPTED_MAX = 1000;

/** The private key of a stored key row; an error naming the configuration when it cannot be decrypted. */
export function decryptPrivateKey(env: ProvenanceEnv, stored: string, binding: { tenantId: string; keyid: string }): KeyObject {
  const cacheKey = `${env.secretId}:${binding.tenantId}:${binding.keyid}:${stored}`;
  const cached = decrypted.get(cacheKey);
  if (cached) return cached;
  const key = decryptUncached(env, stored, binding);
  if (decrypted.size >= DECRYPTED_MAX) decrypted.delete(decrypted.keys().next().value!);
  decrypted.set(cacheKey, key);
  return key;
}

function decryptUncached(env: ProvenanceEnv, stored: string, binding: { tenantId: string; keyid: string }): KeyObject {
  const [version, secretId, iv, tag, ciphertext] = stored.split('.');
  if (version !== 'v1' || !secretId || !iv || !tag || !ciphertext) {
    throw new AppError('internal', `the signing key ${binding.keyid.slice(0, 12)} of this workspace is stored in an unknown format`);
  }
  if (secretId !== env.secretId) {
    throw new AppError(
      'internal',
      `the signing key ${binding.keyid.slice(0, 12)} was encrypted under another SIGNING_KEYS_SECRET (id ${secretId}; the configured one is ${env.secretId}); restore that secret, or have an admin rotate the key`,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', env.secret, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${binding.tenantId}:${binding.keyid}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const der = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    const error = new AppError('internal', `the signing key ${binding.keyid.slice(0, 12)} of this workspace does not decrypt: it was altered or belongs to another key`);
    error.cause = cause;
    throw error;
  }
}
