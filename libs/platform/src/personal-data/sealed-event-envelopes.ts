import type { QueryRunner } from 'typeorm';
import { DibaoCaseEvents, DibaoEvents, TekunEvents, type SealedResidentId } from '@civil/contracts';
import { sealResidentId, type PersonalDataCipher } from './personal-data-cipher';

/**
 * The event types that carried resident IDs in plain text before events were sealed (issue 8):
 * 低保 case starts and adjustments (`memberResidentIds` → `members`) and 特困 enrolments, changes
 * and ends (`residentId` → `resident`).
 */
export const EVENT_TYPES_WITH_RESIDENT_IDS: readonly string[] = [
  DibaoEvents.householdStarted,
  DibaoCaseEvents.householdAdjusted,
  TekunEvents.enrolled,
  TekunEvents.changed,
  TekunEvents.ended,
];

/**
 * The data of an event with its plain-text resident IDs replaced by sealed ones, or null when it
 * holds none (already sealed, or a type that never carried any). Pure: the migrations below and
 * their tests use it.
 */
export function sealEventData(type: string, data: Record<string, unknown>, cipher: PersonalDataCipher): Record<string, unknown> | null {
  if (!EVENT_TYPES_WITH_RESIDENT_IDS.includes(type)) return null;
  const { memberResidentIds, residentId, ...rest } = data;
  let changed = false;
  const sealed: Record<string, unknown> = rest;
  if (Array.isArray(memberResidentIds)) {
    const members: SealedResidentId[] = memberResidentIds.filter((id): id is string => typeof id === 'string').map((id) => sealResidentId(cipher, id));
    sealed.members = members;
    changed = true;
  } else if (memberResidentIds !== undefined) {
    changed = true; // not a list of numbers: dropped rather than kept readable
  }
  if (typeof residentId === 'string') {
    sealed.resident = sealResidentId(cipher, residentId);
    changed = true;
  } else if (residentId !== undefined) {
    changed = true;
  }
  return changed ? sealed : null;
}

const BATCH = 1_000;

/**
 * Rewrites, in keyset batches, the stored envelopes of `table` (a service's `outbox`, reporting's
 * `event_archive`: both have `id uuid`, `type text`, `envelope jsonb`) whose data still holds
 * plain resident IDs, so that a dump of the table no longer exposes them. Envelopes keep their
 * id, so a row the relay has not published yet is published sealed, and one published already is
 * deduplicated by JetStream on its id as before. Returns the number of envelopes rewritten.
 */
export async function sealResidentIdsInStoredEnvelopes(q: QueryRunner, table: 'outbox' | 'event_archive', cipher: PersonalDataCipher): Promise<number> {
  let after = '00000000-0000-0000-0000-000000000000';
  let rewritten = 0;
  for (;;) {
    const rows = (await q.query(
      `SELECT id, type, envelope->'data' AS data FROM ${table}
        WHERE id > $1 AND type = ANY($2::text[]) AND (envelope->'data' ? 'memberResidentIds' OR envelope->'data' ? 'residentId')
        ORDER BY id LIMIT ${BATCH}`,
      [after, EVENT_TYPES_WITH_RESIDENT_IDS],
    )) as { id: string; type: string; data: Record<string, unknown> }[];
    if (rows.length === 0) return rewritten;
    const updates = rows.flatMap((row) => {
      const data = sealEventData(row.type, row.data, cipher);
      return data === null ? [] : [{ id: row.id, data }];
    });
    if (updates.length > 0) {
      await q.query(
        `UPDATE ${table} t SET envelope = jsonb_set(t.envelope, '{data}', u.data)
           FROM unnest($1::uuid[], $2::jsonb[]) AS u (id, data)
          WHERE t.id = u.id`,
        [updates.map((u) => u.id), updates.map((u) => JSON.stringify(u.data))],
      );
      rewritten += updates.length;
    }
    after = rows.at(-1)?.id ?? after;
  }
}
