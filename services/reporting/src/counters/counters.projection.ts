import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CounterView, EventEnvelope } from '@civil/contracts';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Events per type × township × month. The township is the first nine digits of the event's
 * division code; the month is the event time's month in Asia/Shanghai.
 */
@Injectable()
export class CountersProjection {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async apply(event: EventEnvelope, manager: EntityManager): Promise<void> {
    await this.applyMany([event], manager);
  }

  /** Counts a batch with one upsert (the batch's events grouped by counter first). */
  async applyMany(events: readonly EventEnvelope[], manager: EntityManager): Promise<void> {
    if (events.length === 0) return;
    await manager.query(
      `INSERT INTO event_counter (event_type, division_code, period, count)
       SELECT type, rpad(substr(division, 1, 9), 12, '0'), to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), count(*)
         FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS e (type, division, at)
        GROUP BY 1, 2, 3
       ON CONFLICT (event_type, division_code, period) DO UPDATE SET count = event_counter.count + EXCLUDED.count`,
      [events.map((e) => e.type), events.map((e) => e.divisioncode), events.map((e) => e.time)],
    );
  }

  async read(eventType?: string): Promise<{ counters: CounterView[]; totalEvents: number }> {
    const rows: { event_type: string; division_code: string; period: string; count: string }[] = await this.dataSource.query(
      `SELECT event_type, division_code, period, count FROM event_counter
        WHERE $1::text IS NULL OR event_type = $1
        ORDER BY event_type, division_code, period`,
      [eventType ?? null],
    );
    const counters = rows.map((r) => ({ eventType: r.event_type, divisionCode: r.division_code, period: r.period, count: Number(r.count) }));
    return { counters, totalEvents: counters.reduce((sum, c) => sum + c.count, 0) };
  }
}
