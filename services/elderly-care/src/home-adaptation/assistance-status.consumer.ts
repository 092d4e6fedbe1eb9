import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  TekunEvents,
  type DibaoHouseholdAdjustedV1,
  type DibaoHouseholdStartedV1,
  type EventEnvelope,
  type SealedResidentId,
  type TekunChangedV1,
  type TekunEndedV1,
  type TekunEnrolledV1,
} from '@civil/contracts';
import {
  IdempotentConsumer,
  NatsConnectionService,
  PLATFORM_CONFIG,
  PLATFORM_LOGGER,
  PersonalDataCipher,
  projectDibaoCaseEvent,
  sealedMembersOf,
  sealResidentId,
  type ConsumerSettings,
  type DibaoCaseTables,
  type EventConfig,
} from '@civil/platform';
import type { Logger } from 'pino';
import { birthDateInResidentId } from '../resident-id-at-rest';

/**
 * Every event of social assistance: nats-server 2.9 takes one filter subject per consumer, so the
 * consumer takes them all and ignores the types it does not need.
 */
export const ASSISTANCE_SUBJECTS = 'civil.social-assistance.>';

/**
 * Elderly care's own record of who is 特困 (with the care mode: 集中 or 分散) and which households
 * receive 低保 with which members, kept from social assistance's events (its tables are not ours to
 * read). Each event is applied once (IdempotentConsumer records its id in the same transaction),
 * and the effects are written so that the order of a case's events does not matter: an end that
 * overtakes its start leaves the case closed when the start arrives.
 */
@Injectable()
export class AssistanceStatusConsumer extends IdempotentConsumer {
  protected readonly settings: ConsumerSettings = {
    durableName: 'elderly-care-assistance-status',
    filterSubjects: [ASSISTANCE_SUBJECTS],
    maxDeliveries: 10,
    ackWaitMs: 30_000,
  };

  constructor(
    nats: NatsConnectionService,
    @InjectDataSource() dataSource: DataSource,
    @Inject(PLATFORM_LOGGER) logger: Logger,
    @Inject(PLATFORM_CONFIG) config: EventConfig,
    private readonly cipher: PersonalDataCipher,
  ) {
    super({ nats, dataSource, logger, config });
  }

  protected async apply(event: EventEnvelope, manager: EntityManager): Promise<void> {
    await applyAssistanceStatusEvent(event, manager, this.cipher);
  }
}

/**
 * Elderly care's tables of 低保 cases (migrations 1764000032000, 1764000062000). The shared
 * projection keeps members as their resident-ID hash; this service adds each member's ciphertext
 * and birth date (the demo and any later listing of eligible people need the number back).
 */
const DIBAO_CASE_TABLES: DibaoCaseTables = { cases: 'assistance_dibao_case_view', members: 'assistance_dibao_member_view' };

/** A resident ID as the read models keep it: hash, ciphertext, birth date (all null without a number). */
interface StoredResidentId {
  hash: string | null;
  enc: string | null;
  birthDate: string | null;
}

/**
 * From an event's sealed resident ID (opened under our key and checked against its hash: a wrong
 * key fails loudly instead of storing hashes that match nobody), or from the plain number of
 * events published before events were sealed (issue 8).
 */
function stored(cipher: PersonalDataCipher, sealed: SealedResidentId | undefined, legacyNumber?: string): StoredResidentId {
  if (sealed !== undefined) return { hash: sealed.hash, enc: sealed.enc, birthDate: birthDateInResidentId(cipher.unseal(sealed)) };
  if (legacyNumber === undefined) return { hash: null, enc: null, birthDate: null };
  const resealed = sealResidentId(cipher, legacyNumber);
  return { hash: resealed.hash, enc: resealed.enc, birthDate: birthDateInResidentId(legacyNumber) };
}

/** Applies one social-assistance event to the read model (exported for the consumer's tests). */
export async function applyAssistanceStatusEvent(event: EventEnvelope, manager: EntityManager, cipher: PersonalDataCipher): Promise<void> {
  switch (event.type) {
    case TekunEvents.enrolled: {
      const data = event.data as TekunEnrolledV1;
      await upsertTekunPlacement(manager, data.personId, stored(cipher, data.resident, data.residentId), event.divisioncode, data.careMode, data.selfCareLevel, data.effectivePeriod, true);
      return;
    }
    case TekunEvents.changed: {
      const data = event.data as TekunChangedV1;
      await upsertTekunPlacement(manager, data.personId, stored(cipher, data.resident, data.residentId), event.divisioncode, data.careModeAfter, data.selfCareLevelAfter, data.effectivePeriod, false);
      return;
    }
    case TekunEvents.ended: {
      const data = event.data as TekunEndedV1;
      const resident = stored(cipher, data.resident, data.residentId);
      // An end older than the support's current start belongs to an earlier spell: ignored.
      await manager.query(
        `INSERT INTO assistance_tekun_view AS v (person_id, resident_id_hash, resident_id_enc, birth_date, division_code, care_mode, until_period) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (person_id) DO UPDATE SET
           ${KEEP_RESIDENT_ID},
           until_period = CASE WHEN v.first_period IS NULL OR v.first_period < EXCLUDED.until_period THEN EXCLUDED.until_period ELSE v.until_period END,
           updated_at = now()`,
        [data.personId, resident.hash, resident.enc, resident.birthDate, event.divisioncode, data.careMode, data.effectivePeriod],
      );
      return;
    }
    default: {
      // 低保 case events go to the shared projection; applications, payrolls, temporary assistance …
      // are nothing this model needs.
      const kind = await projectDibaoCaseEvent(event, manager, DIBAO_CASE_TABLES, cipher);
      if (kind === 'started' || kind === 'adjusted') await storeDibaoMembers(event, manager, cipher);
      return;
    }
  }
}

/** The resident ID an event brings replaces the one recorded (hash, ciphertext and birth date together); none keeps it. */
const KEEP_RESIDENT_ID = `
  resident_id_enc = CASE WHEN EXCLUDED.resident_id_hash IS NULL THEN v.resident_id_enc ELSE EXCLUDED.resident_id_enc END,
  birth_date = CASE WHEN EXCLUDED.resident_id_hash IS NULL THEN v.birth_date ELSE EXCLUDED.birth_date END,
  resident_id_hash = coalesce(EXCLUDED.resident_id_hash, v.resident_id_hash)`;

/**
 * The members the projection has just written for a case, by hash: their ciphertext and birth date,
 * from the event's sealed numbers, or (an adjustment that names nobody keeps the earlier case's members)
 * from the rows of the same persons in other cases.
 */
async function storeDibaoMembers(event: EventEnvelope, manager: EntityManager, cipher: PersonalDataCipher): Promise<void> {
  const data = event.data as DibaoHouseholdStartedV1 | DibaoHouseholdAdjustedV1;
  const members = sealedMembersOf(data, cipher);
  if (members !== undefined) {
    const rows = members.map((member) => stored(cipher, member));
    await manager.query(
      `UPDATE assistance_dibao_member_view m SET resident_id_enc = v.enc, birth_date = v.birth_date
         FROM unnest($2::text[], $3::text[], $4::date[]) AS v (hash, enc, birth_date)
        WHERE m.case_id = $1 AND m.resident_id_hash = v.hash`,
      [data.caseId, rows.map((r) => r.hash), rows.map((r) => r.enc), rows.map((r) => r.birthDate)],
    );
    return;
  }
  await manager.query(
    `UPDATE assistance_dibao_member_view m SET resident_id_enc = o.resident_id_enc, birth_date = o.birth_date
       FROM (SELECT DISTINCT ON (resident_id_hash) resident_id_hash, resident_id_enc, birth_date FROM assistance_dibao_member_view
              WHERE case_id <> $1 AND resident_id_enc IS NOT NULL
                AND resident_id_hash IN (SELECT resident_id_hash FROM assistance_dibao_member_view WHERE case_id = $1)
              ORDER BY resident_id_hash) o
      WHERE m.case_id = $1 AND m.resident_id_enc IS NULL AND m.resident_id_hash = o.resident_id_hash`,
    [data.caseId],
  );
}

/**
 * A 特困 placement from `period` on. An enrolment after the recorded end opens a new spell; one
 * before it (arriving late) keeps the end. A placement older than the one recorded changes nothing.
 */
async function upsertTekunPlacement(
  manager: EntityManager,
  personId: string,
  resident: StoredResidentId,
  divisionCode: string,
  careMode: string,
  selfCareLevel: string,
  period: string,
  enrolment: boolean,
): Promise<void> {
  await manager.query(
    `INSERT INTO assistance_tekun_view AS v (person_id, resident_id_hash, resident_id_enc, birth_date, division_code, care_mode, self_care_level, mode_since, first_period)
     VALUES ($1, $2, $8, $9, $3, $4, $5, $6, $6)
     ON CONFLICT (person_id) DO UPDATE SET
       ${KEEP_RESIDENT_ID},
       division_code = CASE WHEN v.mode_since IS NULL OR v.mode_since <= EXCLUDED.mode_since THEN EXCLUDED.division_code ELSE v.division_code END,
       care_mode = CASE WHEN v.mode_since IS NULL OR v.mode_since <= EXCLUDED.mode_since THEN EXCLUDED.care_mode ELSE v.care_mode END,
       self_care_level = CASE WHEN v.mode_since IS NULL OR v.mode_since <= EXCLUDED.mode_since THEN EXCLUDED.self_care_level ELSE v.self_care_level END,
       mode_since = greatest(v.mode_since, EXCLUDED.mode_since),
       first_period = CASE WHEN $7 AND v.until_period IS NOT NULL AND v.until_period <= EXCLUDED.first_period THEN EXCLUDED.first_period
                           ELSE least(v.first_period, EXCLUDED.first_period) END,
       until_period = CASE WHEN $7 AND v.until_period IS NOT NULL AND v.until_period <= EXCLUDED.first_period THEN NULL ELSE v.until_period END,
       updated_at = now()`,
    [personId, resident.hash, divisionCode, careMode, selfCareLevel, period, enrolment, resident.enc, resident.birthDate],
  );
}
