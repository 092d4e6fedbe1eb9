import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SaveValidationRuleInput, SetStatedFiguresInput, StatedFigureView, ValidationRuleView } from '@civil/contracts';
import type { DataSource, EntityManager } from 'typeorm';

interface RuleRow {
  code: string;
  message: string;
  left_side: ValidationRuleView['left'];
  operator: ValidationRuleView['operator'];
  right_side: ValidationRuleView['right'];
  tolerance: string;
  relative_tolerance: string;
  enabled: boolean;
  updated_at: Date;
  updated_by: string;
}

/** Validation rules, and the figures a year's report stated. */
@Injectable()
export class ValidationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async rules(manager?: EntityManager): Promise<ValidationRuleView[]> {
    const rows = await (manager ?? this.dataSource.manager).query<RuleRow[]>(`SELECT * FROM validation_rule ORDER BY code`);
    return rows.map((r) => ({
      code: r.code,
      message: r.message,
      left: r.left_side,
      operator: r.operator,
      right: r.right_side,
      tolerance: Number(r.tolerance),
      relativeTolerance: Number(r.relative_tolerance),
      enabled: r.enabled,
      updatedAt: r.updated_at.toISOString(),
      updatedBy: r.updated_by,
    }));
  }

  async saveRule(input: SaveValidationRuleInput, userId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO validation_rule (code, message, left_side, operator, right_side, tolerance, relative_tolerance, enabled, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (code) DO UPDATE SET message = excluded.message, left_side = excluded.left_side, operator = excluded.operator, right_side = excluded.right_side,
         tolerance = excluded.tolerance, relative_tolerance = excluded.relative_tolerance, enabled = excluded.enabled, updated_at = now(), updated_by = excluded.updated_by`,
      [input.code, input.message, JSON.stringify(input.left), input.operator, JSON.stringify(input.right), input.tolerance, input.relativeTolerance, input.enabled, userId],
    );
  }

  async statedFigures(year: number, manager?: EntityManager): Promise<StatedFigureView[]> {
    const rows = await (manager ?? this.dataSource.manager).query<{ year: number; code: string; label: string; value: string; unit: string }[]>(
      `SELECT year, code, label, value::text AS value, unit FROM stated_figure WHERE year = $1 ORDER BY code`,
      [year],
    );
    return rows.map((r) => ({ year: r.year, code: r.code, label: r.label, value: Number(r.value), unit: r.unit }));
  }

  /** Adds or replaces the given figures of the year; others stay. */
  async setStatedFigures(input: SetStatedFiguresInput, manager: EntityManager): Promise<void> {
    for (const f of input.figures) {
      await manager.query(
        `INSERT INTO stated_figure (year, code, label, value, unit) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (year, code) DO UPDATE SET label = excluded.label, value = excluded.value, unit = excluded.unit`,
        [input.year, f.code, f.label, String(f.value), f.unit],
      );
    }
  }
}
