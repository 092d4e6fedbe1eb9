import type { EntityManager } from 'typeorm';
import { sealResidentId, type PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { DibaoCaseEvents, DibaoEvents, type DibaoHouseholdAdjustedV1, type DibaoHouseholdStartedV1, type DibaoHouseholdStoppedV1, type EventEnvelope, type SealedResidentId } from '@civil/contracts';

/**
 * A department's own tables of social assistance's 低保 cases: `cases` (case_id, household_id,
 * division_code, first_period, until_period, updated_at) and `members` (case_id, resident_id_hash):
 * members are kept only as the keyed lookup hash of their resident ID (PersonalDataCipher), which
 * is all a department needs to ask "is this person in a 低保 household?" — no readable number at
 * rest. Fixed identifiers chosen by the service, never input.
 */
export interface DibaoCaseTables {
  cases: string;
  members: string;
}

export type DibaoCaseEventKind = 'started' | 'adjusted' | 'stopped';

/**
 * Applies one of social assistance's 低保 case events to a department's read model of 低保 cases
 * (which households are paid from which month to which, and who lives in them) — how other
 * departments learn 低保 status without reading social assistance's tables. The writes commute:
 * a stop that overtakes its start leaves the case closed when the start arrives; applying an
 * event twice changes nothing. Returns which kind of event it was, or null for any other event.
 */
export async function projectDibaoCaseEvent(event: EventEnvelope, manager: EntityManager, tables: DibaoCaseTables, cipher: PersonalDataCipher): Promise<DibaoCaseEventKind | null> {
  switch (event.type) {
    case DibaoEvents.householdStarted: {
      const data = event.data as DibaoHouseholdStartedV1;
      await upsertCase(manager, tables, data.caseId, data.householdId, event.divisioncode, data.effectivePeriod, sealedMembersOf(data, cipher)?.map((m) => m.hash));
      return 'started';
    }
    case DibaoCaseEvents.householdAdjusted: {
      const data = event.data as DibaoHouseholdAdjustedV1;
      // The adjustment closes the household's earlier case where the new one begins.
      const previous = await manager.query<{ case_id: string }[]>(
        `WITH closed AS (
           UPDATE ${tables.cases} SET until_period = $3, updated_at = now()
            WHERE household_id = $1 AND case_id <> $2 AND first_period < $3 AND (until_period IS NULL OR until_period > $3)
            RETURNING case_id)
         SELECT case_id FROM closed`,
        [data.householdId, data.caseId, data.effectivePeriod],
      );
      let members = sealedMembersOf(data, cipher)?.map((m) => m.hash);
      if (members === undefined && previous[0]) {
        const rows = await manager.query<{ resident_id_hash: string }[]>(`SELECT resident_id_hash FROM ${tables.members} WHERE case_id = $1`, [previous[0].case_id]);
        members = rows.map((r) => r.resident_id_hash);
      }
      await upsertCase(manager, tables, data.caseId, data.householdId, event.divisioncode, data.effectivePeriod, members);
      return 'adjusted';
    }
    case DibaoCaseEvents.householdStopped: {
      const data = event.data as DibaoHouseholdStoppedV1;
      await manager.query(
        `INSERT INTO ${tables.cases} (case_id, household_id, division_code, until_period) VALUES ($1, $2, $3, $4)
         ON CONFLICT (case_id) DO UPDATE SET until_period = EXCLUDED.until_period, updated_at = now()`,
        [data.caseId, data.householdId, event.divisioncode, data.effectivePeriod],
      );
      return 'stopped';
    }
    default:
      return null;
  }
}

/**
 * The members a 低保 case event names, sealed: as the event carries them (`members`), each checked
 * to open under our key to its own hash (a service configured with another PERSONAL_DATA_KEY
 * fails here, loudly, instead of keeping hashes that match nobody), or sealed here from the plain
 * numbers of events published before events were sealed (issue 8). Undefined when the event
 * names nobody (an adjustment that keeps the members).
 */
export function sealedMembersOf(data: DibaoHouseholdStartedV1 | DibaoHouseholdAdjustedV1, cipher: PersonalDataCipher): SealedResidentId[] | undefined {
  if (data.members !== undefined) {
    for (const member of data.members) cipher.unseal(member);
    return data.members;
  }
  return data.memberResidentIds?.map((id) => sealResidentId(cipher, id));
}

/** `memberHashes`: the members' resident-ID lookup hashes. */
async function upsertCase(manager: EntityManager, tables: DibaoCaseTables, caseId: string, householdId: string, divisionCode: string, firstPeriod: string, memberHashes: string[] | undefined): Promise<void> {
  await manager.query(
    `INSERT INTO ${tables.cases} (case_id, household_id, division_code, first_period) VALUES ($1, $2, $3, $4)
     ON CONFLICT (case_id) DO UPDATE SET first_period = EXCLUDED.first_period, household_id = EXCLUDED.household_id, division_code = EXCLUDED.division_code, updated_at = now()`,
    [caseId, householdId, divisionCode, firstPeriod],
  );
  if (memberHashes === undefined) return;
  await manager.query(`DELETE FROM ${tables.members} WHERE case_id = $1`, [caseId]);
  await manager.query(`INSERT INTO ${tables.members} (case_id, resident_id_hash) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [caseId, memberHashes]);
}
