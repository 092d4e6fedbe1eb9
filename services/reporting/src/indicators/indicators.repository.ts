import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { IndicatorView, SaveIndicatorInput, SetIndicatorYearInput } from '@civil/contracts';
import type { DataSource, EntityManager } from 'typeorm';

interface IndicatorRow {
  code: string;
  name: string;
  category: IndicatorView['category'];
  source: IndicatorView['source'];
  factor: string;
  unit: string;
  direction: IndicatorView['direction'];
  scoring: IndicatorView['scoring'];
  updated_at: Date;
  updated_by: string;
  years: { year: number; target: string; weight: string; enteredActual: string | null }[];
}

/** Indicator definitions and their per-year targets, weights and entered actuals. */
@Injectable()
export class IndicatorsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Definitions with their year rows; with `year`, only the indicators that year has, with only that year. */
  async list(year?: number, manager?: EntityManager): Promise<IndicatorView[]> {
    const rows = await (manager ?? this.dataSource.manager).query<IndicatorRow[]>(
      `SELECT i.*, coalesce(
                jsonb_agg(jsonb_build_object('year', y.year, 'target', y.target::text, 'weight', y.weight::text, 'enteredActual', y.entered_actual::text) ORDER BY y.year)
                  FILTER (WHERE y.year IS NOT NULL), '[]') AS years
         FROM indicator i LEFT JOIN indicator_year y ON y.indicator_code = i.code AND ($1::int IS NULL OR y.year = $1)
        GROUP BY i.code
       HAVING $1::int IS NULL OR count(y.year) > 0
        ORDER BY i.code`,
      [year ?? null],
    );
    return rows.map((r) => ({
      code: r.code,
      name: r.name,
      category: r.category,
      source: r.source,
      factor: Number(r.factor),
      unit: r.unit,
      direction: r.direction,
      scoring: r.scoring,
      years: r.years.map((y) => ({ year: y.year, target: Number(y.target), weight: Number(y.weight), enteredActual: y.enteredActual === null ? null : Number(y.enteredActual) })),
      updatedAt: r.updated_at.toISOString(),
      updatedBy: r.updated_by,
    }));
  }

  async save(input: SaveIndicatorInput, userId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO indicator (code, name, category, source, factor, unit, direction, scoring, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, category = excluded.category, source = excluded.source, factor = excluded.factor,
         unit = excluded.unit, direction = excluded.direction, scoring = excluded.scoring, updated_at = now(), updated_by = excluded.updated_by`,
      [input.code, input.name, input.category, JSON.stringify(input.source), input.factor, input.unit, input.direction, JSON.stringify(input.scoring), userId],
    );
  }

  async exists(code: string, manager: EntityManager): Promise<boolean> {
    const rows = await manager.query<unknown[]>(`SELECT 1 FROM indicator WHERE code = $1`, [code]);
    return rows.length > 0;
  }

  async setYear(input: SetIndicatorYearInput, userId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO indicator_year (indicator_code, year, target, weight, entered_actual, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (indicator_code, year) DO UPDATE SET target = excluded.target, weight = excluded.weight,
         entered_actual = CASE WHEN $7 THEN excluded.entered_actual ELSE indicator_year.entered_actual END, updated_at = now(), updated_by = excluded.updated_by`,
      [input.code, input.year, input.target, input.weight, input.enteredActual ?? null, userId, input.enteredActual !== undefined],
    );
  }

  async weightSum(year: number, manager?: EntityManager): Promise<number> {
    const [row] = await (manager ?? this.dataSource.manager).query<{ total: string }[]>(`SELECT coalesce(sum(weight), 0)::text AS total FROM indicator_year WHERE year = $1`, [year]);
    return Number(row?.total ?? 0);
  }
}
