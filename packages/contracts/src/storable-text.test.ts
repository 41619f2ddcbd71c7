import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordUsageInput, submitFeedbackInput } from './skills';
import { searchSkillsInput } from './search';
import { listSkillsInput } from './skills';
import { findUnstorableText, safeParseInput, unstorableTextReason } from './storable-text';

describe('text PostgreSQL cannot store', () => {
  it('finds NUL and unpaired surrogates, and lets paired ones and other controls through', () => {
    expect(unstorableTextReason('a\u0000b')).toContain('NUL');
    expect(unstorableTextReason('a\ud800')).toContain('U+D800');
    expect(unstorableTextReason('\udc00a')).toContain('U+DC00');
    expect(unstorableTextReason('\udbff\udfff')).toBeNull();
    expect(unstorableTextReason('😀 \u202e \u0001 %00 \\u0000')).toBeNull();
  });

  it('names the field, at any depth, and refuses a field name too', () => {
    expect(findUnstorableText({ a: { b: ['ok', 'x\u0000'] } })).toEqual({ field: 'a.b.1', message: expect.stringMatching(/^a\.b\.1 must not contain the NUL/) });
    expect(findUnstorableText({ ['k\u0000']: 1 })?.message).toMatch(/field name/);
    expect(findUnstorableText(new Uint8Array([0, 0]))).toBeNull();
  });

  it('refuses before the contract: search q, list tag, usage idempotencyKey, feedback body', () => {
    const cases = [
      [searchSkillsInput, { q: 'pdf\u0000' }, 'q'],
      [listSkillsInput, { tag: '\u0000' }, 'tag'],
      [recordUsageInput, { slug: 'pdf', source: 'api', idempotencyKey: 'k\u0000' }, 'idempotencyKey'],
      [submitFeedbackInput, { slug: 'pdf', kind: 'suggestion', body: 'bad \ud83d text' }, 'body'],
    ] as const;
    for (const [schema, input, field] of cases) {
      const parsed = safeParseInput(schema, input);
      expect(parsed.success, field).toBe(false);
      if (!parsed.success) expect(parsed.issues[0]?.field).toBe(field);
    }
  });

  it('whatever the text, a contract either refuses it or its output is storable', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (q, tag) => {
        const parsed = safeParseInput(searchSkillsInput, { q, tag });
        if (parsed.success) expect(findUnstorableText(parsed.data)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});
