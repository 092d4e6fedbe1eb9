import type { DataSource } from 'typeorm';
import { AgeAllowanceRatesHandlers } from './age-allowance-rates.handlers';

const row = (overrides: Record<string, unknown> = {}) => ({
  band: 'high-age',
  division_code: '430503000000',
  min_age: 80,
  max_age: 89,
  monthly_amount_fen: '10000',
  effective_from: '2025-01-01',
  effective_to: null,
  ...overrides,
});

const handlersReturning = (rows: unknown[]) => new AgeAllowanceRatesHandlers({ query: async () => rows } as unknown as DataSource);

describe('AgeAllowanceRatesHandlers.list', () => {
  it('maps rate rows to views, turning the bigint fen string into a number', async () => {
    const result = await handlersReturning([
      row(),
      row({ band: 'longevity', min_age: 100, max_age: null, monthly_amount_fen: '50000', effective_from: '2024-07-01', effective_to: '2025-06-30' }),
    ]).list();
    expect(result).toEqual({
      items: [
        { band: 'high-age', divisionCode: '430503000000', minAge: 80, maxAge: 89, monthlyAmountFen: 10000, effectiveFrom: '2025-01-01', effectiveTo: null },
        { band: 'longevity', divisionCode: '430503000000', minAge: 100, maxAge: null, monthlyAmountFen: 50000, effectiveFrom: '2024-07-01', effectiveTo: '2025-06-30' },
      ],
    });
    expect(typeof result.items[0]?.monthlyAmountFen).toBe('number');
  });

  it.each([
    ['0', 0],
    ['1', 1],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads the fen amount %p as %p', async (fen, expected) => {
    const { items } = await handlersReturning([row({ monthly_amount_fen: fen })]).list();
    expect(items[0]?.monthlyAmountFen).toBe(expected);
  });

  it.each([['9007199254740992'], ['100.50'], ['abc'], ['']])('refuses to publish the unsafe or malformed amount %p', async (fen) => {
    await expect(handlersReturning([row({ monthly_amount_fen: fen })]).list()).rejects.toThrow();
  });

  it('asks for rates ordered by division, age and start date, with dates as YYYY-MM-DD', async () => {
    const query = jest.fn(async () => []);
    expect(await new AgeAllowanceRatesHandlers({ query } as unknown as DataSource).list()).toEqual({ items: [] });
    expect(query).toHaveBeenCalledWith(expect.stringMatching(/to_char\(effective_from, 'YYYY-MM-DD'\)[\s\S]*ORDER BY division_code, min_age, effective_from/));
  });
});
