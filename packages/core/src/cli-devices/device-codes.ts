import { createHash, randomBytes, randomInt } from 'node:crypto';

// Letters a person reads off a terminal and types without confusing them: no vowels (no words),
// none that look like digits.
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

/** The secret the command polls with: 32 random bytes, base64url. */
export function generateDeviceCode(): string {
  return randomBytes(32).toString('base64url');
}

/** `BDFG-HJKL`: 8 of 20 letters, about 34 bits; guesses are bounded by the code's 15 minutes and the rate limits. */
export function generateUserCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export function hashDeviceCode(deviceCode: string): string {
  return createHash('sha256').update(deviceCode).digest('hex');
}
