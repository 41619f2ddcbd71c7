import type { DigestKind } from '@everyskill/db';
import { invalidInput } from '../errors';

export interface DigestPeriod {
  kind: DigestKind;
  /** '2026-12-05' (daily) or '2026-W49' (weekly). */
  period: string;
  windowStart: Date;
  windowEnd: Date;
}

const DAY = 86_400_000;
const utcMidnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** Monday 00:00 UTC of the ISO week containing d. */
function isoWeekStart(d: Date): Date {
  const midnight = utcMidnight(d);
  return new Date(midnight.getTime() - ((midnight.getUTCDay() + 6) % 7) * DAY);
}

/** ISO year and week number of a Monday. */
function isoWeekOf(monday: Date): { year: number; week: number } {
  const thursday = new Date(monday.getTime() + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const week1Monday = isoWeekStart(firstThursday);
  return { year, week: 1 + Math.round((monday.getTime() - week1Monday.getTime()) / (7 * DAY)) };
}

/**
 * The last complete period before `now` (UTC): yesterday for daily, last Monday–Sunday for weekly.
 * A late call (the host was down at 08:00) therefore still names the period it missed.
 */
export function lastCompletePeriod(kind: DigestKind, now: Date): DigestPeriod {
  if (kind === 'daily') {
    const windowEnd = utcMidnight(now);
    const windowStart = new Date(windowEnd.getTime() - DAY);
    return { kind, period: isoDate(windowStart), windowStart, windowEnd };
  }
  const windowEnd = isoWeekStart(now);
  const windowStart = new Date(windowEnd.getTime() - 7 * DAY);
  const { year, week } = isoWeekOf(windowStart);
  return { kind, period: `${year}-W${String(week).padStart(2, '0')}`, windowStart, windowEnd };
}

/** A named period, refused unless it is complete by `now` (a partial period would send early and never again). */
export function parseDigestPeriod(kind: DigestKind, period: string, now: Date): DigestPeriod {
  let windowStart: Date;
  let windowEnd: Date;
  if (kind === 'daily') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(period);
    const start = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
    if (!start || isoDate(start) !== period) throw invalidInput(`a daily period is a date such as 2026-12-05; got '${period}'`);
    windowStart = start;
    windowEnd = new Date(start.getTime() + DAY);
  } else {
    const match = /^(\d{4})-W(\d{2})$/.exec(period);
    const week = match ? Number(match[2]) : 0;
    if (!match || week < 1 || week > 53) throw invalidInput(`a weekly period is an ISO week such as 2026-W49; got '${period}'`);
    const week1Monday = isoWeekStart(new Date(Date.UTC(Number(match[1]), 0, 4)));
    windowStart = new Date(week1Monday.getTime() + (week - 1) * 7 * DAY);
    windowEnd = new Date(windowStart.getTime() + 7 * DAY);
    const { year, week: actual } = isoWeekOf(windowStart);
    if (`${year}-W${String(actual).padStart(2, '0')}` !== period) throw invalidInput(`${period} is not a week of that year`);
  }
  if (windowEnd.getTime() > now.getTime()) {
    throw invalidInput(`period ${period} is not over yet; a digest covers a complete ${kind === 'daily' ? 'day' : 'week'} (UTC)`);
  }
  return { kind, period, windowStart, windowEnd };
}

/** How the period reads in an email: "Friday 4 December 2026" or "the week of 30 November 2026". */
export function periodLabel(p: Pick<DigestPeriod, 'kind' | 'windowStart'>): string {
  const day = (d: Date) => d.toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
  if (p.kind === 'daily') {
    return `${p.windowStart.toLocaleDateString('en-GB', { timeZone: 'UTC', weekday: 'long' })} ${day(p.windowStart)}`;
  }
  return `the week of ${day(p.windowStart)}`;
}
