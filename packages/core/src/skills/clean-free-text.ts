import { sanitizePayload } from './secrets';

/** Free text people leave on a skill (comments, feedback) with any secret in it redacted; null when empty. */
export async function cleanFreeText(text: string | undefined | null): Promise<string | null> {
  if (text === undefined || text === null || text.trim() === '') return null;
  return sanitizePayload(text);
}
