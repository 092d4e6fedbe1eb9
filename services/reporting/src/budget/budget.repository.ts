import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { BudgetView, SetBudgetInput } from '@civil/contracts';
import type { DataSource, EntityManager } from 'typeorm';

interface BudgetRow {
  year: number;
  stated_total_fen: string;
  basic_fen: string;
  project_fen: string;
  carry_over_fen: string;
  additions_fen: string;
  year_end_balance_fen: string;
  updated_at: Date;
  updated_by: string;
}
interface ProjectRow {
  code: string;
  name: string;
  programme: string;
  amount_fen: string | null;
  elements: string[];
}

/** A year's budget and its projects; a new budget for a year replaces the old one whole. */
@Injectable()
export class BudgetRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(year: number, manager?: EntityManager): Promise<BudgetView | null> {
    const db = manager ?? this.dataSource.manager;
    const [row] = await db.query<BudgetRow[]>(`SELECT * FROM budget WHERE year = $1`, [year]);
    if (!row) return null;
    const projects = await db.query<ProjectRow[]>(`SELECT code, name, programme, amount_fen, elements FROM budget_project WHERE year = $1 ORDER BY position`, [year]);
    return {
      year: row.year,
      statedTotalFen: Number(row.stated_total_fen),
      basicFen: Number(row.basic_fen),
      projectFen: Number(row.project_fen),
      carryOverFen: Number(row.carry_over_fen),
      additionsFen: Number(row.additions_fen),
      yearEndBalanceFen: Number(row.year_end_balance_fen),
      projects: projects.map((p) => ({ code: p.code, name: p.name, programme: p.programme, amountFen: p.amount_fen === null ? null : Number(p.amount_fen), elements: p.elements })),
      updatedAt: row.updated_at.toISOString(),
      updatedBy: row.updated_by,
    };
  }

  async replace(input: SetBudgetInput, userId: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM budget WHERE year = $1`, [input.year]);
    await manager.query(
      `INSERT INTO budget (year, stated_total_fen, basic_fen, project_fen, carry_over_fen, additions_fen, year_end_balance_fen, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [input.year, input.statedTotalFen, input.basicFen, input.projectFen, input.carryOverFen, input.additionsFen, input.yearEndBalanceFen, userId],
    );
    for (const [position, p] of input.projects.entries()) {
      await manager.query(`INSERT INTO budget_project (year, code, position, name, programme, amount_fen, elements) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        input.year,
        p.code,
        position,
        p.name,
        p.programme,
        p.amountFen,
        p.elements,
      ]);
    }
  }
}
