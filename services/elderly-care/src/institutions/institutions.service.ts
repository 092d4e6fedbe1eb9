import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import { todayInShanghai } from '@civil/domain-kernel';
import {
  CARE_BED_TYPES,
  CareInstitutionEvents,
  DomainError,
  admitCareResidentSchema,
  careInstitutionOccupancySchema,
  careOccupancySummarySchema,
  changeCareBedsSchema,
  closeCareInstitutionSchema,
  dischargeCareResidentSchema,
  divisionLikePatterns,
  getCareInstitutionSchema,
  listCareAdmissionsSchema,
  listCareInspectionsSchema,
  listCareInstitutionsSchema,
  listOverdueCareFindingsSchema,
  parseOrThrow,
  rectifyCareFindingSchema,
  recordCareInspectionSchema,
  registerCareInstitutionSchema,
  residentIdFor,
  totalBedsOf,
  type Actor,
  type AdmitCareResidentInput,
  type CareAdmissionListView,
  type CareAdmissionView,
  type CareBedChangeView,
  type CareBedCounts,
  type CareBedType,
  type CareDischargeReason,
  type CareFindingRectifiedV1,
  type CareFindingSeverity,
  type CareFindingView,
  type CareFunding,
  type CareInspectionKind,
  type CareInspectionListView,
  type CareInspectionRecordedV1,
  type CareInspectionView,
  type CareInstitutionBedsChangedV1,
  type CareInstitutionClosedV1,
  type CareInstitutionListView,
  type CareInstitutionOccupancyInput,
  type CareInstitutionOccupancyView,
  type CareInstitutionOwnership,
  type CareInstitutionRegisteredV1,
  type CareInstitutionView,
  type CareOccupancySummaryInput,
  type CareOccupancySummaryView,
  type CareResidentAdmittedV1,
  type CareResidentDischargedV1,
  type ChangeCareBedsInput,
  type CloseCareInstitutionInput,
  type DischargeCareResidentInput,
  type GetCareInstitutionInput,
  type ListCareAdmissionsInput,
  type ListCareInspectionsInput,
  type ListCareInstitutionsInput,
  type ListOverdueCareFindingsInput,
  type OverdueCareFindingListView,
  type RectifyCareFindingInput,
  type RecordCareInspectionInput,
  type RegisterCareInstitutionInput,
} from '@civil/contracts';
import { Outbox, PersonalDataCipher } from '@civil/platform';
import type { DataSource, EntityManager } from 'typeorm';
import {
  BED_TYPE_LABELS,
  checkAdmission,
  checkBedChange,
  checkBedsCoverResidents,
  checkCapacity,
  checkClosing,
  checkDischarge,
  checkInspection,
  checkNoOverlappingStay,
  checkNobodyInCare,
  checkRectification,
  checkRegistration,
  daysOverdue,
  figures,
  findingStatus,
  isOpenOn,
  requireReader,
  requireScope,
  requireWriter,
  sumFigures,
  summariseOccupancy,
  type CapacityPoint,
} from './institutions.domain';

interface InstitutionRow {
  id: string;
  name: string;
  ownership: CareInstitutionOwnership;
  division_code: string;
  address: string;
  licence_number: string | null;
  opened_on: string;
  closed_on: string | null;
  close_reason: string | null;
}
interface BedChangeRow {
  effective_from: string;
  self_care: number;
  semi_dependent: number;
  dependent: number;
  reason: string | null;
  recorded_by: string;
}
interface AdmissionRow {
  id: string;
  institution_id: string;
  resident_id_enc: string;
  resident_name: string;
  age_on_admission: number;
  bed_type: CareBedType;
  funding: CareFunding;
  admitted_on: string;
  discharged_on: string | null;
  discharge_reason: CareDischargeReason | null;
  discharge_note: string | null;
}
interface OccupancyRow extends InstitutionRow {
  beds_self_care: number;
  beds_semi_dependent: number;
  beds_dependent: number;
  occ_self_care: number;
  occ_semi_dependent: number;
  occ_dependent: number;
}
interface FindingRow {
  id: string;
  inspection_id: string;
  description: string;
  severity: CareFindingSeverity;
  deadline: string;
  rectified_on: string | null;
  verified_by: string | null;
  rectification_note: string | null;
}
interface InspectionRow {
  id: string;
  institution_id: string;
  kind: CareInspectionKind;
  inspected_on: string;
  inspector: string;
  summary: string | null;
}

const UNIQUE_VIOLATION = '23505';

const INSTITUTION_COLUMNS = `i.id, i.name, i.ownership, i.division_code, i.address, i.licence_number, to_char(i.opened_on, 'YYYY-MM-DD') AS opened_on,
  to_char(i.closed_on, 'YYYY-MM-DD') AS closed_on, i.close_reason`;
const ADMISSION_COLUMNS = `a.id, a.institution_id, a.resident_id_enc, a.resident_name, date_part('year', age(a.admitted_on, a.birth_date))::int AS age_on_admission,
  a.bed_type, a.funding, to_char(a.admitted_on, 'YYYY-MM-DD') AS admitted_on, to_char(a.discharged_on, 'YYYY-MM-DD') AS discharged_on,
  a.discharge_reason, a.discharge_note`;
const FINDING_COLUMNS = `f.id, f.inspection_id, f.description, f.severity, to_char(f.deadline, 'YYYY-MM-DD') AS deadline,
  to_char(f.rectified_on, 'YYYY-MM-DD') AS rectified_on, f.verified_by, f.rectification_note`;
/** Beds of the type `$2` in a bed-change row `c`. */
const BEDS_OF_TYPE = `CASE $2 WHEN 'self-care' THEN c.self_care WHEN 'semi-dependent' THEN c.semi_dependent ELSE c.dependent END`;
/** Residents in care on the date `$1`, by bed type, for the institution `i` (a LATERAL subquery). */
const OCCUPANCY_SELECT = `SELECT ${INSTITUTION_COLUMNS},
    coalesce(c.self_care, 0) AS beds_self_care, coalesce(c.semi_dependent, 0) AS beds_semi_dependent, coalesce(c.dependent, 0) AS beds_dependent,
    o.self_care AS occ_self_care, o.semi_dependent AS occ_semi_dependent, o.dependent AS occ_dependent
  FROM care_institution i
  LEFT JOIN LATERAL (SELECT self_care, semi_dependent, dependent FROM care_bed_change b
                      WHERE b.institution_id = i.id AND b.effective_from <= $1 ORDER BY b.effective_from DESC LIMIT 1) c ON true
  CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE a.bed_type = 'self-care')::int AS self_care,
                             count(*) FILTER (WHERE a.bed_type = 'semi-dependent')::int AS semi_dependent,
                             count(*) FILTER (WHERE a.bed_type = 'dependent')::int AS dependent
                        FROM care_admission a
                       WHERE a.institution_id = i.id AND a.admitted_on <= $1 AND (a.discharged_on IS NULL OR a.discharged_on > $1)) o`;

/**
 * 养老机构: registration, dated bed configurations, closing; admissions and discharges under a lock
 * on the bed type's counter row (a conditional UPDATE, then a check over every dated change from the
 * admission on), so beds are never exceeded even under concurrency; occupancy on any date;
 * inspections with findings, rectifications and the overdue list. Every change emits its event
 * through the outbox in the same transaction; resident IDs are masked in replies (in full only to a
 * caller with `personal-data:reveal`) and never in events. At rest a stay keeps the resident ID's
 * lookup hash (one stay at a time is checked on it) and its ciphertext, never the number.
 */
@Injectable()
export class InstitutionsService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
  ) {}

  // -------------------------------------------------------------------------------------------
  // Institutions

  async register(input: RegisterCareInstitutionInput, actor: Actor, today = todayInShanghai()): Promise<CareInstitutionView> {
    requireWriter(actor, 'register care institutions');
    const data = parseOrThrow(registerCareInstitutionSchema, input);
    checkRegistration(data, today);
    requireScope(actor, data.divisionCode, data.name);
    const id = uuidv7();
    const totalBeds = totalBedsOf(data.beds);
    try {
      return await this.outbox.transaction(async (tx) => {
        await tx.manager.query(
          `INSERT INTO care_institution (id, name, ownership, division_code, address, licence_number, opened_on, registered_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [id, data.name, data.ownership, data.divisionCode, data.address, data.licenceNumber ?? null, data.openedOn, actor.userId],
        );
        await this.insertBedChange(tx.manager, id, data.openedOn, data.beds, null, actor);
        await tx.manager.query(
          `INSERT INTO care_bed_counter (institution_id, bed_type, beds) SELECT $1, t, b FROM unnest($2::text[], $3::int[]) AS u(t, b)`,
          [id, [...CARE_BED_TYPES], CARE_BED_TYPES.map((t) => data.beds[t])],
        );
        await tx.emit<CareInstitutionRegisteredV1>(actor, [
          {
            type: CareInstitutionEvents.registered,
            subject: `care-institution/${id}`,
            divisionCode: data.divisionCode,
            data: { institutionId: id, ownership: data.ownership, openedOn: data.openedOn, beds: { ...data.beds }, totalBeds },
          },
        ]);
        return this.view(tx.manager, await this.institution(tx.manager, id));
      });
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
  }

  async list(input: ListCareInstitutionsInput, actor: Actor): Promise<CareInstitutionListView> {
    requireReader(actor);
    const data = parseOrThrow(listCareInstitutionsSchema, input);
    if (data.divisionCode) requireScope(actor, data.divisionCode);
    const rows = await this.dataSource.query<(InstitutionRow & BedChangeRow & { in_care: number })[]>(
      `SELECT ${INSTITUTION_COLUMNS}, c.self_care, c.semi_dependent, c.dependent,
              (SELECT coalesce(sum(k.in_care), 0)::int FROM care_bed_counter k WHERE k.institution_id = i.id) AS in_care
         FROM care_institution i
         CROSS JOIN LATERAL (SELECT self_care, semi_dependent, dependent FROM care_bed_change b WHERE b.institution_id = i.id ORDER BY effective_from DESC LIMIT 1) c
        WHERE ($1::text[] IS NULL OR i.division_code LIKE ANY ($1::text[]))
          AND ($2::text[] IS NULL OR i.division_code LIKE ANY ($2::text[]))
          AND ($3::text IS NULL OR i.ownership = $3)
          AND ($4 = 'all' OR ($4 = 'open') = (i.closed_on IS NULL))
        ORDER BY i.division_code, i.name`,
      [divisionLikePatterns(actor), data.divisionCode ? divisionPatterns(data.divisionCode) : null, data.ownership ?? null, data.status],
    );
    return {
      items: rows.map((r) => {
        const beds = bedsOf(r);
        return { ...institutionFields(r), beds, totalBeds: totalBedsOf(beds), inCare: r.in_care };
      }),
    };
  }

  async get(input: GetCareInstitutionInput, actor: Actor): Promise<CareInstitutionView> {
    requireReader(actor);
    const { id } = parseOrThrow(getCareInstitutionSchema, input);
    const row = await this.institution(this.dataSource.manager, id);
    requireScope(actor, row.division_code, row.name);
    return this.view(this.dataSource.manager, row);
  }

  /** A new bed configuration from a date after the last; it must hold every resident in care from then on. */
  async changeBeds(input: ChangeCareBedsInput, actor: Actor): Promise<CareInstitutionView> {
    requireWriter(actor, 'change beds');
    const data = parseOrThrow(changeCareBedsSchema, input);
    return this.outbox.transaction(async (tx) => {
      const row = await this.institution(tx.manager, data.id, 'FOR UPDATE');
      requireScope(actor, row.division_code, row.name);
      const history = await this.bedHistory(tx.manager, row.id);
      const last = history[history.length - 1];
      if (!last) throw new DomainError('INTERNAL', `${row.name} has no bed configuration`);
      checkBedChange(dates(row), data.effectiveFrom, last.effectiveFrom);
      const peaks = await tx.manager.query<{ bed_type: CareBedType; peak: number }[]>(
        `WITH points AS (SELECT $2::date AS d UNION SELECT admitted_on FROM care_admission WHERE institution_id = $1 AND admitted_on > $2)
         SELECT a.bed_type, max(n)::int AS peak
           FROM points p
           CROSS JOIN LATERAL (SELECT a.bed_type, count(*) AS n FROM care_admission a
                                WHERE a.institution_id = $1 AND a.admitted_on <= p.d AND (a.discharged_on IS NULL OR a.discharged_on > p.d)
                                GROUP BY a.bed_type) a
          GROUP BY a.bed_type`,
        [row.id, data.effectiveFrom],
      );
      checkBedsCoverResidents(data.beds, Object.fromEntries(peaks.map((p) => [p.bed_type, p.peak])), data.effectiveFrom);
      await this.insertBedChange(tx.manager, row.id, data.effectiveFrom, data.beds, data.reason, actor);
      await tx.manager.query(
        `UPDATE care_bed_counter k SET beds = u.b FROM unnest($2::text[], $3::int[]) AS u(t, b) WHERE k.institution_id = $1 AND k.bed_type = u.t`,
        [row.id, [...CARE_BED_TYPES], CARE_BED_TYPES.map((t) => data.beds[t])],
      );
      await tx.emit<CareInstitutionBedsChangedV1>(actor, [
        {
          type: CareInstitutionEvents.bedsChanged,
          subject: `care-institution/${row.id}`,
          divisionCode: row.division_code,
          data: {
            institutionId: row.id,
            ownership: row.ownership,
            effectiveFrom: data.effectiveFrom,
            beds: { ...data.beds },
            totalBeds: totalBedsOf(data.beds),
            previousBeds: last.beds,
            previousTotalBeds: last.totalBeds,
          },
        },
      ]);
      return this.view(tx.manager, row);
    });
  }

  /** Closes from a date: nobody in care then; the institution admits nobody afterwards. */
  async close(input: CloseCareInstitutionInput, actor: Actor, today = todayInShanghai()): Promise<CareInstitutionView> {
    requireWriter(actor, 'close care institutions');
    const data = parseOrThrow(closeCareInstitutionSchema, input);
    return this.outbox.transaction(async (tx) => {
      const row = await this.institution(tx.manager, data.id, 'FOR UPDATE');
      requireScope(actor, row.division_code, row.name);
      const [movement] = await tx.manager.query<{ last: string | null; in_care: number }[]>(
        `SELECT to_char(greatest(max(admitted_on), max(discharged_on)), 'YYYY-MM-DD') AS last,
                count(*) FILTER (WHERE admitted_on <= $2 AND (discharged_on IS NULL OR discharged_on > $2))::int AS in_care
           FROM care_admission WHERE institution_id = $1`,
        [row.id, data.closedOn],
      );
      checkClosing(dates(row), data.closedOn, movement?.last ?? null, today);
      checkNobodyInCare(dates(row), movement?.in_care ?? 0, data.closedOn);
      const [beds] = await tx.manager.query<BedChangeRow[]>(
        `SELECT self_care, semi_dependent, dependent FROM care_bed_change
          WHERE institution_id = $1 AND effective_from <= greatest($2::date - 1, $3::date) ORDER BY effective_from DESC LIMIT 1`,
        [row.id, data.closedOn, row.opened_on],
      );
      if (!beds) throw new DomainError('INTERNAL', `${row.name} has no bed configuration`);
      await tx.manager.query(`UPDATE care_institution SET closed_on = $2, close_reason = $3 WHERE id = $1`, [row.id, data.closedOn, data.reason]);
      await tx.emit<CareInstitutionClosedV1>(actor, [
        {
          type: CareInstitutionEvents.closed,
          subject: `care-institution/${row.id}`,
          divisionCode: row.division_code,
          data: { institutionId: row.id, ownership: row.ownership, openedOn: row.opened_on, closedOn: data.closedOn, beds: bedsOf(beds), totalBeds: totalBedsOf(bedsOf(beds)) },
        },
      ]);
      return this.view(tx.manager, await this.institution(tx.manager, row.id));
    });
  }

  // -------------------------------------------------------------------------------------------
  // Residents

  /**
   * Admits a resident: one stay at a time per person (under an advisory lock on the resident ID),
   * then a bed of the type taken with a conditional UPDATE on its counter row (which also locks it
   * against concurrent admissions), then the dated check that the bed is free on every date from
   * the admission on.
   */
  async admit(input: AdmitCareResidentInput, actor: Actor, today = todayInShanghai()): Promise<CareAdmissionView> {
    requireWriter(actor, 'admit residents');
    const data = parseOrThrow(admitCareResidentSchema, input);
    const outside = await this.institution(this.dataSource.manager, data.institutionId);
    requireScope(actor, outside.division_code, outside.name);
    const { birthDate } = checkAdmission(dates(outside), data, today);
    const residentHash = this.cipher.lookupHash(data.residentId);
    return this.outbox.transaction(async (tx) => {
      await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext('elderly-care.care-resident'), hashtext($1))`, [residentHash]);
      const row = await this.institution(tx.manager, data.institutionId, 'FOR SHARE');
      checkAdmission(dates(row), data, today);
      const stays = await tx.manager.query<{ admitted_on: string; discharged_on: string | null }[]>(
        `SELECT to_char(admitted_on, 'YYYY-MM-DD') AS admitted_on, to_char(discharged_on, 'YYYY-MM-DD') AS discharged_on FROM care_admission WHERE resident_id_hash = $1`,
        [residentHash],
      );
      checkNoOverlappingStay(
        stays.map((s) => ({ admittedOn: s.admitted_on, dischargedOn: s.discharged_on })),
        data.admittedOn,
      );
      const taken = await tx.manager.query<{ beds: number }[]>(
        // (UPDATE … RETURNING inside a CTE: TypeORM returns [rows, count] for a bare UPDATE, the rows of a SELECT as they are.)
        `WITH taken AS (UPDATE care_bed_counter SET in_care = in_care + 1 WHERE institution_id = $1 AND bed_type = $2 AND in_care < beds RETURNING beds)
         SELECT beds FROM taken`,
        [row.id, data.bedType],
      );
      if (taken.length === 0) {
        const [counter] = await tx.manager.query<{ beds: number; in_care: number }[]>(`SELECT beds, in_care FROM care_bed_counter WHERE institution_id = $1 AND bed_type = $2`, [
          row.id,
          data.bedType,
        ]);
        const message = `no free ${data.bedType} (${BED_TYPE_LABELS[data.bedType]}) bed at ${row.name}: ${counter?.in_care ?? 0} of ${counter?.beds ?? 0} in care`;
        throw new DomainError('CONFLICT', message, [{ field: 'bedType', rule: 'beds-available', message }]);
      }
      // The counter row is locked now: the dated check sees every committed stay and change.
      const points = await tx.manager.query<{ date: string; beds: number; occupied: number }[]>(
        `WITH points AS (
           SELECT $3::date AS d
           UNION SELECT admitted_on FROM care_admission WHERE institution_id = $1 AND bed_type = $2 AND admitted_on > $3
           UNION SELECT effective_from FROM care_bed_change WHERE institution_id = $1 AND effective_from > $3)
         SELECT to_char(p.d, 'YYYY-MM-DD') AS date,
                coalesce((SELECT ${BEDS_OF_TYPE} FROM care_bed_change c WHERE c.institution_id = $1 AND c.effective_from <= p.d ORDER BY c.effective_from DESC LIMIT 1), 0)::int AS beds,
                (SELECT count(*) FROM care_admission a WHERE a.institution_id = $1 AND a.bed_type = $2 AND a.admitted_on <= p.d AND (a.discharged_on IS NULL OR a.discharged_on > p.d))::int AS occupied
           FROM points p ORDER BY p.d`,
        [row.id, data.bedType, data.admittedOn],
      );
      checkCapacity(points satisfies CapacityPoint[], data.bedType);
      const id = uuidv7();
      await tx.manager.query(
        `INSERT INTO care_admission (id, institution_id, resident_id_hash, resident_id_enc, resident_name, birth_date, bed_type, funding, admitted_on, admitted_by)
         VALUES ($1, $2, $3, $10, $4, $5, $6, $7, $8, $9)`,
        [id, row.id, residentHash, data.residentName, birthDate, data.bedType, data.funding, data.admittedOn, actor.userId, this.cipher.encrypt(data.residentId)],
      );
      await tx.emit<CareResidentAdmittedV1>(actor, [
        {
          type: CareInstitutionEvents.residentAdmitted,
          subject: `care-admission/${id}`,
          divisionCode: row.division_code,
          data: { admissionId: id, institutionId: row.id, ownership: row.ownership, bedType: data.bedType, funding: data.funding, admittedOn: data.admittedOn },
        },
      ]);
      return this.admission(tx.manager, id, actor);
    });
  }

  async discharge(input: DischargeCareResidentInput, actor: Actor, today = todayInShanghai()): Promise<CareAdmissionView> {
    requireWriter(actor, 'discharge residents');
    const data = parseOrThrow(dischargeCareResidentSchema, input);
    return this.outbox.transaction(async (tx) => {
      const [stay] = await tx.manager.query<(AdmissionRow & { division_code: string; ownership: CareInstitutionOwnership; name: string })[]>(
        `SELECT ${ADMISSION_COLUMNS}, i.division_code, i.ownership, i.name FROM care_admission a JOIN care_institution i ON i.id = a.institution_id
          WHERE a.id = $1 AND a.institution_id = $2 FOR UPDATE OF a`,
        [data.admissionId, data.institutionId],
      );
      if (!stay) throw notFound(`admission ${data.admissionId} at institution ${data.institutionId}`);
      requireScope(actor, stay.division_code, stay.name);
      checkDischarge({ admittedOn: stay.admitted_on, dischargedOn: stay.discharged_on }, data.dischargedOn, today);
      await tx.manager.query(
        `UPDATE care_admission SET discharged_on = $2, discharge_reason = $3, discharge_note = $4, discharged_by = $5, updated_at = now() WHERE id = $1`,
        [stay.id, data.dischargedOn, data.reason, data.note ?? null, actor.userId],
      );
      await tx.manager.query(`UPDATE care_bed_counter SET in_care = in_care - 1 WHERE institution_id = $1 AND bed_type = $2`, [stay.institution_id, stay.bed_type]);
      await tx.emit<CareResidentDischargedV1>(actor, [
        {
          type: CareInstitutionEvents.residentDischarged,
          subject: `care-admission/${stay.id}`,
          divisionCode: stay.division_code,
          data: {
            admissionId: stay.id,
            institutionId: stay.institution_id,
            ownership: stay.ownership,
            bedType: stay.bed_type,
            admittedOn: stay.admitted_on,
            dischargedOn: data.dischargedOn,
            reason: data.reason,
          },
        },
      ]);
      return this.admission(tx.manager, stay.id, actor);
    });
  }

  async listAdmissions(input: ListCareAdmissionsInput, actor: Actor): Promise<CareAdmissionListView> {
    requireReader(actor);
    const data = parseOrThrow(listCareAdmissionsSchema, input);
    const row = await this.institution(this.dataSource.manager, data.institutionId);
    requireScope(actor, row.division_code, row.name);
    const rows = await this.dataSource.query<AdmissionRow[]>(
      `SELECT ${ADMISSION_COLUMNS} FROM care_admission a
        WHERE a.institution_id = $1 AND ($2::date IS NULL OR (a.admitted_on <= $2 AND (a.discharged_on IS NULL OR a.discharged_on > $2)))
        ORDER BY a.admitted_on, a.id`,
      [row.id, data.inCareOn ?? null],
    );
    return { institutionId: row.id, inCareOn: data.inCareOn ?? null, items: rows.map((r) => toAdmissionView(r, actor, this.cipher)) };
  }

  // -------------------------------------------------------------------------------------------
  // Occupancy

  async occupancy(input: CareInstitutionOccupancyInput, actor: Actor, today = todayInShanghai()): Promise<CareInstitutionOccupancyView> {
    requireReader(actor);
    const data = parseOrThrow(careInstitutionOccupancySchema, input);
    const date = data.date ?? today;
    const [row] = await this.dataSource.query<OccupancyRow[]>(`${OCCUPANCY_SELECT} WHERE i.id = $2`, [date, data.id]);
    if (!row) throw notFound(`care institution ${data.id}`);
    requireScope(actor, row.division_code, row.name);
    const open = isOpenOn({ openedOn: row.opened_on, closedOn: row.closed_on }, date);
    const beds = open ? occupancyBeds(row) : zeroBeds();
    const occupied = open ? occupancyOccupied(row) : zeroBeds();
    const byBedType = CARE_BED_TYPES.map((bedType) => ({ bedType, ...figures(beds[bedType], occupied[bedType]) }));
    return {
      institutionId: row.id,
      name: row.name,
      ownership: row.ownership,
      divisionCode: row.division_code,
      date,
      open,
      byBedType,
      total: sumFigures(byBedType),
    };
  }

  /** Totals over the institutions open on the date within the caller's scope (and the division asked). */
  async occupancySummary(input: CareOccupancySummaryInput, actor: Actor, today = todayInShanghai()): Promise<CareOccupancySummaryView> {
    requireReader(actor);
    const data = parseOrThrow(careOccupancySummarySchema, input);
    if (data.divisionCode) requireScope(actor, data.divisionCode);
    const date = data.date ?? today;
    const rows = await this.dataSource.query<OccupancyRow[]>(
      `${OCCUPANCY_SELECT}
        WHERE i.opened_on <= $1 AND (i.closed_on IS NULL OR i.closed_on > $1)
          AND ($2::text[] IS NULL OR i.division_code LIKE ANY ($2::text[]))
          AND ($3::text[] IS NULL OR i.division_code LIKE ANY ($3::text[]))`,
      [date, divisionLikePatterns(actor), data.divisionCode ? divisionPatterns(data.divisionCode) : null],
    );
    const summary = summariseOccupancy(rows.map((r) => ({ ownership: r.ownership, beds: occupancyBeds(r), occupied: occupancyOccupied(r) })));
    return { date, divisionCode: data.divisionCode ?? null, ...summary };
  }

  // -------------------------------------------------------------------------------------------
  // Inspections

  async recordInspection(input: RecordCareInspectionInput, actor: Actor, today = todayInShanghai()): Promise<CareInspectionView> {
    requireWriter(actor, 'record inspections');
    const data = parseOrThrow(recordCareInspectionSchema, input);
    return this.outbox.transaction(async (tx) => {
      const row = await this.institution(tx.manager, data.institutionId, 'FOR SHARE');
      requireScope(actor, row.division_code, row.name);
      checkInspection(dates(row), data, today);
      const id = uuidv7();
      const findingIds = data.findings.map(() => uuidv7());
      await tx.manager.query(
        `INSERT INTO care_inspection (id, institution_id, kind, inspected_on, inspector, summary, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, row.id, data.kind, data.inspectedOn, data.inspector, data.summary ?? null, actor.userId],
      );
      if (data.findings.length > 0) {
        await tx.manager.query(
          `INSERT INTO care_inspection_finding (id, inspection_id, position, description, severity, deadline)
           SELECT f.id, $1, f.position, f.description, f.severity, f.deadline
             FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::date[]) AS f(id, position, description, severity, deadline)`,
          [id, findingIds, data.findings.map((_, i) => i), data.findings.map((f) => f.description), data.findings.map((f) => f.severity), data.findings.map((f) => f.deadline)],
        );
      }
      await tx.emit<CareInspectionRecordedV1>(actor, [
        {
          type: CareInstitutionEvents.inspectionRecorded,
          subject: `care-inspection/${id}`,
          divisionCode: row.division_code,
          data: {
            inspectionId: id,
            institutionId: row.id,
            kind: data.kind,
            inspectedOn: data.inspectedOn,
            findings: data.findings.map((f, i) => ({ findingId: findingIds[i] ?? '', severity: f.severity, deadline: f.deadline })),
          },
        },
      ]);
      const [inspection] = await this.inspections(tx.manager, 'i.id = $1', [id], today);
      if (!inspection) throw new DomainError('INTERNAL', `inspection ${id} vanished`);
      return inspection;
    });
  }

  async listInspections(input: ListCareInspectionsInput, actor: Actor, today = todayInShanghai()): Promise<CareInspectionListView> {
    requireReader(actor);
    const data = parseOrThrow(listCareInspectionsSchema, input);
    const row = await this.institution(this.dataSource.manager, data.institutionId);
    requireScope(actor, row.division_code, row.name);
    const asOf = data.asOf ?? today;
    return { institutionId: row.id, asOf, items: await this.inspections(this.dataSource.manager, 'i.institution_id = $1', [row.id], asOf) };
  }

  /** Records a finding's rectification (date, verified by whom), once. */
  async rectify(input: RectifyCareFindingInput, actor: Actor, today = todayInShanghai()): Promise<CareFindingView> {
    requireWriter(actor, 'record rectifications');
    const data = parseOrThrow(rectifyCareFindingSchema, input);
    return this.outbox.transaction(async (tx) => {
      const [finding] = await tx.manager.query<(FindingRow & { kind: CareInspectionKind; inspected_on: string; institution_id: string; division_code: string; name: string })[]>(
        `SELECT ${FINDING_COLUMNS}, n.kind, to_char(n.inspected_on, 'YYYY-MM-DD') AS inspected_on, n.institution_id, i.division_code, i.name
           FROM care_inspection_finding f JOIN care_inspection n ON n.id = f.inspection_id JOIN care_institution i ON i.id = n.institution_id
          WHERE f.id = $1 AND n.institution_id = $2 FOR UPDATE OF f`,
        [data.findingId, data.institutionId],
      );
      if (!finding) throw notFound(`finding ${data.findingId} at institution ${data.institutionId}`);
      requireScope(actor, finding.division_code, finding.name);
      checkRectification({ inspectedOn: finding.inspected_on, rectifiedOn: finding.rectified_on }, data.rectifiedOn, today);
      const [updated] = await tx.manager.query<FindingRow[]>(
        `WITH done AS (
           UPDATE care_inspection_finding SET rectified_on = $2, verified_by = $3, rectification_note = $4, rectified_recorded_by = $5 WHERE id = $1
           RETURNING *)
         SELECT ${FINDING_COLUMNS} FROM done f`,
        [finding.id, data.rectifiedOn, data.verifiedBy, data.note ?? null, actor.userId],
      );
      if (!updated) throw new DomainError('INTERNAL', `finding ${finding.id} vanished`);
      const view = toFindingView(updated, today);
      await tx.emit<CareFindingRectifiedV1>(actor, [
        {
          type: CareInstitutionEvents.findingRectified,
          subject: `care-finding/${finding.id}`,
          divisionCode: finding.division_code,
          data: {
            findingId: finding.id,
            inspectionId: finding.inspection_id,
            institutionId: finding.institution_id,
            kind: finding.kind,
            deadline: finding.deadline,
            rectifiedOn: data.rectifiedOn,
            late: view.status === 'rectified-late',
          },
        },
      ]);
      return view;
    });
  }

  /** Findings whose deadline passed before `asOf` without a rectification by then, oldest deadline first. */
  async listOverdue(input: ListOverdueCareFindingsInput, actor: Actor, today = todayInShanghai()): Promise<OverdueCareFindingListView> {
    requireReader(actor);
    const data = parseOrThrow(listOverdueCareFindingsSchema, input);
    if (data.divisionCode) requireScope(actor, data.divisionCode);
    const asOf = data.asOf ?? today;
    const rows = await this.dataSource.query<(FindingRow & { kind: CareInspectionKind; inspected_on: string; institution_id: string; division_code: string; name: string })[]>(
      `SELECT ${FINDING_COLUMNS}, n.kind, to_char(n.inspected_on, 'YYYY-MM-DD') AS inspected_on, n.institution_id, i.division_code, i.name
         FROM care_inspection_finding f JOIN care_inspection n ON n.id = f.inspection_id JOIN care_institution i ON i.id = n.institution_id
        WHERE f.deadline < $1 AND (f.rectified_on IS NULL OR f.rectified_on > $1)
          AND ($2::text[] IS NULL OR i.division_code LIKE ANY ($2::text[]))
          AND ($3::text[] IS NULL OR i.division_code LIKE ANY ($3::text[]))
          AND ($4::text IS NULL OR n.kind = $4)
        ORDER BY f.deadline, i.name, f.position`,
      [asOf, divisionLikePatterns(actor), data.divisionCode ? divisionPatterns(data.divisionCode) : null, data.kind ?? null],
    );
    return {
      asOf,
      items: rows.map((r) => ({
        findingId: r.id,
        inspectionId: r.inspection_id,
        institutionId: r.institution_id,
        institutionName: r.name,
        divisionCode: r.division_code,
        kind: r.kind,
        inspectedOn: r.inspected_on,
        description: r.description,
        severity: r.severity,
        deadline: r.deadline,
        daysOverdue: daysOverdue(r.deadline, asOf),
      })),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Reads

  private async institution(manager: EntityManager, id: string, lock?: 'FOR UPDATE' | 'FOR SHARE'): Promise<InstitutionRow> {
    const [row] = await manager.query<InstitutionRow[]>(`SELECT ${INSTITUTION_COLUMNS} FROM care_institution i WHERE i.id = $1${lock ? ` ${lock}` : ''}`, [id]);
    if (!row) throw notFound(`care institution ${id}`);
    return row;
  }

  private async bedHistory(manager: EntityManager, institutionId: string): Promise<CareBedChangeView[]> {
    const rows = await manager.query<BedChangeRow[]>(
      `SELECT to_char(effective_from, 'YYYY-MM-DD') AS effective_from, self_care, semi_dependent, dependent, reason, recorded_by
         FROM care_bed_change WHERE institution_id = $1 ORDER BY effective_from`,
      [institutionId],
    );
    return rows.map((r) => {
      const beds = bedsOf(r);
      return { effectiveFrom: r.effective_from, beds, totalBeds: totalBedsOf(beds), reason: r.reason, recordedBy: r.recorded_by };
    });
  }

  private async view(manager: EntityManager, row: InstitutionRow): Promise<CareInstitutionView> {
    const bedHistory = await this.bedHistory(manager, row.id);
    const latest = bedHistory[bedHistory.length - 1];
    const [counter] = await manager.query<{ in_care: number }[]>(`SELECT coalesce(sum(in_care), 0)::int AS in_care FROM care_bed_counter WHERE institution_id = $1`, [row.id]);
    const beds = latest?.beds ?? zeroBeds();
    return { ...institutionFields(row), beds, totalBeds: totalBedsOf(beds), inCare: counter?.in_care ?? 0, bedHistory };
  }

  private async admission(manager: EntityManager, id: string, actor: Actor): Promise<CareAdmissionView> {
    const [row] = await manager.query<AdmissionRow[]>(`SELECT ${ADMISSION_COLUMNS} FROM care_admission a WHERE a.id = $1`, [id]);
    if (!row) throw notFound(`admission ${id}`);
    return toAdmissionView(row, actor, this.cipher);
  }

  private async inspections(manager: EntityManager, where: string, params: unknown[], asOf: string): Promise<CareInspectionView[]> {
    const inspections = await manager.query<InspectionRow[]>(
      `SELECT i.id, i.institution_id, i.kind, to_char(i.inspected_on, 'YYYY-MM-DD') AS inspected_on, i.inspector, i.summary
         FROM care_inspection i WHERE ${where} ORDER BY i.inspected_on DESC, i.id DESC`,
      params,
    );
    if (inspections.length === 0) return [];
    const findings = await manager.query<FindingRow[]>(`SELECT ${FINDING_COLUMNS} FROM care_inspection_finding f WHERE f.inspection_id = ANY ($1::uuid[]) ORDER BY f.position`, [
      inspections.map((i) => i.id),
    ]);
    return inspections.map((i) => ({
      id: i.id,
      institutionId: i.institution_id,
      kind: i.kind,
      inspectedOn: i.inspected_on,
      inspector: i.inspector,
      summary: i.summary,
      findings: findings.filter((f) => f.inspection_id === i.id).map((f) => toFindingView(f, asOf)),
    }));
  }

  private async insertBedChange(manager: EntityManager, institutionId: string, effectiveFrom: string, beds: CareBedCounts, reason: string | null, actor: Actor): Promise<void> {
    await manager.query(
      `INSERT INTO care_bed_change (institution_id, effective_from, self_care, semi_dependent, dependent, reason, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [institutionId, effectiveFrom, beds['self-care'], beds['semi-dependent'], beds.dependent, reason, actor.userId],
    );
  }
}

function notFound(what: string): DomainError {
  return new DomainError('NOT_FOUND', `${what} does not exist`);
}

/** SQL LIKE patterns of one division (as for an actor covering just it). */
function divisionPatterns(divisionCode: string): string[] {
  return divisionLikePatterns({ userId: 'filter', kind: 'staff', roles: [], divisions: [divisionCode] }) ?? [];
}

function uniqueViolation(error: unknown): DomainError | null {
  if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) return null;
  const constraint = (error as { constraint?: unknown }).constraint;
  if (constraint === 'care_institution_name') return new DomainError('DUPLICATE_NAME', 'an institution with this name is already registered in the division', [{ field: 'name', rule: 'unique', message: 'already registered in the division' }]);
  if (constraint === 'care_institution_licence') return new DomainError('CONFLICT', 'an institution with this licence number is already registered', [{ field: 'licenceNumber', rule: 'unique', message: 'already registered' }]);
  return null;
}

function dates(row: InstitutionRow): { name: string; openedOn: string; closedOn: string | null } {
  return { name: row.name, openedOn: row.opened_on, closedOn: row.closed_on };
}

function zeroBeds(): CareBedCounts {
  return { 'self-care': 0, 'semi-dependent': 0, dependent: 0 };
}

function bedsOf(row: { self_care: number; semi_dependent: number; dependent: number }): CareBedCounts {
  return { 'self-care': row.self_care, 'semi-dependent': row.semi_dependent, dependent: row.dependent };
}

function occupancyBeds(row: OccupancyRow): CareBedCounts {
  return { 'self-care': row.beds_self_care, 'semi-dependent': row.beds_semi_dependent, dependent: row.beds_dependent };
}

function occupancyOccupied(row: OccupancyRow): CareBedCounts {
  return { 'self-care': row.occ_self_care, 'semi-dependent': row.occ_semi_dependent, dependent: row.occ_dependent };
}

function institutionFields(row: InstitutionRow): Omit<CareInstitutionView, 'beds' | 'totalBeds' | 'inCare' | 'bedHistory'> {
  return {
    id: row.id,
    name: row.name,
    ownership: row.ownership,
    divisionCode: row.division_code,
    address: row.address,
    licenceNumber: row.licence_number,
    openedOn: row.opened_on,
    closedOn: row.closed_on,
    closeReason: row.close_reason,
  };
}

/** Region kept and birth date hidden in the resident ID, unless the gateway let the caller reveal it. */
function toAdmissionView(row: AdmissionRow, actor: Actor, cipher: PersonalDataCipher): CareAdmissionView {
  return {
    id: row.id,
    institutionId: row.institution_id,
    residentId: residentIdFor(actor, cipher.decrypt(row.resident_id_enc)),
    residentName: row.resident_name,
    ageOnAdmission: row.age_on_admission,
    bedType: row.bed_type,
    funding: row.funding,
    admittedOn: row.admitted_on,
    dischargedOn: row.discharged_on,
    dischargeReason: row.discharge_reason,
    dischargeNote: row.discharge_note,
  };
}

function toFindingView(row: FindingRow, asOf: string): CareFindingView {
  return {
    id: row.id,
    description: row.description,
    severity: row.severity,
    deadline: row.deadline,
    rectifiedOn: row.rectified_on,
    verifiedBy: row.verified_by,
    rectificationNote: row.rectification_note,
    status: findingStatus({ deadline: row.deadline, rectifiedOn: row.rectified_on }, asOf),
  };
}
