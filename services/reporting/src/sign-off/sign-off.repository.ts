import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SignOffView } from '@civil/contracts';
import type { DataSource, EntityManager } from 'typeorm';

export type SignOffAction = SignOffView['actions'][number];

/** The append-only actions on a year's report; its status is derived from them. */
@Injectable()
export class SignOffRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async actions(year: number, manager?: EntityManager): Promise<SignOffAction[]> {
    const rows = await (manager ?? this.dataSource.manager).query<{ action: SignOffAction['action']; actor_id: string; at: Date; note: string | null }[]>(
      `SELECT action, actor_id, at, note FROM report_sign_off_action WHERE year = $1 ORDER BY id`,
      [year],
    );
    return rows.map((r) => ({ action: r.action, actorId: r.actor_id, at: r.at.toISOString(), note: r.note }));
  }

  /** False when the year already has that action (a concurrent reviewer or approver won). */
  async append(year: number, action: SignOffAction['action'], actorId: string, note: string | null, at: string, manager: EntityManager): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO report_sign_off_action (year, action, actor_id, note, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (year, action) DO NOTHING RETURNING id`,
      [year, action, actorId, note, at],
    );
    return rows.length > 0;
  }
}
