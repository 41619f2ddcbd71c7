import { describe, expect, it } from 'vitest';
import { misspeltCandidates, planKeywordQuery, tsqueryOperand } from './keyword-plan';

describe('keyword plan', () => {
  it('orders known terms rarest first and weighs them by inverse document frequency', () => {
    const plan = planKeywordQuery(
      [
        { lexeme: 'use', ndoc: 900 },
        { lexeme: 'slide', ndoc: 12 },
        { lexeme: 'zzz', ndoc: 0 },
        { lexeme: 'outlin', ndoc: 40 },
      ],
      1000,
    );
    expect(plan!.terms.map((t) => t.lexeme)).toEqual(['slide', 'outlin', 'use']);
    const [slide, outline, use] = plan!.terms;
    expect(slide!.idf).toBeGreaterThan(outline!.idf);
    expect(outline!.idf).toBeGreaterThan(use!.idf * 5);
    expect(plan!.highlight).toBe("'slide' | 'outlin' | 'use'");
  });

  it('discounts corrected misspellings and keeps at most eight terms', () => {
    const terms = Array.from({ length: 12 }, (_, i) => ({ lexeme: `w${i}`, ndoc: i + 1 }));
    const plan = planKeywordQuery([...terms, { lexeme: 'powerpoint', ndoc: 3, correctedFrom: 'powerpont' }], 100)!;
    expect(plan.terms).toHaveLength(8);
    const fixed = plan.terms.find((t) => t.lexeme === 'powerpoint')!;
    const straight = plan.terms.find((t) => t.lexeme === 'w2')!;
    expect(fixed.typo).toBe(true);
    expect(fixed.idf).toBeCloseTo(straight.idf * 0.7, 10);
  });

  it('has nothing to plan when no word is known', () => {
    expect(planKeywordQuery([{ lexeme: 'qwerti', ndoc: 0 }], 50)).toBeNull();
  });

  it('picks only unknown plain words of four letters or more for correction', () => {
    expect(
      misspeltCandidates([
        { lexeme: 'powerpont', ndoc: 0 },
        { lexeme: 'pdf', ndoc: 0 },
        { lexeme: 'c++', ndoc: 0 },
        { lexeme: 'slide', ndoc: 4 },
        { lexeme: 'powerpont', ndoc: 0 },
      ]),
    ).toEqual(['powerpont']);
  });

  it("escapes a lexeme's quotes and backslashes for tsquery", () => {
    expect(tsqueryOperand("o'neil\\x")).toBe("'o''neil\\\\x'");
  });
});
