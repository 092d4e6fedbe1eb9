import { InvalidValueError } from './errors';
import { dayOfWeek } from './local-date';
import { CHINA_STATUTORY_CALENDAR_DATA } from './seed/china-holidays';
import { WorkingDayCalendar } from './working-day-calendar';

const seeded = Object.values(CHINA_STATUTORY_CALENDAR_DATA);
const calendar = new WorkingDayCalendar({
  holidays: seeded.flatMap((year) => year.holidays),
  workingWeekends: seeded.flatMap((year) => year.workingWeekends),
});

describe('WorkingDayCalendar.isWorkingDay', () => {
  it.each([
    ['2023-09-28', true, 'Thursday before 中秋国庆'],
    ['2023-09-29', false, '中秋 (Friday)'],
    ['2023-09-30', false, 'Saturday inside the holiday'],
    ['2023-10-02', false, '国庆 (Monday)'],
    ['2023-10-06', false, 'last holiday day (Friday)'],
    ['2023-10-07', true, '调休 Saturday'],
    ['2023-10-08', true, '调休 Sunday'],
    ['2023-10-09', true, 'ordinary Monday'],
    ['2023-10-14', false, 'ordinary Saturday'],
    ['2023-10-15', false, 'ordinary Sunday'],
    ['2024-02-09', true, '除夕 2024 is only encouraged leave'],
    ['2024-02-04', true, '调休 Sunday before 春节'],
    ['2024-02-12', false, '春节 Monday'],
    ['2025-01-28', false, '除夕 2025, a statutory day from 2025'],
    ['2025-04-27', true, '调休 Sunday before 劳动节'],
    ['2025-10-08', false, '8th day of 国庆中秋 2025'],
    ['2026-01-04', true, '调休 Sunday after 元旦 2026'],
    ['2026-02-28', true, '调休 Saturday after 春节 2026'],
    ['2027-10-01', true, 'unseeded year: only weekdays are known'],
  ])('%s → %s (%s)', (date, expected) => {
    expect(calendar.isWorkingDay(date)).toBe(expected);
  });

  it('refuses invalid dates', () => {
    expect(() => calendar.isWorkingDay('2023-02-29')).toThrow(InvalidValueError);
  });
});

describe('WorkingDayCalendar.addWorkingDays', () => {
  it.each([
    // 30 working days across 中秋国庆 2023: six weekday holidays, two 调休 weekend days.
    ['2023-09-20', 30, '2023-11-07'],
    ['2023-09-28', 1, '2023-10-07'],
    ['2023-10-06', 1, '2023-10-07'],
    ['2023-10-07', 1, '2023-10-08'],
    ['2023-10-08', 1, '2023-10-09'],
    ['2024-02-08', 1, '2024-02-09'],
    ['2024-02-09', 1, '2024-02-18'],
    ['2025-04-25', 1, '2025-04-27'],
    ['2025-04-30', 1, '2025-05-06'],
    ['2025-12-31', 1, '2026-01-04'],
    ['2026-01-04', 1, '2026-01-05'],
    ['2026-09-18', 5, '2026-09-24'],
    ['2023-06-21', 20, '2023-07-20'],
  ])('%s + %i working days = %s', (start, n, expected) => {
    expect(calendar.addWorkingDays(start, n)).toBe(expected);
  });

  it('returns start for n = 0, even on a holiday', () => {
    expect(calendar.addWorkingDays('2023-10-01', 0)).toBe('2023-10-01');
    expect(calendar.addWorkingDays('2023-10-09', 0)).toBe('2023-10-09');
  });

  it('refuses negative or fractional counts and invalid starts', () => {
    expect(() => calendar.addWorkingDays('2023-10-09', -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2023-10-09', 1.5)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2023-13-01', 1)).toThrow(InvalidValueError);
  });

  it('always lands on a working day and agrees with workingDaysBetween', () => {
    for (const start of ['2023-01-18', '2023-09-27', '2024-02-02', '2025-01-24', '2025-09-26', '2026-02-12']) {
      for (let n = 1; n <= 40; n++) {
        const end = calendar.addWorkingDays(start, n);
        expect(calendar.isWorkingDay(end)).toBe(true);
        expect(calendar.workingDaysBetween(start, end)).toBe(n);
      }
    }
  });
});

describe('WorkingDayCalendar.workingDaysBetween', () => {
  it.each([
    ['2023-09-20', '2023-11-07', 30],
    ['2023-09-28', '2023-10-08', 2],
    ['2023-09-28', '2023-10-06', 0],
    ['2023-10-09', '2023-10-13', 4],
    ['2023-10-09', '2023-10-09', 0],
    ['2023-10-13', '2023-10-09', 0],
    ['2023-10-13', '2023-10-16', 1],
    ['2023-12-29', '2024-01-02', 1],
  ])('(%s, %s] holds %i working days', (start, end, expected) => {
    expect(calendar.workingDaysBetween(start, end)).toBe(expected);
  });

  it('counts the 251 working days of 2024', () => {
    // Cross-checked by a second route: weekdays − holidays falling on weekdays + 调休 weekend days.
    let weekdays = 0;
    for (const date of allDaysOf(2024)) if (dayOfWeek(date) <= 5) weekdays++;
    const data = CHINA_STATUTORY_CALENDAR_DATA[2024];
    const weekdayHolidays = data?.holidays.filter((d) => dayOfWeek(d) <= 5).length ?? 0;
    const expected = weekdays - weekdayHolidays + (data?.workingWeekends.length ?? 0);
    expect(calendar.workingDaysBetween('2023-12-31', '2024-12-31')).toBe(expected);
    expect(expected).toBe(251);
  });
});

describe('WorkingDayCalendar.nextWorkingDayOnOrAfter', () => {
  it.each([
    ['2023-09-28', '2023-09-28'],
    ['2023-09-29', '2023-10-07'],
    ['2024-02-10', '2024-02-18'],
    ['2023-10-14', '2023-10-16'],
    ['2025-05-31', '2025-06-03'],
  ])('%s → %s', (date, expected) => {
    expect(calendar.nextWorkingDayOnOrAfter(date)).toBe(expected);
  });
});

describe('WorkingDayCalendar.covers', () => {
  it.each([
    [2023, true],
    [2024, true],
    [2025, true],
    [2026, true],
    [2027, false],
    [2021, false],
  ])('covers(%i) → %s', (year, expected) => {
    expect(calendar.covers(year)).toBe(expected);
  });

  it('covers nothing when empty, yet still knows weekends', () => {
    const empty = new WorkingDayCalendar({ holidays: [], workingWeekends: [] });
    expect(empty.covers(2024)).toBe(false);
    expect(empty.isWorkingDay('2024-10-01')).toBe(true);
    expect(empty.isWorkingDay('2024-10-05')).toBe(false);
    expect(empty.addWorkingDays('2024-10-04', 1)).toBe('2024-10-07');
  });
});

describe('WorkingDayCalendar built from custom data', () => {
  it('uses only the data it was given', () => {
    const local = new WorkingDayCalendar({ holidays: ['2024-03-06'], workingWeekends: ['2024-03-09'] });
    expect(local.isWorkingDay('2024-03-06')).toBe(false);
    expect(local.isWorkingDay('2024-03-09')).toBe(true);
    expect(local.isWorkingDay('2024-10-01')).toBe(true);
    expect(local.addWorkingDays('2024-03-05', 1)).toBe('2024-03-07');
    expect(local.covers(2024)).toBe(true);
  });

  it.each([
    [{ holidays: ['2024-02-30'], workingWeekends: [] }, 'DATE_INVALID', 'format'],
    [{ holidays: [], workingWeekends: ['2024-13-01'] }, 'DATE_INVALID', 'format'],
    [{ holidays: [], workingWeekends: ['2024-10-08'] }, 'CALENDAR_INVALID', 'working-weekend'],
    [{ holidays: [], workingWeekends: ['2024-10-11'] }, 'CALENDAR_INVALID', 'working-weekend'],
    [{ holidays: [], workingWeekends: ['2024-10-14'] }, 'CALENDAR_INVALID', 'working-weekend'],
    [{ holidays: ['2024-10-12'], workingWeekends: ['2024-10-12'] }, 'CALENDAR_INVALID', 'conflict'],
  ])('refuses inconsistent data %j', (data, code, rule) => {
    expect(() => new WorkingDayCalendar(data)).toThrow(expect.objectContaining({ code, rule }) as Error);
  });
});

function allDaysOf(year: number): string[] {
  const days: string[] = [];
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d = new Date(d.getTime() + 86_400_000)) {
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}
