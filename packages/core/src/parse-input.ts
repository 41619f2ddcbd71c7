import type { z } from 'zod';
import { safeParseInput } from '@everyskill/contracts';
import { invalidInput } from './errors';

/**
 * Parses a service's input with its contract (`safeParseInput`: text that cannot be stored is
 * refused first); a failure becomes `invalid_input` naming each field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = safeParseInput(schema, input);
  if (!parsed.success) {
    const { issues } = parsed;
    throw invalidInput(issues.map((i) => (i.field === 'input' || i.message.startsWith(i.field) ? i.message : `${i.field}: ${i.message}`)).join('; '), { issues });
  }
  return parsed.data;
}
