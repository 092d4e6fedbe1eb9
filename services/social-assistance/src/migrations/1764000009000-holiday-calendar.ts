import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CHINA_STATUTORY_CALENDAR_DATA } from '@civil/domain-kernel';

/**
 * The working-day calendar as data: statutory holidays and 调休 working weekends per year, seeded
 * from the State Council notices the kernel carries; later years are added as rows, not code.
 */
export class HolidayCalendar1764000009000 implements MigrationInterface {
  name = 'HolidayCalendar1764000009000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE holiday_calendar (
        day date PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('holiday', 'working-weekend')),
        source text NOT NULL
      )`);
    const days: string[] = [];
    const kinds: string[] = [];
    for (const data of Object.values(CHINA_STATUTORY_CALENDAR_DATA)) {
      for (const day of data.holidays) {
        days.push(day);
        kinds.push('holiday');
      }
      for (const day of data.workingWeekends) {
        days.push(day);
        kinds.push('working-weekend');
      }
    }
    await q.query(
      `INSERT INTO holiday_calendar (day, kind, source) SELECT d::date, k, '国务院办公厅 节假日安排通知' FROM unnest($1::text[], $2::text[]) AS t(d, k) ON CONFLICT (day) DO NOTHING`,
      [days, kinds],
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE holiday_calendar`);
  }
}
