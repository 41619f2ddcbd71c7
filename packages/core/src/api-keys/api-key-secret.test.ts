import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Wrap the real timingSafeEqual so the tests can see which comparison the key check uses.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const { apiKeyMatchesHash, displayPrefixOf, generateApiKeySecret, hashApiKey, isWellFormedApiKey } = await import(
  './api-key-secret'
);

afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

describe('API key secrets', () => {
  it('are rlk_ + 43 base62 characters, all different, with at least 256 bits of randomness', () => {
    const secrets = Array.from({ length: 2000 }, generateApiKeySecret);
    for (const s of secrets) expect(s).toMatch(/^rlk_[0-9A-Za-z]{43}$/);
    expect(new Set(secrets).size).toBe(secrets.length);
    // 43 base62 digits hold 43·log2(62) ≈ 256.03 bits: enough room for 32 random bytes.
    expect(43 * Math.log2(62)).toBeGreaterThanOrEqual(256);
    // Every base62 character shows up in every position range: the encoding is not biased to a few.
    const seen = new Set(secrets.flatMap((s) => [...s.slice(10)]));
    expect(seen.size).toBe(62);
  });

  it('are recognised by shape only when exactly right', () => {
    const good = generateApiKeySecret();
    expect(isWellFormedApiKey(good)).toBe(true);
    expect(isWellFormedApiKey(good.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`${good}x`)).toBe(false);
    expect(isWellFormedApiKey(good.replace('rlk_', 'sk_'))).toBe(false);
    expect(isWellFormedApiKey(`${good.slice(0, -1)}-`)).toBe(false);
    expect(isWellFormedApiKey('')).toBe(false);
  });

  it('store only a SHA-256 hex digest and a short display prefix', () => {
    const secret = generateApiKeySecret();
    expect(hashApiKey(secret)).toBe(crypto.createHash('sha256').update(secret).digest('hex'));
    expect(displayPrefixOf(secret)).toBe(`${secret.slice(0, 10)}…`);
    expect(displayPrefixOf(secret).length).toBeLessThan(12);
  });
});

describe('comparing a presented key with the stored hash', () => {
  const secret = generateApiKeySecret();
  const stored = hashApiKey(secret);
  const lastCharWrong = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
  const firstCharWrong = `rlk_${secret[4] === 'A' ? 'B' : 'A'}${secret.slice(5)}`;

  it('accepts the right key and refuses wrong ones', () => {
    expect(apiKeyMatchesHash(secret, stored)).toBe(true);
    expect(apiKeyMatchesHash(lastCharWrong, stored)).toBe(false);
    expect(apiKeyMatchesHash(firstCharWrong, stored)).toBe(false);
    expect(apiKeyMatchesHash(secret, null)).toBe(false);
    expect(apiKeyMatchesHash(secret, 'not-a-digest')).toBe(false);
  });

  it('always uses crypto.timingSafeEqual over two 32-byte digests, whatever matches', () => {
    const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
    for (const candidate of [secret, lastCharWrong, firstCharWrong]) {
      timingSafeEqual.mockClear();
      apiKeyMatchesHash(candidate, stored);
      expect(timingSafeEqual).toHaveBeenCalledTimes(1);
      const [a, b] = timingSafeEqual.mock.calls[0]! as [Buffer, Buffer];
      expect(a.length).toBe(32);
      expect(b.length).toBe(32);
    }
    // No key found (or a corrupt stored value): still one full comparison, against a dummy digest.
    timingSafeEqual.mockClear();
    apiKeyMatchesHash(secret, null);
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    expect((timingSafeEqual.mock.calls[0]![1] as Buffer).length).toBe(32);
  });

  it('compares digests, so how many characters of the key match does not reach the comparison', () => {
    // A key sharing 42 of 43 characters and one sharing none both yield unrelated digests: the
    // bytes handed to timingSafeEqual agree on about 1/256 of positions either way.
    const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
    const agreeing = (candidate: string) => {
      timingSafeEqual.mockClear();
      apiKeyMatchesHash(candidate, stored);
      const [a, b] = timingSafeEqual.mock.calls[0]! as [Buffer, Buffer];
      let prefix = 0;
      while (prefix < 32 && a[prefix] === b[prefix]) prefix++;
      return prefix;
    };
    expect(agreeing(lastCharWrong)).toBeLessThan(4);
    expect(agreeing(`rlk_${'0'.repeat(43)}`)).toBeLessThan(4);
  });
});
