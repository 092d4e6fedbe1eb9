import { addDays, compareDates, dayOfWeek, isValidLocalDate } from '../local-date';
import { WorkingDayCalendar } from '../working-day-calendar';
import { CHINA_STATUTORY_CALENDAR_DATA } from './china-holidays';

const years = Object.keys(CHINA_STATUTORY_CALENDAR_DATA).map(Number);

function dataOf(year: number): { holidays: string[]; workingWeekends: string[] } {
  const data = CHINA_STATUTORY_CALENDAR_DATA[year];
  if (!data) throw new Error(`no seed data for ${year}`);
  return data;
}

function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; compareDates(d, to) <= 0; d = addDays(d, 1)) days.push(d);
  return days;
}

describe('CHINA_STATUTORY_CALENDAR_DATA', () => {
  it('seeds 2023 to 2026', () => {
    expect(years).toEqual([2023, 2024, 2025, 2026]);
  });

  describe.each(years)('%i', (year) => {
    const { holidays, workingWeekends } = dataOf(year);

    it('holds only real dates, sorted and without duplicates', () => {
      for (const list of [holidays, workingWeekends]) {
        expect(list.every((d) => isValidLocalDate(d))).toBe(true);
        expect([...list].sort(compareDates)).toEqual(list);
        expect(new Set(list).size).toBe(list.length);
      }
    });

    it('lists only Saturdays and Sundays as 调休 working days', () => {
      expect(workingWeekends.filter((d) => dayOfWeek(d) < 6)).toEqual([]);
    });

    it('never lists a day both as holiday and as working day', () => {
      expect(holidays.filter((d) => workingWeekends.includes(d))).toEqual([]);
    });

    it("keeps each date in its notice's year (2023's 元旦 block alone starts in 2022)", () => {
      const stray = [...holidays, ...workingWeekends].filter((d) => !d.startsWith(String(year)));
      expect(stray).toEqual(year === 2023 ? ['2022-12-31'] : []);
    });

    it('loads into a WorkingDayCalendar', () => {
      expect(new WorkingDayCalendar({ holidays, workingWeekends }).covers(year)).toBe(true);
    });
  });

  it.each([
    [2023, 27, 7],
    [2024, 28, 8],
    [2025, 28, 5],
    [2026, 33, 6],
  ])('%i has %i holiday dates and %i 调休 working days', (year, holidayCount, workingCount) => {
    expect(dataOf(year).holidays).toHaveLength(holidayCount);
    expect(dataOf(year).workingWeekends).toHaveLength(workingCount);
  });

  // Transcribed from the notices a second time, independently of the seed file's layout.
  it.each<[number, string, string, string, string[]]>([
    [2023, '元旦', '2022-12-31', '2023-01-02', []],
    [2023, '春节', '2023-01-21', '2023-01-27', ['2023-01-28', '2023-01-29']],
    [2023, '清明节', '2023-04-05', '2023-04-05', []],
    [2023, '劳动节', '2023-04-29', '2023-05-03', ['2023-04-23', '2023-05-06']],
    [2023, '端午节', '2023-06-22', '2023-06-24', ['2023-06-25']],
    [2023, '中秋节、国庆节', '2023-09-29', '2023-10-06', ['2023-10-07', '2023-10-08']],
    [2024, '元旦', '2024-01-01', '2024-01-01', []],
    [2024, '春节', '2024-02-10', '2024-02-17', ['2024-02-04', '2024-02-18']],
    [2024, '清明节', '2024-04-04', '2024-04-06', ['2024-04-07']],
    [2024, '劳动节', '2024-05-01', '2024-05-05', ['2024-04-28', '2024-05-11']],
    [2024, '端午节', '2024-06-10', '2024-06-10', []],
    [2024, '中秋节', '2024-09-15', '2024-09-17', ['2024-09-14']],
    [2024, '国庆节', '2024-10-01', '2024-10-07', ['2024-09-29', '2024-10-12']],
    [2025, '元旦', '2025-01-01', '2025-01-01', []],
    [2025, '春节', '2025-01-28', '2025-02-04', ['2025-01-26', '2025-02-08']],
    [2025, '清明节', '2025-04-04', '2025-04-06', []],
    [2025, '劳动节', '2025-05-01', '2025-05-05', ['2025-04-27']],
    [2025, '端午节', '2025-05-31', '2025-06-02', []],
    [2025, '国庆节、中秋节', '2025-10-01', '2025-10-08', ['2025-09-28', '2025-10-11']],
    [2026, '元旦', '2026-01-01', '2026-01-03', ['2026-01-04']],
    [2026, '春节', '2026-02-15', '2026-02-23', ['2026-02-14', '2026-02-28']],
    [2026, '清明节', '2026-04-04', '2026-04-06', []],
    [2026, '劳动节', '2026-05-01', '2026-05-05', ['2026-05-09']],
    [2026, '端午节', '2026-06-19', '2026-06-21', []],
    [2026, '中秋节', '2026-09-25', '2026-09-27', []],
    [2026, '国庆节', '2026-10-01', '2026-10-07', ['2026-09-20', '2026-10-10']],
  ])('%i %s: off %s to %s', (year, _festival, from, to, working) => {
    const { holidays, workingWeekends } = dataOf(year);
    for (const day of daysFrom(from, to)) expect(holidays).toContain(day);
    // The days either side of a block are not part of it.
    expect(holidays).not.toContain(addDays(from, -1));
    expect(holidays).not.toContain(addDays(to, 1));
    for (const day of working) expect(workingWeekends).toContain(day);
  });

  it('leaves 2024 除夕 a working day: the notice only encouraged taking leave', () => {
    expect(dataOf(2024).holidays).not.toContain('2024-02-09');
  });
});
