import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { TekunEvents, type EventEnvelope, type TekunChangedV1, type TekunEndedV1, type TekunEnrolledV1 } from '@civil/contracts';
import {
  IdempotentConsumer,
  NatsConnectionService,
  PLATFORM_CONFIG,
  PLATFORM_LOGGER,
  projectDibaoCaseEvent,
  type ConsumerSettings,
  type DibaoCaseTables,
  type EventConfig,
} from '@civil/platform';
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

/** Elderly care's tables of 低保 cases (see migration 1764000032000). */
const DIBAO_CASE_TABLES: DibaoCaseTables = { cases: 'assistance_dibao_case_view', members: 'assistance_dibao_member_view' };

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
    default:
      // 低保 case events go to the shared projection; applications, payrolls, temporary assistance …
      // are nothing this model needs.
      await projectDibaoCaseEvent(event, manager, DIBAO_CASE_TABLES);
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
