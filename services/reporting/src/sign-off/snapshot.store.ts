import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FrozenReportView } from '@civil/contracts';
import type { DataSource, EntityManager } from 'typeorm';

/** The figures frozen when a year's report was approved; once there, a year's results are read from it. */
@Injectable()
export class SnapshotStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(year: number, manager?: EntityManager): Promise<FrozenReportView | null> {
    const [row] = await (manager ?? this.dataSource.manager).query<{ snapshot: FrozenReportView }[]>(`SELECT snapshot FROM report_snapshot WHERE year = $1`, [year]);
    return row?.snapshot ?? null;
  }

  async save(snapshot: FrozenReportView, manager: EntityManager): Promise<void> {
    await manager.query(`INSERT INTO report_snapshot (year, approved_at, approved_by, snapshot) VALUES ($1, $2, $3, $4)`, [
      snapshot.year,
      snapshot.approvedAt,
      snapshot.approvedBy,
      JSON.stringify(snapshot),
    ]);
  }
}
