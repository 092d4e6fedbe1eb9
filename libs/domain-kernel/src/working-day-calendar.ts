import { InvalidValueError } from './errors';
import { addDays, compareDates, dayOfWeek, parseLocalDate } from './local-date';

const CODE = 'CALENDAR_INVALID';

export interface WorkingDayCalendarData {
  /** Statutory days off (法定节假日 including the weekend days inside a holiday block), 'YYYY-MM-DD'. */
  holidays: readonly string[];
  /** Saturdays and Sundays made working days to compensate (调休上班), 'YYYY-MM-DD'. */
  workingWeekends: readonly string[];
}

/**
 * Working days for statutory deadlines (e.g. "decide within 20 working days"). China's holiday
 * arrangement is announced each year by the State Council, so the calendar only knows what it is
 * given; `covers` lets callers refuse a year nobody has seeded instead of miscounting it.
 */
export class WorkingDayCalendar {
  private readonly holidays: ReadonlySet<string>;
  private readonly workingWeekends: ReadonlySet<string>;
  private readonly years: ReadonlySet<number>;

  constructor(data: WorkingDayCalendarData) {
    for (const date of [...data.holidays, ...data.workingWeekends]) parseLocalDate(date);
    const holidays = new Set(data.holidays);
    for (const date of data.workingWeekends) {
      const weekday = dayOfWeek(date);
      // Catching these at load time stops a typo in the seed table from shifting deadlines silently.
      if (weekday < 6) {
        throw new InvalidValueError(CODE, 'working-weekend', `${date} is listed as a working weekend but is a weekday`);
      }
      if (holidays.has(date)) {
        throw new InvalidValueError(CODE, 'conflict', `${date} is listed both as a holiday and as a working weekend`);
      }
    }
    this.holidays = holidays;
    this.workingWeekends = new Set(data.workingWeekends);
    this.years = new Set(data.holidays.map((date) => Number(date.slice(0, 4))));
  }

  isWorkingDay(date: string): boolean {
    if (this.workingWeekends.has(date)) return true;
    if (this.holidays.has(date)) return false;
    return dayOfWeek(date) <= 5;
  }

  /** The n-th working day after start (start itself not counted); n = 0 returns start unchanged. */
  addWorkingDays(start: string, n: number): string {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`addWorkingDays needs a whole number of days ≥ 0, got ${n}`);
    }
    let date = parseLocalDate(start);
    for (let remaining = n; remaining > 0; ) {
      date = addDays(date, 1);
      if (this.isWorkingDay(date)) remaining--;
    }
    return date;
  }

  /** Working days in (start, end]; 0 when end is not after start. */
  workingDaysBetween(start: string, end: string): number {
    if (compareDates(end, start) <= 0) return 0;
    let count = 0;
    for (let date = addDays(start, 1); date <= end; date = addDays(date, 1)) {
      if (this.isWorkingDay(date)) count++;
    }
    return count;
  }

  nextWorkingDayOnOrAfter(date: string): string {
    let day = parseLocalDate(date);
    while (!this.isWorkingDay(day)) day = addDays(day, 1);
    return day;
  }

  /** True when the data holds any holiday in that year, i.e. someone loaded its arrangement. */
  covers(year: number): boolean {
    return this.years.has(year);
  }
}
