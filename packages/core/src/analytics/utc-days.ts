/** The last `days` UTC dates (YYYY-MM-DD) up to and including today, oldest first. */
export function utcDaysBack(days: number, now = new Date()): string[] {
  const dates: string[] = [];
  for (let i = days - 1; i >= 0; i--) {
    dates.push(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - i)).toISOString().slice(0, 10));
  }
  return dates;
}
