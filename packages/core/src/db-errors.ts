/** True when `error` (or an error it wraps, as drizzle does) is a PostgreSQL unique violation, optionally of one constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, constraint: name, constraint_name: pgName } = e as { code?: string; constraint?: string; constraint_name?: string };
    if (code === '23505') return !constraint || name === constraint || pgName === constraint || String((e as Error).message).includes(constraint);
  }
  return false;
}
