import { describe, expect, it } from 'vitest';
import { compareVersions, nextPatchVersion } from './version-number';

describe('compareVersions', () => {
  it('orders by Semantic Versioning precedence', () => {
    const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.2.0', '1.10.0', '2.0.0'];
    for (let i = 0; i < ordered.length - 1; i++) {
      expect(compareVersions(ordered[i]!, ordered[i + 1]!), `${ordered[i]} < ${ordered[i + 1]}`).toBe(-1);
      expect(compareVersions(ordered[i + 1]!, ordered[i]!)).toBe(1);
    }
  });

  it('ignores build metadata', () => {
    expect(compareVersions('1.0.0+build.1', '1.0.0+build.2')).toBe(0);
  });
});

describe('nextPatchVersion', () => {
  it('starts at 1.0.0 and bumps the patch', () => {
    expect(nextPatchVersion(null)).toBe('1.0.0');
    expect(nextPatchVersion('1.2.3')).toBe('1.2.4');
    expect(nextPatchVersion('1.2.3+meta')).toBe('1.2.4');
  });

  it('releases a pre-release', () => {
    expect(nextPatchVersion('1.3.0-rc.1')).toBe('1.3.0');
  });
});
