import { errorCodes, httpStatusOf } from '@everyskill/base/errors';
import { describe, expect, it } from 'vitest';
import { apiErrorSchema, deviceWaitingCodes } from './common';

const body = (code: string) => ({ error: { code, message: 'm' } });

describe('apiErrorSchema', () => {
  it('accepts the code of every AppError, each of which has an HTTP status', () => {
    for (const code of errorCodes) {
      expect(apiErrorSchema.safeParse(body(code)).success).toBe(true);
      expect(httpStatusOf[code]).toBeGreaterThanOrEqual(400);
    }
  });

  it("accepts the device poll's RFC 8628 answers", () => {
    for (const code of deviceWaitingCodes) expect(apiErrorSchema.safeParse(body(code)).success).toBe(true);
  });

  it('refuses any other code', () => {
    expect(apiErrorSchema.safeParse(body('teapot')).success).toBe(false);
  });
});
