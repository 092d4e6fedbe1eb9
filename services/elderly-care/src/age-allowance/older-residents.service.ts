import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ResidentId, compareDates, todayInShanghai } from '@civil/domain-kernel';
import {
  DomainError,
  actorCoversDivision,
  residentIdFor,
  type Actor,
  type AgeAllowanceBand,
  type AgeAllowanceEndReason,
  type FieldError,
  type OlderResidentView,
  type RecordOlderResidentDeathInput,
  type RecordOlderResidentMoveAwayInput,
  type RegisterOlderResidentInput,
  type ResidenceBasis,
} from '@civil/contracts';
import { PersonalDataCipher } from '@civil/platform';
import { READERS, WRITERS, requireRole } from './age-allowance.access';
import { OLDER_RESIDENT_AGE, allowanceStarts, paidThroughFor, stopTakesEffect } from './age-allowance.domain';

const UNIQUE_VIOLATION = '23505';

interface PersonRow {
  id: string;
  resident_id_enc: string;
  name: string;
  division_code: string;
  residence_basis: ResidenceBasis;
  birth_date: string;
  resident_since: string | null;
  high_age_from: string;
  longevity_from: string;
  died_on: string | null;
  moved_away_on: string | null;
  paid_through: string | null;
}
const PERSON_COLUMNS = `id, resident_id_enc, name, division_code, residence_basis, to_char(birth_date, 'YYYY-MM-DD') AS birth_date,
  to_char(resident_since, 'YYYY-MM-DD') AS resident_since, high_age_from, longevity_from,
  to_char(died_on, 'YYYY-MM-DD') AS died_on, to_char(moved_away_on, 'YYYY-MM-DD') AS moved_away_on, paid_through`;

/**
 * The register of older residents (60 and over) the age allowances are paid from: registration
 * computes, once, the first month of each band from the birth date in the resident ID; a death or
 * a move out of the district records the last month payable. The monthly sweep
 * (AgeAllowancePayrollService) turns the register into enrolments. The resident ID is kept as its
 * lookup hash (one registration per person) and its ciphertext (shown, masked or not, in replies).
 */
@Injectable()
export class OlderResidentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async register(input: RegisterOlderResidentInput, actor: Actor, today = todayInShanghai()): Promise<OlderResidentView> {
    requireRole(actor, WRITERS, 'older residents are registered by the elderly-care office');
    const resident = ResidentId.parse(input.residentId, { today });
    const problems: FieldError[] = [];
    if (resident.ageOn(today) < OLDER_RESIDENT_AGE) {
      problems.push({ field: 'residentId', rule: 'older-resident', message: `the register is for residents of ${OLDER_RESIDENT_AGE} and over; born ${resident.birthDate}` });
    }
    if (input.residentSince !== undefined) {
      if (compareDates(input.residentSince, today) > 0) problems.push({ field: 'residentSince', rule: 'not-in-future', message: 'a residence starts today or earlier' });
      if (compareDates(input.residentSince, resident.birthDate) < 0) problems.push({ field: 'residentSince', rule: 'not-before-birth', message: `born ${resident.birthDate}` });
    }
    if (problems.length > 0) throw DomainError.validation(problems);
    if (!actorCoversDivision(actor, input.divisionCode)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `${input.divisionCode} is outside your divisions`);

    const id = uuidv7();
    const starts = allowanceStarts(resident.birthDate, input.residentSince ?? null);
    try {
      await this.dataSource.query(
        `INSERT INTO older_resident (id, resident_id_hash, resident_id_enc, name, division_code, residence_basis, birth_date, resident_since, high_age_from, longevity_from, next_change, registered_by)
         VALUES ($1, $2, $11, $3, $4, $5, $6, $7, $8, $9, $8, $10)`,
        [id, this.cipher.lookupHash(resident.value), input.name, input.divisionCode, input.residenceBasis, resident.birthDate, input.residentSince ?? null, starts.highAgeFrom, starts.longevityFrom, actor.userId, this.cipher.encrypt(resident.value)],
      );
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new DomainError('CONFLICT', 'this person is already in the register');
      throw error;
    }
    return this.get(id, actor);
  }

  /** Paid through the month of death; a death recorded late shows the months paid after it. */
  async recordDeath(input: RecordOlderResidentDeathInput, actor: Actor, today = todayInShanghai()): Promise<OlderResidentView> {
    requireRole(actor, WRITERS, 'deaths are recorded by the elderly-care office');
    await this.dataSource.transaction(async (manager) => {
      const person = await this.lockForUpdate(manager, input.id, actor);
      if (person.died_on !== null) throw new DomainError('CONFLICT', `the death was recorded already (${person.died_on})`);
      if (person.moved_away_on !== null) throw new DomainError('CONFLICT', `the person moved out of the district on ${person.moved_away_on}`);
      checkEventDate('diedOn', input.diedOn, person, today);
      const paidThrough = paidThroughFor(input.diedOn);
      await manager.query(`UPDATE older_resident SET died_on = $2, paid_through = $3, stop_reason = 'died', next_change = least(next_change, $4) WHERE id = $1`, [
        person.id,
        input.diedOn,
        paidThrough,
        stopTakesEffect(paidThrough),
      ]);
    });
    return this.get(input.id, actor);
  }

  /** Paid through the month of the move, stopped from the next. */
  async recordMoveAway(input: RecordOlderResidentMoveAwayInput, actor: Actor, today = todayInShanghai()): Promise<OlderResidentView> {
    requireRole(actor, WRITERS, 'moves are recorded by the elderly-care office');
    await this.dataSource.transaction(async (manager) => {
      const person = await this.lockForUpdate(manager, input.id, actor);
      if (person.died_on !== null) throw new DomainError('CONFLICT', `the person died on ${person.died_on}`);
      if (person.moved_away_on !== null) throw new DomainError('CONFLICT', `the move was recorded already (${person.moved_away_on})`);
      checkEventDate('movedOn', input.movedOn, person, today);
      const paidThrough = paidThroughFor(input.movedOn);
      await manager.query(`UPDATE older_resident SET moved_away_on = $2, destination = $3, paid_through = $4, stop_reason = 'moved-away', next_change = least(next_change, $5) WHERE id = $1`, [
        person.id,
        input.movedOn,
        input.destination ?? null,
        paidThrough,
        stopTakesEffect(paidThrough),
      ]);
    });
    return this.get(input.id, actor);
  }

  async get(id: string, actor: Actor): Promise<OlderResidentView> {
    requireRole(actor, READERS, 'the register of older residents is for elderly-care staff, finance, auditors and leaders');
    const [row] = await this.dataSource.query<PersonRow[]>(`SELECT ${PERSON_COLUMNS} FROM older_resident WHERE id = $1`, [id]);
    if (!row) throw new DomainError('NOT_FOUND', `older resident ${id} does not exist`);
    if (!actorCoversDivision(actor, row.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the person lives outside your divisions');
    const enrolments = await this.dataSource.query<{ id: string; band: AgeAllowanceBand; first_period: string; last_period: string | null; end_reason: AgeAllowanceEndReason | null }[]>(
      `SELECT id, band, first_period, last_period, end_reason FROM age_allowance_enrolment WHERE person_id = $1 ORDER BY first_period`,
      [id],
    );
    const overpaid =
      row.paid_through === null
        ? []
        : await this.dataSource.query<{ period: string }[]>(
            `SELECT p.period FROM age_allowance_payment p JOIN age_allowance_enrolment e ON e.id = p.enrolment_id WHERE e.person_id = $1 AND p.period > $2 ORDER BY p.period`,
            [id, row.paid_through],
          );
    return {
      id: row.id,
      residentId: residentIdFor(actor, this.cipher.decrypt(row.resident_id_enc)),
      name: row.name,
      divisionCode: row.division_code,
      residenceBasis: row.residence_basis,
      residentSince: row.resident_since,
      highAgeFrom: row.high_age_from,
      longevityFrom: row.longevity_from,
      diedOn: row.died_on,
      movedAwayOn: row.moved_away_on,
      paidThrough: row.paid_through,
      enrolments: enrolments.map((e) => ({ id: e.id, band: e.band, firstPeriod: e.first_period, lastPeriod: e.last_period, endReason: e.end_reason })),
      overpaidPeriods: overpaid.map((p) => p.period),
    };
  }

  private async lockForUpdate(manager: EntityManager, id: string, actor: Actor): Promise<PersonRow> {
    const [row] = await manager.query<PersonRow[]>(`SELECT ${PERSON_COLUMNS} FROM older_resident WHERE id = $1 FOR UPDATE`, [id]);
    if (!row) throw new DomainError('NOT_FOUND', `older resident ${id} does not exist`);
    if (!actorCoversDivision(actor, row.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the person lives outside your divisions');
    return row;
  }
}

/** A death or a move: not in the future, not before birth, not before moving in. */
function checkEventDate(field: string, date: string, person: PersonRow, today: string): void {
  const problems: FieldError[] = [];
  if (compareDates(date, today) > 0) problems.push({ field, rule: 'not-in-future', message: `${date} is after today (${today})` });
  if (compareDates(date, person.birth_date) < 0) problems.push({ field, rule: 'not-before-birth', message: `${date} is before the birth date` });
  else if (person.resident_since !== null && compareDates(date, person.resident_since) < 0) {
    problems.push({ field, rule: 'not-before-residence', message: `${date} is before the person moved into the district (${person.resident_since})` });
  }
  if (problems.length > 0) throw DomainError.validation(problems);
}
