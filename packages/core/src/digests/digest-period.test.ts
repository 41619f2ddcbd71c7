import { describe, expect, it } from 'vitest';
import { lastCompletePeriod, parseDigestPeriod, periodLabel } from './digest-period';
import { signUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe-token';

const at = (iso: string) => new Date(iso);

describe('digest periods', () => {
  it('daily: the last complete UTC day, so a late call still names the day it missed', () => {
    expect(lastCompletePeriod('daily', at('2026-12-05T08:00:00Z'))).toEqual({
      kind: 'daily',
      period: '2026-12-04',
      windowStart: at('2026-12-04T00:00:00Z'),
      windowEnd: at('2026-12-05T00:00:00Z'),
    });
    expect(lastCompletePeriod('daily', at('2026-12-05T23:59:59Z')).period).toBe('2026-12-04');
    expect(lastCompletePeriod('daily', at('2027-01-01T00:00:00Z')).period).toBe('2026-12-31');
  });

  it('weekly: the last complete ISO week, Monday to Monday', () => {
    // Saturday 5 December 2026 is in week 49; the last complete one is week 48 (23–30 November).
    expect(lastCompletePeriod('weekly', at('2026-12-05T08:00:00Z'))).toEqual({
      kind: 'weekly',
      period: '2026-W48',
      windowStart: at('2026-11-23T00:00:00Z'),
      windowEnd: at('2026-11-30T00:00:00Z'),
    });
    // ISO week-year boundaries: 2021-01-03 is in 2020-W53.
    expect(lastCompletePeriod('weekly', at('2021-01-05T00:00:00Z')).period).toBe('2020-W53');
    expect(parseDigestPeriod('weekly', '2020-W53', at('2022-01-01T00:00:00Z')).windowStart).toEqual(at('2020-12-28T00:00:00Z'));
  });

  it('a named period must exist and be over', () => {
    const now = at('2026-12-05T08:00:00Z');
    expect(parseDigestPeriod('daily', '2026-12-04', now).windowEnd).toEqual(at('2026-12-05T00:00:00Z'));
    expect(() => parseDigestPeriod('daily', '2026-12-05', now)).toThrow(/not over yet/);
    expect(() => parseDigestPeriod('daily', '2026-02-30', now)).toThrow(/a daily period is a date/);
    expect(() => parseDigestPeriod('weekly', '2026-W49', now)).toThrow(/not over yet/);
    expect(() => parseDigestPeriod('weekly', '2025-W53', at('2030-01-01T00:00:00Z'))).toThrow(/not a week of that year/);
    expect(periodLabel({ kind: 'daily', windowStart: at('2026-12-04T00:00:00Z') })).toBe('Friday 4 December 2026');
  });

  it('unsubscribe tokens verify only with their secret and unaltered', () => {
    const secret = 'a'.repeat(40);
    const tenant = '6e787a13-e244-4799-9823-1e27cfaff395';
    const user = '342537d1-c45d-4a0a-81b4-21018eefddb5';
    const token = signUnsubscribeToken(secret, tenant, user);
    expect(verifyUnsubscribeToken(secret, token)).toEqual({ tenantId: tenant, userId: user });
    expect(verifyUnsubscribeToken('b'.repeat(40), token)).toBeNull();
    const [payload, signature] = token.split('.');
    const otherPayload = Buffer.from(`${tenant}.${tenant}`).toString('base64url');
    expect(verifyUnsubscribeToken(secret, `${otherPayload}.${signature}`)).toBeNull();
    expect(verifyUnsubscribeToken(secret, `${payload}.`)).toBeNull();
    expect(verifyUnsubscribeToken(secret, 'garbage')).toBeNull();
  });
});
