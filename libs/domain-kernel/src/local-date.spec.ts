import { InvalidValueError } from './errors';
import {
  addDays,
  compareDates,
  dayOfWeek,
  daysBetween,
  isLeapYear,
  isValidLocalDate,
  lastDayOfMonth,
  parseLocalDate,
  todayInShanghai,
} from './local-date';

function expectDateInvalid(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidValueError);
  expect(caught).toMatchObject({ code: 'DATE_INVALID', rule: 'format' });
}

describe('parseLocalDate', () => {
  it.each(['2024-02-29', '2000-02-29', '1900-01-01', '2023-12-31', '2024-04-30', '0001-01-01', '9999-12-31'])(
    'accepts %s and returns it unchanged',
    (date) => {
      expect(parseLocalDate(date)).toBe(date);
      expect(isValidLocalDate(date)).toBe(true);
    },
  );

  it.each([
    ['2023-02-29', 'does not exist'],
    ['1900-02-29', 'does not exist'],
    ['2100-02-29', 'does not exist'],
    ['2024-04-31', 'does not exist'],
    ['2024-13-01', 'does not exist'],
    ['2024-00-10', 'does not exist'],
    ['2024-01-00', 'does not exist'],
    ['2024-1-01', 'YYYY-MM-DD'],
    ['20240101', 'YYYY-MM-DD'],
    [' 2024-01-01', 'YYYY-MM-DD'],
    ['2024-01-01T00:00:00', 'YYYY-MM-DD'],
    ['2024/01/01', 'YYYY-MM-DD'],
    ['２０２４-01-01', 'YYYY-MM-DD'],
    ['', 'YYYY-MM-DD'],
  ])('rejects %s (%s)', (date, messagePart) => {
    expectDateInvalid(() => parseLocalDate(date));
    expect(() => parseLocalDate(date)).toThrow(messagePart);
    expect(isValidLocalDate(date)).toBe(false);
  });

  it('rejects non-strings coming from untyped callers', () => {
    expectDateInvalid(() => parseLocalDate(20240101 as unknown as string));
    expect(isValidLocalDate(null)).toBe(false);
  });
});

describe('todayInShanghai', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  // These instants fall on different calendar days in UTC and in Shanghai, so a result that used the
  // host's local time zone (whatever TZ the test machine has) would fail at least one of them.
  it.each([
    ['2023-12-31T16:30:00Z', '2024-01-01'],
    ['2023-12-31T15:59:59.999Z', '2023-12-31'],
    ['2023-12-31T16:00:00Z', '2024-01-01'],
    ['2024-02-28T16:00:00Z', '2024-02-29'],
    ['2024-06-30T23:00:00Z', '2024-07-01'],
    ['2024-07-01T08:00:00+08:00', '2024-07-01'],
    ['1970-01-01T00:00:00Z', '1970-01-01'],
    ['1969-12-31T16:00:00Z', '1970-01-01'],
    ['1969-12-31T15:59:59Z', '1969-12-31'],
  ])('at %s it is %s in Shanghai', (instant, expected) => {
    expect(todayInShanghai(new Date(instant))).toBe(expected);
  });

  it('defaults to the current instant', () => {
    jest.useFakeTimers({ now: new Date('2024-09-30T17:00:00Z') });
    expect(todayInShanghai()).toBe('2024-10-01');
  });

  it('refuses an invalid Date', () => {
    expectDateInvalid(() => todayInShanghai(new Date('not a date')));
  });
});

describe('addDays', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2023-12-31', 1, '2024-01-01'],
    ['2024-01-01', -1, '2023-12-31'],
    ['2024-03-01', -1, '2024-02-29'],
    ['1900-03-01', -1, '1900-02-28'],
    ['2000-01-01', 366, '2001-01-01'],
    ['2024-05-17', 0, '2024-05-17'],
    ['1970-01-01', -1, '1969-12-31'],
    ['2024-01-31', 30, '2024-03-01'],
  ])('%s + %i days = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it('refuses fractional day counts', () => {
    expect(() => addDays('2024-01-01', 1.5)).toThrow(RangeError);
    expect(() => addDays('2024-01-01', Number.NaN)).toThrow(RangeError);
  });

  it('refuses invalid dates', () => {
    expectDateInvalid(() => addDays('2023-02-29', 1));
  });

  it('refuses to leave four-digit years', () => {
    expectDateInvalid(() => addDays('9999-12-31', 1));
    expectDateInvalid(() => addDays('0000-01-01', -1));
  });

  it('agrees with an independent Date.UTC oracle on every day from 1900 to 2100', () => {
    let date = '1900-01-01';
    const start = Date.UTC(1900, 0, 1);
    for (let i = 0; i < 73_049; i++) {
      const expected = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
      if (date !== expected) throw new Error(`day ${i}: got ${date}, expected ${expected}`);
      date = addDays(date, 1);
    }
    expect(date).toBe('2100-01-01');
  });
});

describe('daysBetween', () => {
  it.each([
    ['2024-01-01', '2024-12-31', 365],
    ['2023-01-01', '2024-01-01', 365],
    ['2024-01-01', '2025-01-01', 366],
    ['2025-01-01', '2024-01-01', -366],
    ['2024-02-28', '2024-03-01', 2],
    ['2023-02-28', '2023-03-01', 1],
    ['1970-01-01', '1970-01-01', 0],
    ['1900-01-01', '2000-01-01', 36_524],
    ['1969-12-31', '1970-01-02', 2],
  ])('from %s to %s is %i days', (a, b, expected) => {
    expect(daysBetween(a, b)).toBe(expected);
  });

  it.each([
    ['1949-10-01', 27_000],
    ['2024-02-29', -400],
    ['2023-12-31', 1],
  ])('is the inverse of addDays (%s, %i)', (a, n) => {
    expect(daysBetween(a, addDays(a, n))).toBe(n);
  });

  it('refuses invalid dates on either side', () => {
    expectDateInvalid(() => daysBetween('2024-01-01', '2024-02-30'));
    expectDateInvalid(() => daysBetween('x', '2024-01-01'));
  });
});

describe('dayOfWeek', () => {
  it.each([
    ['2024-01-01', 1],
    ['2000-02-29', 2],
    ['1969-12-31', 3],
    ['1970-01-01', 4],
    ['2023-09-29', 5],
    ['2023-09-30', 6],
    ['2023-10-01', 7],
    ['1900-01-01', 1],
    ['2026-02-14', 6],
  ])('%s is ISO weekday %i', (date, expected) => {
    expect(dayOfWeek(date)).toBe(expected);
  });

  it('agrees with Date#getUTCDay for a run of days', () => {
    for (let i = 0; i < 1000; i++) {
      const date = addDays('2022-12-25', i);
      const utcDay = new Date(`${date}T00:00:00Z`).getUTCDay();
      expect(dayOfWeek(date)).toBe(utcDay === 0 ? 7 : utcDay);
    }
  });
});

describe('compareDates', () => {
  it.each([
    ['2024-01-01', '2024-01-02', -1],
    ['2024-01-02', '2024-01-01', 1],
    ['2024-01-01', '2024-01-01', 0],
    ['2023-12-31', '2024-01-01', -1],
    ['1999-12-31', '2000-01-01', -1],
  ])('compares %s with %s as %i', (a, b, expected) => {
    expect(compareDates(a, b)).toBe(expected);
  });

  it('sorts dates chronologically', () => {
    expect(['2024-03-01', '2023-12-31', '2024-02-29'].sort(compareDates)).toEqual([
      '2023-12-31',
      '2024-02-29',
      '2024-03-01',
    ]);
  });

  it('refuses invalid dates instead of comparing strings', () => {
    expectDateInvalid(() => compareDates('2024-1-1', '2024-01-01'));
  });
});

describe('isLeapYear', () => {
  it.each([
    [2000, true],
    [2400, true],
    [2024, true],
    [1996, true],
    [1900, false],
    [2100, false],
    [2023, false],
    [2025, false],
  ])('%i → %s', (year, expected) => {
    expect(isLeapYear(year)).toBe(expected);
  });
});

describe('lastDayOfMonth', () => {
  it.each([
    [2024, 1, 31],
    [2024, 2, 29],
    [2023, 2, 28],
    [1900, 2, 28],
    [2000, 2, 29],
    [2024, 4, 30],
    [2024, 6, 30],
    [2024, 9, 30],
    [2024, 11, 30],
    [2024, 12, 31],
    [2024, 7, 31],
    [2024, 8, 31],
  ])('%i-%i ends on day %i', (year, month, expected) => {
    expect(lastDayOfMonth(year, month)).toBe(expected);
  });

  it.each([
    [2024, 0],
    [2024, 13],
    [2024, 1.5],
  ])('refuses month %i/%d', (year, month) => {
    expectDateInvalid(() => lastDayOfMonth(year, month));
  });
});
