import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Period } from '@civil/domain-kernel';
import {
  AllowanceEvents,
  SYSTEM_ACTOR,
  type AllowanceEndedV1,
  type DibaoHouseholdAdjustedV1,
  type DibaoHouseholdStartedV1,
  type DibaoHouseholdStoppedV1,
  type EventEnvelope,
} from '@civil/contracts';
import {
  IdempotentConsumer,
  NatsConnectionService,
  Outbox,
  PersonalDataCipher,
  PLATFORM_CONFIG,
  PLATFORM_LOGGER,
  projectDibaoCaseEvent,
  sealedMembersOf,
  type ConsumerSettings,
  type DibaoCaseTables,
  type EventConfig,
} from '@civil/platform';
import type { Logger } from 'pino';

/** Every 低保 case event of social assistance (one filter: nats-server 2.9 takes one subject). */
export const DIBAO_CASE_SUBJECTS = 'civil.social-assistance.dibao-household.>';

/**
 * Social affairs' own record of which 低保 cases pay which households, and who lives in them,
 * kept from social assistance's events (its tables are not ours to read). Each event is applied
 * once (IdempotentConsumer records its id in the same transaction), and the effects are written so
 * that the order of a case's start and stop does not matter: a stop that overtakes its start
 * leaves the case closed when the start arrives.
 *
 * When a household's 低保 stops, the disability living allowances of its members end with the
 * last month 低保 was paid: the allowance stops from the next period, with an `allowance.ended`
 * event in the same transaction.
 */
@Injectable()
export class DibaoCasesConsumer extends IdempotentConsumer {
  protected readonly settings: ConsumerSettings = {
    durableName: 'social-affairs-dibao-cases',
    filterSubjects: [DIBAO_CASE_SUBJECTS],
    maxDeliveries: 10,
    ackWaitMs: 30_000,
  };

  constructor(
    nats: NatsConnectionService,
    @InjectDataSource() dataSource: DataSource,
    @Inject(PLATFORM_LOGGER) logger: Logger,
    @Inject(PLATFORM_CONFIG) config: EventConfig,
    private readonly outbox: Outbox,
    private readonly cipher: PersonalDataCipher,
  ) {
    super({ nats, dataSource, logger, config });
  }

  protected async apply(event: EventEnvelope, manager: EntityManager): Promise<void> {
    await applyDibaoCaseEvent(event, manager, this.outbox, this.cipher);
  }
}

/** Social affairs' tables of 低保 cases (see migrations 1764000026000 and 1764000061000: members by hash). */
const DIBAO_CASE_TABLES: DibaoCaseTables = { cases: 'dibao_case_view', members: 'dibao_case_member_view' };

/**
 * Applies one 低保 case event to the read model (members by the lookup hash of their resident ID),
 * ending living allowances on a stop (exported for the tests and the demo). The people an event
 * names are also kept in dibao_member_identity, their number encrypted: the demo enrols its
 * living-allowance holders among them.
 */
export async function applyDibaoCaseEvent(event: EventEnvelope, manager: EntityManager, outbox: Outbox, cipher: PersonalDataCipher): Promise<void> {
  const kind = await projectDibaoCaseEvent(event, manager, DIBAO_CASE_TABLES, cipher);
  if (kind === 'started' || kind === 'adjusted') {
    const members = sealedMembersOf(event.data as DibaoHouseholdStartedV1 | DibaoHouseholdAdjustedV1, cipher);
    if (members !== undefined && members.length > 0) {
      await manager.query(`INSERT INTO dibao_member_identity (resident_id_hash, resident_id_enc) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`, [
        members.map((m) => m.hash),
        members.map((m) => m.enc),
      ]);
    }
  }
  if (kind === 'stopped') await endLivingAllowances(manager, outbox, event.data as DibaoHouseholdStoppedV1);
}

/**
 * Ends the living allowance of every member of the stopped case who is not covered by another
 * 低保 case from the stop on: the last month paid is the last month of 低保.
 */
async function endLivingAllowances(manager: EntityManager, outbox: Outbox, stopped: DibaoHouseholdStoppedV1): Promise<void> {
  const lastPeriod = Period.parse(stopped.effectivePeriod).previous().toString();
  const ended = await manager.query<{ id: string; division_code: string }[]>(
    `WITH ended AS (
       UPDATE allowance_enrolment e SET last_period = $2, end_reason = 'dibao-stopped', ended_by = 'system'
        WHERE e.programme = 'disability-living' AND e.last_period IS NULL
          AND e.resident_id_hash IN (SELECT resident_id_hash FROM dibao_case_member_view WHERE case_id = $1)
          AND NOT EXISTS (
            SELECT 1 FROM dibao_case_member_view m JOIN dibao_case_view c ON c.case_id = m.case_id
             WHERE m.resident_id_hash = e.resident_id_hash AND c.case_id <> $1 AND c.first_period <= $3 AND (c.until_period IS NULL OR c.until_period > $3))
        RETURNING e.id, e.division_code)
     SELECT id, division_code FROM ended`,
    [stopped.caseId, lastPeriod, stopped.effectivePeriod],
  );
  if (ended.length === 0) return;
  await outbox.emitWithin<AllowanceEndedV1>(
    manager,
    SYSTEM_ACTOR,
    ended.map((e) => ({
      type: AllowanceEvents.ended,
      subject: `allowance-enrolment/${e.id}`,
      divisionCode: e.division_code,
      data: { enrolmentId: e.id, programme: 'disability-living', lastPeriod, reason: 'dibao-stopped' },
    })),
  );
}
