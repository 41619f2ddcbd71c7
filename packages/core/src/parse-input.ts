import type { z } from 'zod';
import { invalidInput } from './errors';

/** Parses a service's input with its contract; a failure becomes `invalid_input` naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'input', message: i.message }));
    throw invalidInput(issues.map((i) => (i.field === 'input' ? i.message : `${i.field}: ${i.message}`)).join('; '), { issues });
  }
  return parsed.data;
}
