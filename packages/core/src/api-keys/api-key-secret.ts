import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { API_KEY_BODY_LENGTH, API_KEY_PREFIX, apiKeyPattern } from '@everyskill/contracts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_BYTES = 32;
/** Characters after `rlk_` kept for display: enough to tell keys apart, far too few to guess one. */
const DISPLAY_CHARS = 6;

/** A new secret: `rlk_` + 32 random bytes as 43 base62 characters (62^43 > 2^256, so no bits are lost). */
export function generateApiKeySecret(): string {
  let n = BigInt(`0x${randomBytes(SECRET_BYTES).toString('hex')}`);
  let body = '';
  while (n > 0n) {
    body = BASE62[Number(n % 62n)]! + body;
    n /= 62n;
  }
  return API_KEY_PREFIX + body.padStart(API_KEY_BODY_LENGTH, '0');
}

/** Shape check before any lookup; says nothing about whether the key exists. */
export function isWellFormedApiKey(candidate: string): boolean {
  return apiKeyPattern.test(candidate);
}

/** SHA-256 of the whole key, hex: what the database stores and looks keys up by. */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** `rlk_AbC123…`: shown in lists so people recognise a key without it being usable. */
export function displayPrefixOf(secret: string): string {
  return `${secret.slice(0, API_KEY_PREFIX.length + DISPLAY_CHARS)}…`;
}

/** Compares two SHA-256 digests byte by byte with no early exit (`crypto.timingSafeEqual`). */
export function digestsMatch(presentedSha256: Buffer, storedSha256: Buffer): boolean {
  // Both are 32-byte digests; a stored value of another length is treated as a mismatch after
  // comparing against itself, so the work done does not depend on where the bytes differ.
  if (storedSha256.length !== presentedSha256.length) {
    timingSafeEqual(presentedSha256, presentedSha256);
    return false;
  }
  return timingSafeEqual(presentedSha256, storedSha256);
}

/** A digest no key hashes to, compared against when no key was found so both paths do the same work. */
export const NO_KEY_DIGEST = Buffer.alloc(32, 0);

/** Whether a presented secret is the key whose stored hash is `storedHashHex`, in constant time. */
export function apiKeyMatchesHash(secret: string, storedHashHex: string | null): boolean {
  const presented = createHash('sha256').update(secret, 'utf8').digest();
  const stored = storedHashHex && /^[0-9a-f]{64}$/.test(storedHashHex) ? Buffer.from(storedHashHex, 'hex') : NO_KEY_DIGEST;
  const match = digestsMatch(presented, stored);
  return match && stored !== NO_KEY_DIGEST;
}
