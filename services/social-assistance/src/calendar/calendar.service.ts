import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkingDayCalendar } from '@civil/domain-kernel';
import type { DataSource } from 'typeorm';

/** The working-day calendar loaded from the holiday_calendar table, refreshed on demand. */
@Injectable()
export class CalendarService implements OnModuleInit {
  private current?: WorkingDayCalendar;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  async reload(): Promise<void> {
    const rows = await this.dataSource.query<{ day: string; kind: 'holiday' | 'working-weekend' }[]>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM holiday_calendar ORDER BY day`,
    );
    this.current = new WorkingDayCalendar({
      holidays: rows.filter((r) => r.kind === 'holiday').map((r) => r.day),
      workingWeekends: rows.filter((r) => r.kind === 'working-weekend').map((r) => r.day),
    });
  }

  calendar(): WorkingDayCalendar {
    if (!this.current) throw new Error('the working-day calendar is not loaded yet');
    return this.current;
  }
}
