import { DomainError } from '@civil/contracts';
import type { EntityManager } from 'typeorm';

export type UrbanRural = 'urban' | 'rural';

/**
 * The divisions whose rule rows apply to a household's division, most specific first: the
 * division itself, its township, its county. A rule row at a deeper level overrides the county's,
 * so queries order by division_code DESC (a deeper code has fewer trailing zeros, so sorts higher).
 */
export function ruleDivisions(divisionCode: string): string[] {
  return [divisionCode, `${divisionCode.slice(0, 9)}000`, `${divisionCode.slice(0, 6)}000000`];
}

export interface DibaoStandard {
  monthlyStandardFen: number;
  floorBp: number;
}

/** The 低保 standard in force for a division and class on a date; CONFLICT when none is. */
export async function dibaoStandardOn(manager: EntityManager, divisionCode: string, urbanRural: UrbanRural, onDate: string): Promise<DibaoStandard> {
  const [row] = await manager.query<{ monthly_standard_fen: string; floor_bp: number }[]>(
    `SELECT monthly_standard_fen, floor_bp FROM rule_dibao_standard
      WHERE division_code = ANY($1) AND urban_rural = $2 AND effective_from <= $3 AND (effective_to IS NULL OR effective_to > $3)
      ORDER BY division_code DESC LIMIT 1`,
    [ruleDivisions(divisionCode), urbanRural, onDate],
  );
  if (!row) throw new DomainError('CONFLICT', `no 低保 standard is in force for ${divisionCode} (${urbanRural}) on ${onDate}`);
  return { monthlyStandardFen: Number(row.monthly_standard_fen), floorBp: row.floor_bp };
}

/** The 低保 procedure's durations in force for a division on a date; CONFLICT when none is. */
export async function dibaoProcedureOn(
  manager: EntityManager,
  divisionCode: string,
  onDate: string,
): Promise<{ noticeDays: number; deadlineWorkingDays: number; extendedDeadlineWorkingDays: number }> {
  const [row] = await manager.query<{ notice_days: number; deadline_working_days: number; extended_deadline_working_days: number }[]>(
    `SELECT notice_days, deadline_working_days, extended_deadline_working_days FROM rule_dibao_procedure
      WHERE division_code = ANY($1) AND effective_from <= $2 AND (effective_to IS NULL OR effective_to > $2)
      ORDER BY division_code DESC LIMIT 1`,
    [ruleDivisions(divisionCode), onDate],
  );
  if (!row) throw new DomainError('CONFLICT', `no 低保 procedure rule is in force for ${divisionCode} on ${onDate}`);
  return { noticeDays: row.notice_days, deadlineWorkingDays: row.deadline_working_days, extendedDeadlineWorkingDays: row.extended_deadline_working_days };
}
