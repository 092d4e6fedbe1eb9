import { z } from 'zod';
import * as contracts from './index';
import { addExamples, requestExamplesOf } from './request-examples';

/** Every exported schema of the contracts that carries request examples, by export name. */
const withExamples: [string, z.ZodType][] = Object.entries(contracts as Record<string, unknown>).flatMap(([name, value]) =>
  value instanceof z.ZodType && requestExamplesOf(value).length > 0 ? [[name, value] as [string, z.ZodType]] : [],
);

describe('addExamples', () => {
  it('keeps the examples and their summaries on the schema itself, in order', () => {
    const schema = z.object({ period: z.string() }).strict();
    expect(addExamples(schema, [{ summary: 'November', value: { period: '2026-11' } }, { value: { period: '2026-12' } }])).toBe(schema);
    expect(requestExamplesOf(schema)).toEqual([{ summary: 'November', value: { period: '2026-11' } }, { value: { period: '2026-12' } }]);
    expect(schema.meta()?.examples).toEqual([{ period: '2026-11' }, { period: '2026-12' }]);
  });

  it('keeps metadata the schema already has', () => {
    const schema = z.object({ year: z.number() }).meta({ description: 'a year' });
    addExamples(schema, [{ value: { year: 2023 } }]);
    expect(schema.meta()).toEqual({ description: 'a year', examples: [{ year: 2023 }] });
  });

  it('finds no examples on a schema without them', () => {
    expect(requestExamplesOf(z.object({}))).toEqual([]);
  });
});

describe('the request examples of the contracts', () => {
  it('are on the request schemas (the gateway test checks every write route has some)', () => {
    expect(withExamples.map(([name]) => name)).toEqual(expect.arrayContaining(['registerHouseholdSchema', 'createPlaceNameSchema', 'divisionChangeRequestSchema', 'setBudgetSchema']));
  });

  it.each(withExamples)('%s: every example parses with its schema', (_name: string, schema: z.ZodType) => {
    for (const { value } of requestExamplesOf(schema)) {
      const result = schema.safeParse(value);
      expect(result.success ? [] : contracts.fieldErrorsOf(result.error)).toEqual([]);
    }
  });

  it('a broken example does not parse', () => {
    const [example] = requestExamplesOf(contracts.recordIncomeSchema);
    expect(contracts.recordIncomeSchema.safeParse({ ...(example?.value as object), monthlyAmountFen: 1200.5 }).success).toBe(false);
  });
});
