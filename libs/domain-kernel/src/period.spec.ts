import { InvalidValueError } from './errors';
import { Period } from './period';

const p = (s: string): Period => Period.parse(s);

function expectPeriodInvalid(fn: () => unknown): void {
  expect(fn).toThrow(expect.objectContaining({ code: 'PERIOD_INVALID', rule: 'format' }) as Error);
  expect(fn).toThrow(InvalidValueError);
}

describe('Period.parse / Period.of', () => {
  it.each([
    ['2024-01', 2024, 1],
    ['2024-12', 2024, 12],
    ['1900-01', 1900, 1],
    ['2999-12', 2999, 12],
  ])('parses %s', (input, year, month) => {
    const period = p(input);
    expect(period.year).toBe(year);
    expect(period.month).toBe(month);
    expect(period.toString()).toBe(input);
    expect(Period.of(year, month).equals(period)).toBe(true);
    expect(Period.isValid(input)).toBe(true);
  });

  it.each([
    '2024-13',
    '2024-00',
    '1899-12',
    '3000-01',
    '2024-1',
    '202401',
    '2024-01-01',
    '',
    ' 2024-01',
    '2024/01',
    '24-01',
  ])('rejects %j', (input) => {
    expectPeriodInvalid(() => p(input));
    expect(Period.isValid(input)).toBe(false);
  });

  it.each([
    [2024, 0],
    [2024, 13],
    [2024.5, 1],
    [2024, 1.5],
    [1899, 12],
    [3000, 1],
    [Number.NaN, 1],
  ])('Period.of(%p, %p) is refused', (year, month) => {
    expectPeriodInvalid(() => Period.of(year, month));
  });

  it('refuses non-strings from untyped callers', () => {
    expectPeriodInvalid(() => p(202401 as unknown as string));
    expect(Period.isValid(null)).toBe(false);
  });
});

describe('Period.fromDate', () => {
  it.each([
    ['2024-02-29', '2024-02'],
    ['2024-12-31', '2024-12'],
    ['2025-01-01', '2025-01'],
  ])('%s is in %s', (date, expected) => {
    expect(Period.fromDate(date).toString()).toBe(expected);
  });

  it('refuses invalid dates', () => {
    expect(() => Period.fromDate('2023-02-29')).toThrow(expect.objectContaining({ code: 'DATE_INVALID' }) as Error);
  });

  it('refuses dates outside the supported years', () => {
    expectPeriodInvalid(() => Period.fromDate('1899-12-31'));
  });
});

describe('Period arithmetic', () => {
  it.each([
    [1, 1],
    [2, 1],
    [3, 1],
    [4, 2],
    [6, 2],
    [7, 3],
    [9, 3],
    [10, 4],
    [12, 4],
  ])('month %i is in quarter %i', (month, quarter) => {
    expect(Period.of(2024, month).quarter).toBe(quarter);
  });

  it('steps across year ends', () => {
    expect(p('2024-12').next().toString()).toBe('2025-01');
    expect(p('2025-01').previous().toString()).toBe('2024-12');
    expect(p('2024-06').next().toString()).toBe('2024-07');
    expect(p('2024-06').previous().toString()).toBe('2024-05');
  });

  it.each([
    ['2024-11', 3, '2025-02'],
    ['2024-01', -1, '2023-12'],
    ['2024-01', -13, '2022-12'],
    ['2024-05', 0, '2024-05'],
    ['2024-01', 24, '2026-01'],
    ['2023-12', 12, '2024-12'],
    ['2023-12', -12, '2022-12'],
    ['2024-03', -3, '2023-12'],
    ['1900-01', 11_999, '2899-12'],
  ])('%s plus %i months is %s', (start, n, expected) => {
    expect(p(start).plusMonths(n).toString()).toBe(expected);
  });

  it('refuses to step outside 1900–2999 or by fractions', () => {
    expectPeriodInvalid(() => p('2999-12').next());
    expectPeriodInvalid(() => p('1900-01').previous());
    expect(() => p('2024-01').plusMonths(1.5)).toThrow(RangeError);
  });

  it.each([
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['2023-02', '2023-02-01', '2023-02-28'],
    ['1900-02', '1900-02-01', '1900-02-28'],
    ['2000-02', '2000-02-01', '2000-02-29'],
    ['2024-04', '2024-04-01', '2024-04-30'],
    ['2024-12', '2024-12-01', '2024-12-31'],
  ])('%s runs from %s to %s', (period, first, last) => {
    expect(p(period).firstDay()).toBe(first);
    expect(p(period).lastDay()).toBe(last);
  });

  it.each([
    ['2024-02-29', true],
    ['2024-02-01', true],
    ['2024-03-01', false],
    ['2023-02-15', false],
  ])('2024-02 includes %s: %s', (date, expected) => {
    expect(p('2024-02').includes(date)).toBe(expected);
  });

  it.each([
    ['2024-11', '2025-02', 3],
    ['2025-02', '2024-11', -3],
    ['2024-05', '2024-05', 0],
    ['2023-01', '2024-12', 23],
    ['2023-12', '2024-01', 1],
  ])('from %s to %s is %i months', (from, to, months) => {
    expect(p(from).monthsUntil(p(to))).toBe(months);
    expect(p(from).plusMonths(months).equals(p(to))).toBe(true);
  });
});

describe('Period ordering', () => {
  it.each([
    ['2024-12', '2025-01', -1],
    ['2025-01', '2024-12', 1],
    ['2024-06', '2024-06', 0],
    ['2024-02', '2024-10', -1],
    ['1999-12', '2000-01', -1],
  ])('compares %s with %s as %i', (a, b, expected) => {
    expect(p(a).compare(p(b))).toBe(expected);
    expect(p(a).isBefore(p(b))).toBe(expected < 0);
    expect(p(a).isAfter(p(b))).toBe(expected > 0);
    expect(p(a).equals(p(b))).toBe(expected === 0);
  });

  it('sorts by compare', () => {
    const sorted = ['2025-01', '2024-10', '2024-02'].map(p).sort((a, b) => a.compare(b));
    expect(sorted.map(String)).toEqual(['2024-02', '2024-10', '2025-01']);
  });
});

describe('Period.range', () => {
  it('lists every month, both ends included, across a year end', () => {
    expect(Period.range(p('2024-11'), p('2025-02')).map(String)).toEqual([
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
    ]);
  });

  it('has one element when the ends meet and none when they are reversed', () => {
    expect(Period.range(p('2024-05'), p('2024-05')).map(String)).toEqual(['2024-05']);
    expect(Period.range(p('2024-06'), p('2024-05'))).toEqual([]);
  });

  it('covers a whole year', () => {
    const months = Period.range(p('2024-01'), p('2024-12'));
    expect(months).toHaveLength(12);
    expect(months.map((m) => m.month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});

describe('Period serialisation', () => {
  it('serialises as YYYY-MM', () => {
    expect(p('2024-03').toJSON()).toBe('2024-03');
    expect(JSON.stringify({ period: Period.of(2024, 3) })).toBe('{"period":"2024-03"}');
    expect(String(Period.of(1999, 9))).toBe('1999-09');
  });
});
