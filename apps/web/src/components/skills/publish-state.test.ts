import { describe, expect, it } from 'vitest';
import { publishDetailsOf } from './publish-state';

describe('publishDetailsOf', () => {
  it('keeps manifest issues with their field and line', () => {
    expect(
      publishDetailsOf({ reason: 'invalid-manifest', errors: [{ path: 'name', code: 'pattern', message: 'name must be lowercase', line: 2 }] }),
    ).toEqual({ issues: [{ path: 'name', message: 'name must be lowercase', line: 2 }] });
  });

  it('maps contract field issues to paths', () => {
    expect(publishDetailsOf({ issues: [{ field: 'tags', message: 'at most 10 tags' }] })).toEqual({
      issues: [{ path: 'tags', message: 'at most 10 tags' }],
    });
  });

  it('reports secrets by file, line and short rule name', () => {
    const details = {
      reason: 'secrets-found',
      secrets: [{ file: 'scripts/x.sh', line: 3, column: 9, ruleId: '@secretlint/secretlint-rule-github', kind: 'GITHUB_TOKEN', message: 'found GitHub Token: ghp_****' }],
    };
    expect(publishDetailsOf(details)).toEqual({
      secrets: [{ file: 'scripts/x.sh', line: 3, rule: 'github', message: 'found GitHub Token: ghp_****' }],
    });
  });

  it('ignores details it does not know', () => {
    expect(publishDetailsOf(undefined)).toEqual({});
    expect(publishDetailsOf({ reason: 'name-taken' })).toEqual({});
  });
});
