import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Period, compareDates, todayInShanghai } from '@civil/domain-kernel';
import { DibaoEvents, DomainError, actorCoversDivision, hasAnyRole, type Actor, type DibaoHouseholdStartedV1 } from '@civil/contracts';
import { Outbox } from '@civil/platform';
import { householdMembersSealed } from '../households/household-access';
import type { DataSource } from 'typeorm';

/** One case of the caseload the previous system paid, as it stood when this system took over. */
export interface OpeningCase {
  householdId: string;
  coveredPersons: number;
  monthlyAmountFen: number;
  /** The first period the previous system paid. */
  startPeriod: string;
  /** The last review the previous system recorded; the next review falls due a cycle after it. */
  lastReviewedOn?: string;
  /** The case's number in the previous system, kept for tracing back. */
  legacyReference: string;
}

const IMPORTERS = ['district-approver', 'admin'] as const;
const UNIQUE_VIOLATION = '23505';

/**
 * Takes over the 低保 caseload of the previous system: each open case becomes a dibao_case with no
 * application here (its application lives in the old system), its last review recorded so
 * dynamic management schedules the next one on time, and a household.started event with origin
 * 'import', which reporting counts in the stock and never as a new case.
 */
@Injectable()
export class CaseloadImportService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async importCase(input: OpeningCase, actor: Actor, today = todayInShanghai()): Promise<{ caseId: string }> {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, IMPORTERS)) throw new DomainError('FORBIDDEN', 'the caseload is imported by the district');
    const fields: { field: string; rule: string; message: string }[] = [];
    if (!Period.isValid(input.startPeriod)) fields.push({ field: 'startPeriod', rule: 'format', message: 'must be YYYY-MM' });
    else if (Period.parse(input.startPeriod).isAfter(Period.fromDate(today))) fields.push({ field: 'startPeriod', rule: 'not-in-future', message: 'an imported case has started already' });
    if (!Number.isSafeInteger(input.coveredPersons) || input.coveredPersons < 1) fields.push({ field: 'coveredPersons', rule: 'min', message: 'must be a positive whole number' });
    if (!Number.isSafeInteger(input.monthlyAmountFen) || input.monthlyAmountFen <= 0) fields.push({ field: 'monthlyAmountFen', rule: 'min', message: 'must be positive whole fen' });
    if (input.lastReviewedOn !== undefined && (compareDates(input.lastReviewedOn, today) > 0 || input.lastReviewedOn < `${input.startPeriod}-01`)) {
      fields.push({ field: 'lastReviewedOn', rule: 'range', message: 'must fall between the start of the case and today' });
    }
    if (input.legacyReference.trim().length === 0) fields.push({ field: 'legacyReference', rule: 'required', message: 'the previous system’s case number is required' });
    if (fields.length > 0) throw DomainError.validation(fields);

    const [household] = await this.dataSource.query<{ division_code: string; urban_rural: 'urban' | 'rural'; size: number }[]>(
      `SELECT h.division_code, h.urban_rural, (SELECT count(*)::int FROM household_member m WHERE m.household_id = h.id) AS size FROM household h WHERE h.id = $1`,
      [input.householdId],
    );
    if (!household) throw new DomainError('NOT_FOUND', `household ${input.householdId} does not exist`);
    if (!actorCoversDivision(actor, household.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `household ${input.householdId} is outside your divisions`);
    if (input.coveredPersons > household.size) {
      throw DomainError.validation([{ field: 'coveredPersons', rule: 'household-size', message: `the household has ${household.size} members` }]);
    }

    const caseId = uuidv7();
    try {
      await this.outbox.transaction(async (tx) => {
        await tx.manager.query(
          `INSERT INTO dibao_case (id, household_id, division_code, urban_rural, covered_persons, monthly_amount_fen, start_period) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [caseId, input.householdId, household.division_code, household.urban_rural, input.coveredPersons, input.monthlyAmountFen, input.startPeriod],
        );
        if (input.lastReviewedOn !== undefined) {
          await tx.manager.query(
            `INSERT INTO dibao_review (id, case_id, household_id, division_code, cadence, due_on, outcome, reason, decided_by, decided_on)
             VALUES ($1, $2, $3, $4, 'yearly', $5, 'continue', $6, $7, $5)`,
            [uuidv7(), caseId, input.householdId, household.division_code, input.lastReviewedOn, `previous system's last review (${input.legacyReference})`, actor.userId],
          );
        }
        const started: DibaoHouseholdStartedV1 = {
          householdId: input.householdId,
          caseId,
          urbanRural: household.urban_rural,
          persons: input.coveredPersons,
          monthlyAmountFen: input.monthlyAmountFen,
          effectivePeriod: input.startPeriod,
          origin: 'import',
          members: await householdMembersSealed(tx.manager, input.householdId),
        };
        await tx.emit<DibaoHouseholdStartedV1>(actor, [
          { type: DibaoEvents.householdStarted, subject: `household/${input.householdId}`, divisionCode: household.division_code, data: started },
        ]);
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new DomainError('CONFLICT', `household ${input.householdId} already has an open 低保 case`);
      throw error;
    }
    return { caseId };
  }
}
