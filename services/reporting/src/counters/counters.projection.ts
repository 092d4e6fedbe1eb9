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
    await manager.query(
      `INSERT INTO event_counter (event_type, division_code, period, count)
       VALUES ($1, rpad(substr($2, 1, 9), 12, '0'), to_char($3::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), 1)
       ON CONFLICT (event_type, division_code, period) DO UPDATE SET count = event_counter.count + 1`,
      [event.type, event.divisioncode, event.time],
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
