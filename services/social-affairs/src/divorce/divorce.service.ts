import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import { CHINA_STATUTORY_CALENDAR_DATA, WorkingDayCalendar, compareDates, todayInShanghai } from '@civil/domain-kernel';
import {
  DivorceEvents,
  DomainError,
  actorCoversDivision,
  hasAnyRole,
  residentIdFor,
  type Actor,
  type ApplyDivorceInput,
  type DivorceApplicationEventV1,
  type DivorceApplicationView,
  type DivorceRegisteredV1,
  type RegisterDivorceInput,
  type Role,
  type WithdrawDivorceInput,
} from '@civil/contracts';
import { lookupHashOrNull, Outbox, PersonalDataCipher, sealResidentId, type Transaction } from '@civil/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { certificateNumber } from '../marriage/marriage.domain';
import { environmentCipher, type StoredParty } from '../resident-ids';
import { upwardRuleDivisions } from '../rule-divisions';
import { divorceActionRefusal, divorceStatusOn, divorceTimeline, type DivorceRule, type DivorceStatus } from './divorce.domain';

const REGISTRARS: readonly Role[] = ['registrar', 'admin'];
const READERS: readonly Role[] = ['registrar', 'admin', 'auditor', 'leader'];
const UNIQUE_VIOLATION = '23505';

interface ApplicationRow {
  id: string;
  registry_id: string;
  division_code: string;
  marriage_registration_id: string;
  /** Copied from the marriage registration: resident IDs as lookup hash and ciphertext. */
  parties: StoredParty[];
  received_on: string;
  cooling_off_ends_on: string;
  appear_by_on: string;
  status: 'OPEN' | 'WITHDRAWN' | 'LAPSED' | 'REGISTERED';
  withdrawn_on: string | null;
  registered_on: string | null;
  certificate_number: string | null;
}
const APPLICATION_COLUMNS = `a.id, a.registry_id, r.division_code, a.marriage_registration_id, a.parties,
  to_char(a.received_on, 'YYYY-MM-DD') AS received_on, to_char(a.cooling_off_ends_on, 'YYYY-MM-DD') AS cooling_off_ends_on,
  to_char(a.appear_by_on, 'YYYY-MM-DD') AS appear_by_on, a.status, to_char(a.withdrawn_on, 'YYYY-MM-DD') AS withdrawn_on,
  to_char(a.registered_on, 'YYYY-MM-DD') AS registered_on, a.certificate_number`;

/** The statutory calendar the kernel carries (holidays and 调休 working weekends by year). */
const CALENDAR = new WorkingDayCalendar({
  holidays: Object.values(CHINA_STATUTORY_CALENDAR_DATA).flatMap((year) => year.holidays),
  workingWeekends: Object.values(CHINA_STATUTORY_CALENDAR_DATA).flatMap((year) => year.workingWeekends),
});

/**
 * 协议离婚: the application of a couple married in our records starts 30 days of cooling-off in
 * which either may withdraw; both must then appear within 30 days to be registered, or it lapses
 * (the sweep records that). Periods end on a working day (Civil Code art. 203). The status on any
 * date follows from the dates; the status column caches the recorded outcome for queries.
 */
@Injectable()
export class DivorceService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher = environmentCipher(),
  ) {}

  async apply(input: ApplyDivorceInput, actor: Actor, today = todayInShanghai()): Promise<DivorceApplicationView> {
    this.requireRole(actor, REGISTRARS, 'divorce applications are received by registrars');
    const receivedOn = input.receivedOn ?? today;
    if (compareDates(receivedOn, today) > 0) throw DomainError.validation([{ field: 'receivedOn', rule: 'not-in-future', message: 'an application cannot be dated in the future' }]);
    const [registry] = await this.dataSource.query<{ division_code: string }[]>(`SELECT division_code FROM marriage_registry WHERE id = $1`, [input.registryId]);
    if (!registry) throw new DomainError('NOT_FOUND', `marriage registry ${input.registryId} does not exist`);
    if (!actorCoversDivision(actor, registry.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the registry is outside your divisions');
    const timeline = divorceTimeline(receivedOn, await this.ruleOn(registry.division_code, receivedOn), CALENDAR);
    const id = uuidv7();
    try {
      await this.outbox.transaction(async (tx) => {
        // The marriage must be the couple's current one in our records.
        const [marriage] = await tx.manager.query<{ parties: StoredParty[]; married: number }[]>(
          `SELECT m.parties, (SELECT count(*)::int FROM person_marital_status s WHERE s.registration_id = m.id AND s.status = 'married') AS married
             FROM marriage_registration m WHERE m.id = $1`,
          [input.marriageRegistrationId],
        );
        if (!marriage) throw new DomainError('NOT_FOUND', `marriage registration ${input.marriageRegistrationId} does not exist`);
        if (marriage.married !== 2) throw new DomainError('CONFLICT', 'the two are no longer married to each other in our records');
        await tx.manager.query(
          `INSERT INTO divorce_application (id, registry_id, marriage_registration_id, parties, received_on, cooling_off_ends_on, appear_by_on, status, recorded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'OPEN', $8)`,
          [id, input.registryId, input.marriageRegistrationId, JSON.stringify(marriage.parties), receivedOn, timeline.coolingOffEndsOn, timeline.appearByOn, actor.userId],
        );
        await this.emitApplicationEvent(tx, actor, DivorceEvents.received, id, input.marriageRegistrationId, registry.division_code, receivedOn);
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new DomainError('CONFLICT', 'this marriage already has an open divorce application');
      throw error;
    }
    return this.get(id, actor, today);
  }

  /** Either party withdraws during cooling-off (a citizen for themselves, or a registrar recording it). */
  async withdraw(input: WithdrawDivorceInput, actor: Actor, today = todayInShanghai()): Promise<DivorceApplicationView> {
    await this.outbox.transaction(async (tx) => {
      const row = await this.visible(tx.manager, input.applicationId, actor, true);
      const party = actor.kind === 'citizen' ? actor.residentId : input.residentId;
      if (actor.kind !== 'citizen') this.requireRole(actor, REGISTRARS, 'withdrawals are made by a party or recorded by a registrar');
      const sealed = party === undefined ? undefined : sealResidentId(this.cipher, party);
      if (sealed === undefined || !row.parties.some((p) => p.residentIdHash === sealed.hash)) {
        throw DomainError.validation([{ field: 'residentId', rule: 'party', message: 'a withdrawal is made by one of the two parties' }]);
      }
      this.refuseUnless('withdraw', statusOf(row, today));
      await tx.manager.query(`UPDATE divorce_application SET status = 'WITHDRAWN', withdrawn_on = $2, withdrawn_by_resident_id_hash = $3, withdrawn_by_resident_id_enc = $4 WHERE id = $1`, [
        row.id,
        today,
        sealed.hash,
        sealed.enc,
      ]);
      await this.emitApplicationEvent(tx, actor, DivorceEvents.withdrawn, row.id, row.marriage_registration_id, row.division_code, today);
    });
    return this.get(input.applicationId, actor, today);
  }

  /** Both appeared within the appearance period: the divorce is registered and the certificate issued. */
  async register(input: RegisterDivorceInput, actor: Actor, today = todayInShanghai()): Promise<DivorceApplicationView> {
    this.requireRole(actor, REGISTRARS, 'divorces are registered by registrars');
    const registeredOn = input.registeredOn ?? today;
    if (compareDates(registeredOn, today) > 0) throw DomainError.validation([{ field: 'registeredOn', rule: 'not-in-future', message: 'a registration cannot be dated in the future' }]);
    await this.outbox.transaction(async (tx) => {
      const row = await this.visible(tx.manager, input.applicationId, actor, true);
      this.refuseUnless('register', statusOf(row, registeredOn));
      const year = Number(registeredOn.slice(0, 4));
      const [serial] = await tx.manager.query<{ last: number }[]>(
        `INSERT INTO certificate_serial (registry_id, year, kind, last) VALUES ($1, $2, 'divorce', 1)
         ON CONFLICT (registry_id, year, kind) DO UPDATE SET last = certificate_serial.last + 1 RETURNING last`,
        [row.registry_id, year],
      );
      const number = `L${certificateNumber('original', row.division_code, year, serial?.last ?? 0).slice(1)}`;
      await tx.manager.query(`UPDATE divorce_application SET status = 'REGISTERED', registered_on = $2, certificate_number = $3 WHERE id = $1`, [row.id, registeredOn, number]);
      for (const party of row.parties) {
        await tx.manager.query(`UPDATE person_marital_status SET status = 'divorced', since = $2 WHERE resident_id_hash = $1 AND registration_id = $3`, [
          party.residentIdHash,
          registeredOn,
          row.marriage_registration_id,
        ]);
      }
      const data: DivorceRegisteredV1 = {
        registrationId: row.id,
        marriageRegistrationId: row.marriage_registration_id,
        registryDivisionCode: row.division_code,
        registeredOn,
        certificateNumber: number,
      };
      await tx.emit<DivorceRegisteredV1>(actor, [{ type: DivorceEvents.registered, subject: `divorce/${row.id}`, divisionCode: row.division_code, data }]);
    });
    return this.get(input.applicationId, actor, today);
  }

  /**
   * Records every open application whose appearance deadline passed before `today` as lapsed,
   * with its event, in one transaction. Idempotent: a second sweep finds nothing; replicas racing
   * each other take disjoint rows (SKIP LOCKED).
   */
  async lapse(actor: Actor, today = todayInShanghai()): Promise<{ lapsed: number }> {
    if (actor.kind !== 'system') this.requireRole(actor, REGISTRARS, 'the lapse sweep runs as the system or a registrar');
    return this.outbox.transaction(async (tx) => {
      const rows = await tx.manager.query<{ id: string; marriage_registration_id: string; division_code: string; lapsed_on: string }[]>(
        `WITH due AS (
           SELECT a.id FROM divorce_application a WHERE a.status = 'OPEN' AND a.appear_by_on < $1 FOR UPDATE SKIP LOCKED),
         lapsed AS (
           UPDATE divorce_application a SET status = 'LAPSED' FROM due WHERE a.id = due.id
           RETURNING a.id, a.marriage_registration_id, a.registry_id, a.appear_by_on)
         SELECT l.id, l.marriage_registration_id, r.division_code, to_char(l.appear_by_on + 1, 'YYYY-MM-DD') AS lapsed_on
           FROM lapsed l JOIN marriage_registry r ON r.id = l.registry_id`,
        [today],
      );
      for (const row of rows) await this.emitApplicationEvent(tx, actor, DivorceEvents.lapsed, row.id, row.marriage_registration_id, row.division_code, row.lapsed_on);
      return { lapsed: rows.length };
    });
  }

  async get(applicationId: string, actor: Actor, today = todayInShanghai()): Promise<DivorceApplicationView> {
    const row = await this.visible(this.dataSource.manager, applicationId, actor, false);
    const years = [row.received_on, row.appear_by_on].map((d) => Number(d.slice(0, 4)));
    return {
      id: row.id,
      marriageRegistrationId: row.marriage_registration_id,
      parties: row.parties.map((p) => residentIdFor(actor, this.cipher.decrypt(p.residentIdEnc))),
      receivedOn: row.received_on,
      coolingOffEndsOn: row.cooling_off_ends_on,
      appearByOn: row.appear_by_on,
      timelineProvisional: years.some((y) => !CALENDAR.covers(y)),
      status: statusOf(row, today),
      withdrawnOn: row.withdrawn_on,
      registeredOn: row.registered_on,
      certificateNumber: row.certificate_number,
    };
  }

  private async visible(manager: EntityManager, applicationId: string, actor: Actor, lock: boolean): Promise<ApplicationRow> {
    const [row] = await manager.query<ApplicationRow[]>(
      `SELECT ${APPLICATION_COLUMNS} FROM divorce_application a JOIN marriage_registry r ON r.id = a.registry_id WHERE a.id = $1${lock ? ' FOR UPDATE OF a' : ''}`,
      [applicationId],
    );
    const notFound = new DomainError('NOT_FOUND', `divorce application ${applicationId} does not exist`);
    if (!row) throw notFound;
    if (actor.kind === 'citizen') {
      const mine = lookupHashOrNull(this.cipher, actor.residentId);
      if (mine === null || !row.parties.some((p) => p.residentIdHash === mine)) throw notFound;
    } else if (actor.kind !== 'system') {
      if (!hasAnyRole(actor, READERS)) throw notFound;
      if (!actorCoversDivision(actor, row.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the application is outside your divisions');
    }
    return row;
  }

  private async emitApplicationEvent(tx: Transaction, actor: Actor, type: string, applicationId: string, marriageRegistrationId: string, divisionCode: string, onDate: string): Promise<void> {
    const data: DivorceApplicationEventV1 = { applicationId, marriageRegistrationId, onDate };
    await tx.emit<DivorceApplicationEventV1>(actor, [{ type, subject: `divorce/${applicationId}`, divisionCode, data }]);
  }

  private refuseUnless(action: 'withdraw' | 'register', status: DivorceStatus): void {
    const refusal = divorceActionRefusal(action, status);
    if (refusal !== null) throw new DomainError('CONFLICT', refusal);
  }

  /** The rule in force: the registry's county row, else the city's, the province's, the national one. */
  private async ruleOn(divisionCode: string, onDate: string): Promise<DivorceRule> {
    const divisions = upwardRuleDivisions(divisionCode, { national: true });
    const [row] = await this.dataSource.query<{ cooling_off_days: number; appearance_days: number }[]>(
      `SELECT cooling_off_days, appearance_days FROM rule_divorce
        WHERE division_code = ANY($1) AND effective_from <= $2 AND (effective_to IS NULL OR effective_to > $2)
        ORDER BY division_code DESC LIMIT 1`,
      [divisions, onDate],
    );
    if (!row) throw new DomainError('CONFLICT', `no divorce rule is in force for ${divisionCode} on ${onDate}`);
    return { coolingOffDays: row.cooling_off_days, appearanceDays: row.appearance_days };
  }

  private requireRole(actor: Actor, roles: readonly Role[], message: string): void {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, roles)) throw new DomainError('FORBIDDEN', message);
  }
}

/** A recorded outcome wins; an open application's status follows from the dates. */
function statusOf(row: ApplicationRow, today: string): DivorceStatus {
  if (row.status === 'LAPSED') return 'LAPSED';
  return divorceStatusOn(
    { receivedOn: row.received_on, coolingOffEndsOn: row.cooling_off_ends_on, appearByOn: row.appear_by_on },
    { withdrawnOn: row.withdrawn_on, registeredOn: row.registered_on },
    today,
  );
}

