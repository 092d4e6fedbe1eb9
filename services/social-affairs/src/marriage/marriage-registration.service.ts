import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ResidentId, compareDates, todayInShanghai } from '@civil/domain-kernel';
import {
  DomainError,
  MarriageEvents,
  actorCoversDivision,
  divisionLikePatterns,
  hasAnyRole,
  residentIdFor,
  type Actor,
  type BookMarriageAppointmentInput,
  type CertificateAccuracyReport,
  type CertificateFamily,
  type CertificateIssuedV1,
  type MarriageAppointmentView,
  type MarriageRegisteredV1,
  type MarriageRegistrationView,
  type RegisterMarriageInput,
  type ReissueMarriageCertificateInput,
  type Role,
} from '@civil/contracts';
import { lookupHashOrNull, Outbox, PersonalDataCipher, type SealedResidentId, sealResidentId, type Transaction } from '@civil/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { comparableParty, environmentCipher, openParty, sealParty, type StoredParty } from '../resident-ids';
import { upwardRuleDivisions } from '../rule-divisions';
import { certificateNumber, divorceCertificateMismatches, marriageRefusals, particularMismatches, type MarriageRule, type Particulars, type PartyFacts } from './marriage.domain';

const REGISTRARS: readonly Role[] = ['registrar', 'admin'];
const READERS: readonly Role[] = ['registrar', 'admin', 'auditor', 'leader'];
const UNIQUE_VIOLATION = '23505';
/** How far ahead a couple may book. */
const BOOKING_HORIZON_DAYS = 90;

interface RegistryRow {
  id: string;
  division_code: string;
  daily_capacity: number;
}

interface RegistrationRow {
  id: string;
  registry_id: string;
  division_code: string;
  registered_on: string;
  /** Each party's resident ID as its lookup hash and ciphertext. */
  parties: StoredParty[];
}

/** What a certificate row stores: the registration date and the parties, sealed. */
interface StoredParticulars {
  registeredOn: string;
  parties: StoredParty[];
}

function comparable(particulars: StoredParticulars): Particulars {
  return { registeredOn: particulars.registeredOn, parties: particulars.parties.map(comparableParty) };
}

/**
 * 婚姻登记: appointments against each registry's daily capacity, registration with every check
 * of the Civil Code and the province's jurisdiction rule, certificates numbered per registry, year
 * and kind, reissue (补领) after an archive check, and the check that every certificate states its
 * registration. Marital status in our records follows every registration.
 */
@Injectable()
export class MarriageRegistrationService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher = environmentCipher(),
  ) {}

  /** A citizen books for themselves and their partner; a registrar books for a couple. */
  async bookAppointment(input: BookMarriageAppointmentInput, actor: Actor, today = todayInShanghai()): Promise<MarriageAppointmentView> {
    let first: string;
    if (actor.kind === 'citizen') {
      if (!actor.residentId) throw new DomainError('FORBIDDEN', 'a citizen books with their own resident ID');
      first = actor.residentId;
    } else {
      this.requireRole(actor, REGISTRARS, 'appointments are booked by the couple or a registrar');
      if (input.residentId === undefined) throw DomainError.validation([{ field: 'residentId', rule: 'required', message: 'name the first party' }]);
      first = input.residentId;
    }
    if (first === input.partnerResidentId) throw DomainError.validation([{ field: 'partnerResidentId', rule: 'different', message: 'the partner is another person' }]);
    const horizon = new Date(`${today}T00:00:00Z`);
    horizon.setUTCDate(horizon.getUTCDate() + BOOKING_HORIZON_DAYS);
    if (compareDates(input.onDate, today) < 0 || input.onDate > horizon.toISOString().slice(0, 10)) {
      throw DomainError.validation([{ field: 'onDate', rule: 'range', message: `book a day from today to ${BOOKING_HORIZON_DAYS} days ahead` }]);
    }
    const registry = await this.registry(this.dataSource.manager, input.registryId);
    if (actor.kind !== 'citizen' && !actorCoversDivision(actor, registry.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the registry is outside your divisions');
    const id = uuidv7();
    try {
      const placesLeft = await this.outbox.transaction(async (tx) => {
        await tx.manager.query(`INSERT INTO marriage_appointment_day (registry_id, on_date, booked) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING`, [registry.id, input.onDate]);
        // One conditional update per booking: the row lock makes concurrent bookings queue, and
        // none lands once the day is full.
        const [day] = await tx.manager.query<{ booked: number }[]>(
          // (UPDATE … RETURNING inside a CTE: TypeORM returns the rows of a SELECT as they are.)
          `WITH taken AS (UPDATE marriage_appointment_day SET booked = booked + 1 WHERE registry_id = $1 AND on_date = $2 AND booked < $3 RETURNING booked)
           SELECT booked FROM taken`,
          [registry.id, input.onDate, registry.daily_capacity],
        );
        if (!day) throw new DomainError('CONFLICT', `the registry is fully booked on ${input.onDate}`);
        const [a, b] = [sealResidentId(this.cipher, first), sealResidentId(this.cipher, input.partnerResidentId)];
        await tx.manager.query(
          `INSERT INTO marriage_appointment (id, registry_id, on_date, party_a_resident_id_hash, party_a_resident_id_enc, party_b_resident_id_hash, party_b_resident_id_enc, status, booked_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'BOOKED', $8)`,
          [id, registry.id, input.onDate, a.hash, a.enc, b.hash, b.enc, actor.userId],
        );
        await tx.emit(actor, [{ type: MarriageEvents.appointmentBooked, subject: `marriage-appointment/${id}`, divisionCode: registry.division_code, data: { appointmentId: id, registryId: registry.id, onDate: input.onDate } }]);
        return registry.daily_capacity - day.booked;
      });
      return { id, registryId: registry.id, onDate: input.onDate, status: 'BOOKED', parties: [residentIdFor(actor, first), residentIdFor(actor, input.partnerResidentId)], placesLeft };
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new DomainError('CONFLICT', 'you already hold an appointment; cancel it before booking another');
      throw error;
    }
  }

  /** Frees the place; either party or a registrar may cancel while it is booked. */
  async cancelAppointment(appointmentId: string, actor: Actor): Promise<MarriageAppointmentView> {
    return this.outbox.transaction(async (tx) => {
      const [row] = await tx.manager.query<
        {
          registry_id: string;
          on_date: string;
          party_a_resident_id_hash: string;
          party_a_resident_id_enc: string;
          party_b_resident_id_hash: string;
          party_b_resident_id_enc: string;
          status: string;
          division_code: string;
          daily_capacity: number;
        }[]
      >(
        `SELECT a.registry_id, to_char(a.on_date, 'YYYY-MM-DD') AS on_date, a.party_a_resident_id_hash, a.party_a_resident_id_enc,
                a.party_b_resident_id_hash, a.party_b_resident_id_enc, a.status, r.division_code, r.daily_capacity
           FROM marriage_appointment a JOIN marriage_registry r ON r.id = a.registry_id WHERE a.id = $1 FOR UPDATE OF a`,
        [appointmentId],
      );
      const notFound = new DomainError('NOT_FOUND', `appointment ${appointmentId} does not exist`);
      if (!row) throw notFound;
      if (actor.kind === 'citizen') {
        const mine = lookupHashOrNull(this.cipher, actor.residentId);
        if (mine === null || (mine !== row.party_a_resident_id_hash && mine !== row.party_b_resident_id_hash)) throw notFound;
      } else {
        if (!hasAnyRole(actor, REGISTRARS)) throw notFound;
        if (!actorCoversDivision(actor, row.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the registry is outside your divisions');
      }
      if (row.status !== 'BOOKED') throw new DomainError('CONFLICT', `the appointment is ${row.status.toLowerCase()}`);
      await tx.manager.query(`UPDATE marriage_appointment SET status = 'CANCELLED' WHERE id = $1`, [appointmentId]);
      const [day] = await tx.manager.query<{ booked: number }[]>(
        `WITH freed AS (UPDATE marriage_appointment_day SET booked = booked - 1 WHERE registry_id = $1 AND on_date = $2 RETURNING booked) SELECT booked FROM freed`,
        [row.registry_id, row.on_date],
      );
      return {
        id: appointmentId,
        registryId: row.registry_id,
        onDate: row.on_date,
        status: 'CANCELLED' as const,
        parties: [residentIdFor(actor, this.cipher.decrypt(row.party_a_resident_id_enc)), residentIdFor(actor, this.cipher.decrypt(row.party_b_resident_id_enc))] as [string, string],
        placesLeft: row.daily_capacity - (day?.booked ?? 0),
      };
    });
  }

  /**
   * Registers a marriage after every check; issues the certificate; marks both married. Refusals
   * by the rules are NOT_ELIGIBLE naming each party's failing field. Concurrent registrations of
   * one person serialise on a lock per resident ID, so nobody is married twice.
   */
  async register(input: RegisterMarriageInput, actor: Actor, today = todayInShanghai()): Promise<MarriageRegistrationView> {
    this.requireRole(actor, REGISTRARS, 'marriages are registered by registrars');
    const registeredOn = input.registeredOn ?? today;
    if (compareDates(registeredOn, today) > 0) throw DomainError.validation([{ field: 'registeredOn', rule: 'not-in-future', message: 'a registration cannot be dated in the future' }]);
    const registry = await this.registry(this.dataSource.manager, input.registryId);
    if (!actorCoversDivision(actor, registry.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the registry is outside your divisions');
    const rule = await this.ruleOn(registry.division_code, registeredOn);
    const id = uuidv7();
    const parties = input.parties.map((p) => sealParty(this.cipher, { name: p.name, residentId: p.residentId }));

    await this.outbox.transaction(async (tx) => {
      const hashes = parties.map((p) => p.residentIdHash).sort();
      for (const hash of hashes) await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext('marriage:' || $1))`, [hash]);
      const statuses = await tx.manager.query<{ resident_id_hash: string; status: PartyFacts['currentStatus'] }[]>(
        `SELECT resident_id_hash, status FROM person_marital_status WHERE resident_id_hash = ANY($1)`,
        [hashes],
      );
      const facts = input.parties.map(
        (p, i): PartyFacts => ({
          residentId: p.residentId,
          hukouDivisionCode: p.hukouDivisionCode,
          residenceDivisionCode: p.residenceDivisionCode,
          currentStatus: statuses.find((s) => s.resident_id_hash === parties[i]?.residentIdHash)?.status ?? null,
        }),
      ) as [PartyFacts, PartyFacts];
      const refusals = marriageRefusals(facts, registeredOn, registry.division_code, rule);
      if (refusals.length > 0) throw new DomainError('NOT_ELIGIBLE', `the marriage cannot be registered: ${refusals.map((r) => r.message).join('; ')}`, refusals);
      if (input.appointmentId !== undefined) await this.useAppointment(tx.manager, input.appointmentId, registry.id, registeredOn, hashes);

      await tx.manager.query(
        `INSERT INTO marriage_registration (id, registry_id, appointment_id, registered_on, parties, declaration, registered_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, registry.id, input.appointmentId ?? null, registeredOn, JSON.stringify(parties), JSON.stringify(input.declaration), actor.userId],
      );
      for (const party of [...parties].sort((x, y) => x.residentIdHash.localeCompare(y.residentIdHash))) {
        await tx.manager.query(
          `INSERT INTO person_marital_status (resident_id_hash, resident_id_enc, status, since, registration_id) VALUES ($1, $2, 'married', $3, $4)
           ON CONFLICT (resident_id_hash) DO UPDATE SET status = 'married', since = EXCLUDED.since, registration_id = EXCLUDED.registration_id`,
          [party.residentIdHash, party.residentIdEnc, registeredOn, id],
        );
      }
      const registered: MarriageRegisteredV1 = { registrationId: id, registryDivisionCode: registry.division_code, registeredOn };
      await tx.emit<MarriageRegisteredV1>(actor, [{ type: MarriageEvents.registered, subject: `marriage-registration/${id}`, divisionCode: registry.division_code, data: registered }]);
      await this.issue(tx, actor, registry, { id, registry_id: registry.id, division_code: registry.division_code, registered_on: registeredOn, parties }, 'original', registeredOn, null, null);
    });
    return this.get(id, actor);
  }

  /** 补领: a new certificate for one party, once the archive confirms the registration. */
  async reissue(input: ReissueMarriageCertificateInput, actor: Actor, today = todayInShanghai()): Promise<MarriageRegistrationView> {
    this.requireRole(actor, REGISTRARS, 'certificates are reissued by registrars');
    const issuedOn = input.issuedOn ?? today;
    if (compareDates(issuedOn, today) > 0) throw DomainError.validation([{ field: 'issuedOn', rule: 'not-in-future', message: 'a certificate cannot be dated in the future' }]);
    await this.outbox.transaction(async (tx) => {
      const registration = await this.registration(tx.manager, input.registrationId);
      if (!actorCoversDivision(actor, registration.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the registration is outside your divisions');
      const holder = sealResidentId(this.cipher, input.residentId);
      if (!registration.parties.some((p) => p.residentIdHash === holder.hash)) {
        throw DomainError.validation([{ field: 'residentId', rule: 'party', message: 'a certificate is reissued to one of the two parties' }]);
      }
      const registry = await this.registry(tx.manager, registration.registry_id);
      await this.issue(tx, actor, registry, registration, 'reissue', issuedOn, holder, input.archiveCheck.archiveReference);
    });
    return this.get(input.registrationId, actor);
  }

  async get(registrationId: string, actor: Actor): Promise<MarriageRegistrationView> {
    const registration = await this.registration(this.dataSource.manager, registrationId);
    const notFound = new DomainError('NOT_FOUND', `registration ${registrationId} does not exist`);
    if (actor.kind === 'citizen') {
      const mine = lookupHashOrNull(this.cipher, actor.residentId);
      if (mine === null || !registration.parties.some((p) => p.residentIdHash === mine)) throw notFound;
    } else {
      if (!hasAnyRole(actor, READERS)) throw notFound;
      if (!actorCoversDivision(actor, registration.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the registration is outside your divisions');
    }
    const certificates = await this.dataSource.query<{ number: string; kind: 'original' | 'reissue'; issued_on: string; holder_resident_id_enc: string | null }[]>(
      `SELECT number, kind, to_char(issued_on, 'YYYY-MM-DD') AS issued_on, holder_resident_id_enc FROM marriage_certificate WHERE registration_id = $1 ORDER BY issued_on, number`,
      [registrationId],
    );
    return {
      id: registration.id,
      registryId: registration.registry_id,
      registeredOn: registration.registered_on,
      parties: registration.parties.map((stored) => {
        const p = openParty(this.cipher, stored);
        const id = ResidentId.parse(p.residentId);
        return { name: p.name, residentId: residentIdFor(actor, p.residentId), sex: id.sex, ageOnRegistration: id.ageOn(registration.registered_on) };
      }),
      certificates: certificates.map((c) => ({
        number: c.number,
        kind: c.kind,
        issuedOn: c.issued_on,
        holderResidentId: c.holder_resident_id_enc === null ? null : residentIdFor(actor, this.cipher.decrypt(c.holder_resident_id_enc)),
      })),
    };
  }

  /**
   * 出证准确率: each certificate issued in the year compared field by field with its registration,
   * within the caller's divisions. Marriage certificates (J…, BJ…) state their stored particulars,
   * compared with the marriage registration. A divorce certificate (L…) is the number on its divorce
   * registration (`divorce_application.certificate_number`): what it states (number, date, the
   * parties recorded on the divorce registration) is compared with the registry, the registration's
   * appearance period and the parties of the marriage dissolved. Read-only: one query per kind.
   */
  async certificateAccuracy(year: number, actor: Actor): Promise<CertificateAccuracyReport> {
    this.requireRole(actor, READERS, 'the accuracy check is for registrars, auditors and leaders');
    const scope = divisionLikePatterns(actor);
    const inScope = scope === null ? '' : ' AND r.division_code LIKE ANY($2::text[])';
    const params = scope === null ? [year] : [year, scope];
    const marriages = await this.dataSource.query<{ number: string; particulars: StoredParticulars; registered_on: string; parties: StoredParty[] }[]>(
      `SELECT c.number, c.particulars, to_char(m.registered_on, 'YYYY-MM-DD') AS registered_on, m.parties
         FROM marriage_certificate c
         JOIN marriage_registration m ON m.id = c.registration_id
         JOIN marriage_registry r ON r.id = m.registry_id
        WHERE c.issued_on >= make_date($1, 1, 1) AND c.issued_on < make_date($1 + 1, 1, 1)${inScope}
        ORDER BY c.number`,
      params,
    );
    const divorces = await this.dataSource.query<
      { number: string; registered_on: string; parties: StoredParty[]; division_code: string; cooling_off_ends_on: string; appear_by_on: string; marriage_parties: StoredParty[] }[]
    >(
      `SELECT a.certificate_number AS number, to_char(a.registered_on, 'YYYY-MM-DD') AS registered_on, a.parties, r.division_code,
              to_char(a.cooling_off_ends_on, 'YYYY-MM-DD') AS cooling_off_ends_on, to_char(a.appear_by_on, 'YYYY-MM-DD') AS appear_by_on, m.parties AS marriage_parties
         FROM divorce_application a
         JOIN marriage_registration m ON m.id = a.marriage_registration_id
         JOIN marriage_registry r ON r.id = a.registry_id
        WHERE a.certificate_number IS NOT NULL AND a.registered_on >= make_date($1, 1, 1) AND a.registered_on < make_date($1 + 1, 1, 1)${inScope}
        ORDER BY a.certificate_number`,
      params,
    );
    const checked: { kind: CertificateFamily; number: string; fields: string[] }[] = [
      // Resident IDs compared by their lookup hashes: nothing is decrypted for the check.
      ...marriages.map((r) => ({ kind: 'marriage' as const, number: r.number, fields: particularMismatches(comparable(r.particulars), comparable({ registeredOn: r.registered_on, parties: r.parties })) })),
      ...divorces.map((r) => ({
        kind: 'divorce' as const,
        number: r.number,
        fields: divorceCertificateMismatches(
          { number: r.number, registeredOn: r.registered_on, parties: r.parties.map(comparableParty) },
          { registryDivisionCode: r.division_code, coolingOffEndsOn: r.cooling_off_ends_on, appearByOn: r.appear_by_on, marriageParties: r.marriage_parties.map(comparableParty) },
        ),
      })),
    ];
    const figures = (of: readonly { fields: string[] }[]) => {
      const matching = of.filter((c) => c.fields.length === 0).length;
      return { certificates: of.length, matching, accuracyBp: of.length === 0 ? null : Math.floor((matching * 10_000) / of.length) };
    };
    return {
      year,
      ...figures(checked),
      mismatches: checked.filter((c) => c.fields.length > 0).map((c) => ({ number: c.number, kind: c.kind, fields: c.fields })),
      byKind: (['marriage', 'divorce'] as const).map((kind) => ({ kind, ...figures(checked.filter((c) => c.kind === kind)) })),
    };
  }

  /** The next serial of the registry, year and kind, and the certificate with its printed particulars. */
  private async issue(
    tx: Transaction,
    actor: Actor,
    registry: RegistryRow,
    registration: RegistrationRow,
    kind: 'original' | 'reissue',
    issuedOn: string,
    holder: SealedResidentId | null,
    archiveReference: string | null,
  ): Promise<void> {
    const year = Number(issuedOn.slice(0, 4));
    const [serial] = await tx.manager.query<{ last: number }[]>(
      `INSERT INTO certificate_serial (registry_id, year, kind, last) VALUES ($1, $2, $3, 1)
       ON CONFLICT (registry_id, year, kind) DO UPDATE SET last = certificate_serial.last + 1 RETURNING last`,
      [registry.id, year, kind],
    );
    const number = certificateNumber(kind, registry.division_code, year, serial?.last ?? 0);
    const particulars: StoredParticulars = { registeredOn: registration.registered_on, parties: registration.parties };
    await tx.manager.query(
      `INSERT INTO marriage_certificate (number, registration_id, kind, issued_on, holder_resident_id_hash, holder_resident_id_enc, particulars, archive_reference, issued_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [number, registration.id, kind, issuedOn, holder?.hash ?? null, holder?.enc ?? null, JSON.stringify(particulars), archiveReference, actor.userId],
    );
    const data: CertificateIssuedV1 = {
      certificateNumber: number,
      registrationId: registration.id,
      kind,
      issuedOn,
      matchesRegistration: particularMismatches(comparable(particulars), comparable({ registeredOn: registration.registered_on, parties: registration.parties })).length === 0,
    };
    await tx.emit<CertificateIssuedV1>(actor, [
      { type: kind === 'original' ? MarriageEvents.certificateIssued : MarriageEvents.certificateReissued, subject: `marriage-registration/${registration.id}`, divisionCode: registry.division_code, data },
    ]);
  }

  /** `residentIdHashes`: the two parties' lookup hashes. */
  private async useAppointment(manager: EntityManager, appointmentId: string, registryId: string, onDate: string, residentIdHashes: readonly string[]): Promise<void> {
    const [appointment] = await manager.query<{ registry_id: string; on_date: string; party_a_resident_id_hash: string; party_b_resident_id_hash: string; status: string }[]>(
      `SELECT registry_id, to_char(on_date, 'YYYY-MM-DD') AS on_date, party_a_resident_id_hash, party_b_resident_id_hash, status FROM marriage_appointment WHERE id = $1 FOR UPDATE`,
      [appointmentId],
    );
    const parties = appointment ? [appointment.party_a_resident_id_hash, appointment.party_b_resident_id_hash].sort() : [];
    if (!appointment || appointment.registry_id !== registryId || appointment.on_date !== onDate || parties.join() !== [...residentIdHashes].sort().join()) {
      throw DomainError.validation([{ field: 'appointmentId', rule: 'matches', message: 'no appointment of these two persons at this registry on this day' }]);
    }
    if (appointment.status !== 'BOOKED') throw new DomainError('CONFLICT', `the appointment is ${appointment.status.toLowerCase()}`);
    await manager.query(`UPDATE marriage_appointment SET status = 'USED' WHERE id = $1`, [appointmentId]);
  }

  private async registration(manager: EntityManager, id: string): Promise<RegistrationRow> {
    const [row] = await manager.query<RegistrationRow[]>(
      `SELECT m.id, m.registry_id, r.division_code, to_char(m.registered_on, 'YYYY-MM-DD') AS registered_on, m.parties
         FROM marriage_registration m JOIN marriage_registry r ON r.id = m.registry_id WHERE m.id = $1`,
      [id],
    );
    if (!row) throw new DomainError('NOT_FOUND', `registration ${id} does not exist`);
    return row;
  }

  private async registry(manager: EntityManager, id: string): Promise<RegistryRow> {
    const [row] = await manager.query<RegistryRow[]>(`SELECT id, division_code, daily_capacity FROM marriage_registry WHERE id = $1`, [id]);
    if (!row) throw new DomainError('NOT_FOUND', `marriage registry ${id} does not exist`);
    return row;
  }

  /** The rule in force for the registry on a date: its county's row, else its city's, else its province's. */
  private async ruleOn(divisionCode: string, onDate: string): Promise<MarriageRule> {
    const divisions = upwardRuleDivisions(divisionCode, { national: false });
    const [row] = await this.dataSource.query<{ male_min_age: number; female_min_age: number; jurisdiction: MarriageRule['jurisdiction'] }[]>(
      `SELECT male_min_age, female_min_age, jurisdiction FROM rule_marriage
        WHERE division_code = ANY($1) AND effective_from <= $2 AND (effective_to IS NULL OR effective_to > $2)
        ORDER BY division_code DESC LIMIT 1`,
      [divisions, onDate],
    );
    if (!row) throw new DomainError('CONFLICT', `no marriage rule is in force for ${divisionCode} on ${onDate}`);
    return { maleMinAge: row.male_min_age, femaleMinAge: row.female_min_age, jurisdiction: row.jurisdiction };
  }

  private requireRole(actor: Actor, roles: readonly Role[], message: string): void {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, roles)) throw new DomainError('FORBIDDEN', message);
  }
}
