import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  DibaoCaseEvents,
  DibaoEvents,
  TekunEvents,
  type DibaoHouseholdAdjustedV1,
  type DibaoHouseholdStartedV1,
  type DibaoHouseholdStoppedV1,
  type EventEnvelope,
  type TekunChangedV1,
  type TekunEndedV1,
  type TekunEnrolledV1,
} from '@civil/contracts';
import { IdempotentConsumer, NatsConnectionService, PLATFORM_CONFIG, PLATFORM_LOGGER, type ConsumerSettings, type EventConfig } from '@civil/platform';
import type { Logger } from 'pino';

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

  constructor(nats: NatsConnectionService, @InjectDataSource() dataSource: DataSource, @Inject(PLATFORM_LOGGER) logger: Logger, @Inject(PLATFORM_CONFIG) config: EventConfig) {
    super({ nats, dataSource, logger, config });
  }

  protected async apply(event: EventEnvelope, manager: EntityManager): Promise<void> {
    await applyAssistanceStatusEvent(event, manager);
  }
}

/** Applies one social-assistance event to the read model (exported for the consumer's tests). */
export async function applyAssistanceStatusEvent(event: EventEnvelope, manager: EntityManager): Promise<void> {
  switch (event.type) {
    case TekunEvents.enrolled: {
      const data = event.data as TekunEnrolledV1;
      await upsertTekunPlacement(manager, data.personId, data.residentId, event.divisioncode, data.careMode, data.selfCareLevel, data.effectivePeriod, true);
      return;
    }
    case TekunEvents.changed: {
      const data = event.data as TekunChangedV1;
      await upsertTekunPlacement(manager, data.personId, data.residentId, event.divisioncode, data.careModeAfter, data.selfCareLevelAfter, data.effectivePeriod, false);
      return;
    }
    case TekunEvents.ended: {
      const data = event.data as TekunEndedV1;
      // An end older than the support's current start belongs to an earlier spell: ignored.
      await manager.query(
        `INSERT INTO assistance_tekun_view AS v (person_id, resident_id, division_code, care_mode, until_period) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (person_id) DO UPDATE SET
           resident_id = coalesce(EXCLUDED.resident_id, v.resident_id),
           until_period = CASE WHEN v.first_period IS NULL OR v.first_period < EXCLUDED.until_period THEN EXCLUDED.until_period ELSE v.until_period END,
           updated_at = now()`,
        [data.personId, data.residentId ?? null, event.divisioncode, data.careMode, data.effectivePeriod],
      );
      return;
    }
    case DibaoEvents.householdStarted: {
      const data = event.data as DibaoHouseholdStartedV1;
      await upsertDibaoCase(manager, data.caseId, data.householdId, event.divisioncode, data.effectivePeriod, data.memberResidentIds);
      return;
    }
    case DibaoCaseEvents.householdAdjusted: {
      const data = event.data as DibaoHouseholdAdjustedV1;
      // The adjustment closes the household's earlier case where the new one begins.
      const previous = await manager.query<{ case_id: string }[]>(
        `WITH closed AS (
           UPDATE assistance_dibao_case_view SET until_period = $3, updated_at = now()
            WHERE household_id = $1 AND case_id <> $2 AND first_period < $3 AND (until_period IS NULL OR until_period > $3)
            RETURNING case_id)
         SELECT case_id FROM closed`,
        [data.householdId, data.caseId, data.effectivePeriod],
      );
      let members = data.memberResidentIds;
      if (members === undefined && previous[0]) {
        const rows = await manager.query<{ resident_id: string }[]>(`SELECT resident_id FROM assistance_dibao_member_view WHERE case_id = $1`, [previous[0].case_id]);
        members = rows.map((r) => r.resident_id);
      }
      await upsertDibaoCase(manager, data.caseId, data.householdId, event.divisioncode, data.effectivePeriod, members);
      return;
    }
    case DibaoCaseEvents.householdStopped: {
      const data = event.data as DibaoHouseholdStoppedV1;
      await manager.query(
        `INSERT INTO assistance_dibao_case_view (case_id, household_id, division_code, until_period) VALUES ($1, $2, $3, $4)
         ON CONFLICT (case_id) DO UPDATE SET until_period = EXCLUDED.until_period, updated_at = now()`,
        [data.caseId, data.householdId, event.divisioncode, data.effectivePeriod],
      );
      return;
    }
    default:
      // Applications, payrolls, temporary assistance …: nothing this model needs.
      return;
  }
}

/**
 * A 特困 placement from `period` on. An enrolment after the recorded end opens a new spell; one
 * before it (arriving late) keeps the end. A placement older than the one recorded changes nothing.
 */
async function upsertTekunPlacement(
  manager: EntityManager,
  personId: string,
  residentId: string | undefined,
  divisionCode: string,
  careMode: string,
  selfCareLevel: string,
  period: string,
  enrolment: boolean,
): Promise<void> {
  await manager.query(
    `INSERT INTO assistance_tekun_view AS v (person_id, resident_id, division_code, care_mode, self_care_level, mode_since, first_period)
     VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (person_id) DO UPDATE SET
       resident_id = coalesce(EXCLUDED.resident_id, v.resident_id),
       division_code = CASE WHEN v.mode_since IS NULL OR v.mode_since <= EXCLUDED.mode_since THEN EXCLUDED.division_code ELSE v.division_code END,
       care_mode = CASE WHEN v.mode_since IS NULL OR v.mode_since <= EXCLUDED.mode_since THEN EXCLUDED.care_mode ELSE v.care_mode END,
       self_care_level = CASE WHEN v.mode_since IS NULL OR v.mode_since <= EXCLUDED.mode_since THEN EXCLUDED.self_care_level ELSE v.self_care_level END,
       mode_since = greatest(v.mode_since, EXCLUDED.mode_since),
       first_period = CASE WHEN $7 AND v.until_period IS NOT NULL AND v.until_period <= EXCLUDED.first_period THEN EXCLUDED.first_period
                           ELSE least(v.first_period, EXCLUDED.first_period) END,
       until_period = CASE WHEN $7 AND v.until_period IS NOT NULL AND v.until_period <= EXCLUDED.first_period THEN NULL ELSE v.until_period END,
       updated_at = now()`,
    [personId, residentId ?? null, divisionCode, careMode, selfCareLevel, period, enrolment],
  );
}

async function upsertDibaoCase(manager: EntityManager, caseId: string, householdId: string, divisionCode: string, firstPeriod: string, members: string[] | undefined): Promise<void> {
  await manager.query(
    `INSERT INTO assistance_dibao_case_view (case_id, household_id, division_code, first_period) VALUES ($1, $2, $3, $4)
     ON CONFLICT (case_id) DO UPDATE SET first_period = EXCLUDED.first_period, household_id = EXCLUDED.household_id, division_code = EXCLUDED.division_code, updated_at = now()`,
    [caseId, householdId, divisionCode, firstPeriod],
  );
  if (members === undefined) return;
  await manager.query(`DELETE FROM assistance_dibao_member_view WHERE case_id = $1`, [caseId]);
  await manager.query(`INSERT INTO assistance_dibao_member_view (case_id, resident_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [caseId, members]);
}
