import {
  CareInstitutionEvents,
  DomainError,
  HomeAdaptationEvents,
  type CareBedType,
  type CareFunding,
  type CareInstitutionBedsChangedV1,
  type CareInstitutionClosedV1,
  type CareInstitutionOwnership,
  type CareInstitutionRegisteredV1,
  type CareResidentAdmittedV1,
  type CareResidentDischargedV1,
  type CityFeedKind,
  type CityFeedRecord,
  type HomeAdaptationCompletedV1,
} from '@civil/contracts';
import type { PersonalDataCipher } from '@civil/platform';
import type { EntityManager } from 'typeorm';
import { maskResidentIdForCity } from './city-feed.domain';

/** A row of `city_feed_entry`: the event as recorded in the transaction of the change. */
export interface FeedEntryRow {
  seq: string;
  txid: string;
  event_id: string;
  event_type: string;
  kind: CityFeedKind;
  division_code: string;
  occurred_at: Date | string;
  data: Record<string, unknown>;
}

/**
 * Turns feed entries of some event types into what the city receives. A source may look up
 * attributes that never change after the event (an institution's name, a resident ID), so the
 * same entry always reads the same; anything that changes later comes from the event's data.
 *
 * EXTENSION POINT (e.g. age-allowance payments as `service-delivered`, service `age-allowance`):
 * add a source below and list its event types in `city_feed_event_type` with a new migration
 * (`INSERT INTO city_feed_event_type (type, kind) VALUES ('civil.elderly-care.….v1', 'service-delivered')`);
 * the trigger then copies those events into the feed in their own transactions.
 */
export interface CityFeedSource {
  eventTypes: readonly string[];
  /** `cipher` decrypts a stored resident ID (the page's rows only), which is masked before it leaves. */
  project(manager: EntityManager, entries: readonly FeedEntryRow[], cipher: PersonalDataCipher): Promise<Map<string, CityFeedRecord>>;
}

function missing(what: string): DomainError {
  return new DomainError('INTERNAL', `city feed: ${what} not found`);
}

const institutions: CityFeedSource = {
  eventTypes: [CareInstitutionEvents.registered, CareInstitutionEvents.bedsChanged, CareInstitutionEvents.closed],
  async project(manager, entries) {
    const ids = [...new Set(entries.map((e) => String(e.data.institutionId)))];
    const rows = await manager.query<{ id: string; name: string; ownership: CareInstitutionOwnership; division_code: string; opened_on: string }[]>(
      `SELECT id, name, ownership, division_code, to_char(opened_on, 'YYYY-MM-DD') AS opened_on FROM care_institution WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    // A closing reports the beds in force the day before: the configuration's date, looked up.
    const closings = entries.filter((e) => e.event_type === CareInstitutionEvents.closed);
    const closingFrom = new Map<string, string>();
    if (closings.length > 0) {
      const froms = await manager.query<{ event_id: string; effective_from: string }[]>(
        `SELECT u.event_id, (SELECT to_char(max(b.effective_from), 'YYYY-MM-DD') FROM care_bed_change b WHERE b.institution_id = u.institution_id AND b.effective_from < u.closed_on) AS effective_from
           FROM unnest($1::uuid[], $2::uuid[], $3::date[]) AS u(event_id, institution_id, closed_on)`,
        [closings.map((e) => e.event_id), closings.map((e) => String(e.data.institutionId)), closings.map((e) => String(e.data.closedOn))],
      );
      for (const f of froms) closingFrom.set(f.event_id, f.effective_from);
    }
    const records = new Map<string, CityFeedRecord>();
    for (const e of entries) {
      const data = e.data as unknown as CareInstitutionRegisteredV1 | CareInstitutionBedsChangedV1 | CareInstitutionClosedV1;
      const row = byId.get(data.institutionId);
      if (!row) throw missing(`institution ${data.institutionId}`);
      const closed = e.event_type === CareInstitutionEvents.closed ? (data as CareInstitutionClosedV1) : null;
      const bedsEffectiveFrom = 'effectiveFrom' in data ? data.effectiveFrom : closed ? (closingFrom.get(e.event_id) ?? row.opened_on) : row.opened_on;
      records.set(e.event_id, {
        kind: 'institution',
        institutionId: row.id,
        name: row.name,
        ownership: row.ownership,
        divisionCode: row.division_code,
        status: closed ? 'closed' : 'open',
        openedOn: row.opened_on,
        closedOn: closed ? closed.closedOn : null,
        bedsEffectiveFrom,
        beds: { 'self-care': data.beds['self-care'], 'semi-dependent': data.beds['semi-dependent'], dependent: data.beds.dependent },
        totalBeds: data.totalBeds,
      });
    }
    return records;
  },
};

const residentStays: CityFeedSource = {
  eventTypes: [CareInstitutionEvents.residentAdmitted, CareInstitutionEvents.residentDischarged],
  async project(manager, entries, cipher) {
    const ids = [...new Set(entries.map((e) => String(e.data.admissionId)))];
    const rows = await manager.query<{ id: string; resident_id_enc: string; funding: CareFunding; bed_type: CareBedType }[]>(
      `SELECT id, resident_id_enc, funding, bed_type FROM care_admission WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const records = new Map<string, CityFeedRecord>();
    for (const e of entries) {
      const data = e.data as unknown as CareResidentAdmittedV1 | CareResidentDischargedV1;
      const row = byId.get(data.admissionId);
      if (!row) throw missing(`admission ${data.admissionId}`);
      const discharged = e.event_type === CareInstitutionEvents.residentDischarged ? (data as CareResidentDischargedV1) : null;
      records.set(e.event_id, {
        kind: 'resident-stay',
        event: discharged ? 'discharged' : 'admitted',
        admissionId: row.id,
        institutionId: data.institutionId,
        residentIdMasked: maskResidentIdForCity(cipher.decrypt(row.resident_id_enc)),
        bedType: data.bedType,
        funding: row.funding,
        admittedOn: data.admittedOn,
        dischargedOn: discharged ? discharged.dischargedOn : null,
        dischargeReason: discharged ? discharged.reason : null,
      });
    }
    return records;
  },
};

const homeAdaptations: CityFeedSource = {
  eventTypes: [HomeAdaptationEvents.completed],
  async project(manager, entries, cipher) {
    const ids = [...new Set(entries.map((e) => String(e.data.caseId)))];
    const rows = await manager.query<{ id: string; resident_id_enc: string }[]>(`SELECT id, resident_id_enc FROM home_adaptation_case WHERE id = ANY($1::uuid[])`, [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const records = new Map<string, CityFeedRecord>();
    for (const e of entries) {
      const data = e.data as unknown as HomeAdaptationCompletedV1;
      const row = byId.get(data.caseId);
      if (!row) throw missing(`home-adaptation case ${data.caseId}`);
      records.set(e.event_id, {
        kind: 'service-delivered',
        service: 'home-adaptation',
        serviceId: row.id,
        residentIdMasked: maskResidentIdForCity(cipher.decrypt(row.resident_id_enc)),
        divisionCode: e.division_code,
        deliveredOn: data.completedOn,
        amountFen: data.subsidyFen,
      });
    }
    return records;
  },
};

/** Every source of the feed; age-allowance payments go here once they exist (see above). */
export const CITY_FEED_SOURCES: readonly CityFeedSource[] = [institutions, residentStays, homeAdaptations];

/** The records of `entries`, by event id; an entry no source knows is an error, never skipped. */
export async function projectEntries(
  manager: EntityManager,
  entries: readonly FeedEntryRow[],
  cipher: PersonalDataCipher,
  sources: readonly CityFeedSource[] = CITY_FEED_SOURCES,
): Promise<Map<string, CityFeedRecord>> {
  const records = new Map<string, CityFeedRecord>();
  const unclaimed = new Set(entries.map((e) => e.event_id));
  for (const source of sources) {
    const mine = entries.filter((e) => source.eventTypes.includes(e.event_type));
    if (mine.length === 0) continue;
    for (const [id, record] of await source.project(manager, mine, cipher)) {
      records.set(id, record);
      unclaimed.delete(id);
    }
  }
  if (unclaimed.size > 0) {
    const types = [...new Set(entries.filter((e) => unclaimed.has(e.event_id)).map((e) => e.event_type))];
    throw new DomainError('INTERNAL', `city feed: no source for ${types.join(', ')}`);
  }
  return records;
}
