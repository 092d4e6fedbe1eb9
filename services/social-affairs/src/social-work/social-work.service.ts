import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import { compareDates, todayInShanghai } from '@civil/domain-kernel';
import {
  DomainError,
  SocialWorkEvents,
  actorCoversDivision,
  divisionLikePatterns,
  hasAnyRole,
  type Actor,
  type RecordSocialWorkActivityInput,
  type Role,
  type SocialWorkActivityRecordedV1,
  type SocialWorkActivityView,
  type SocialWorkKind,
  type SocialWorkSummary,
} from '@civil/contracts';
import { Outbox } from '@civil/platform';
import type { DataSource } from 'typeorm';

const RECORDERS: readonly Role[] = ['registrar', 'admin'];
const READERS: readonly Role[] = ['registrar', 'admin', 'auditor', 'leader'];

/** 社工站: activities recorded with the people served, each with its event; a yearly summary. */
@Injectable()
export class SocialWorkService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async record(input: RecordSocialWorkActivityInput, actor: Actor, today = todayInShanghai()): Promise<SocialWorkActivityView> {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, RECORDERS)) throw new DomainError('FORBIDDEN', 'social work activities are recorded by social-affairs staff');
    if (compareDates(input.heldOn, today) > 0) throw DomainError.validation([{ field: 'heldOn', rule: 'not-in-future', message: 'record an activity once it has taken place' }]);
    const [station] = await this.dataSource.query<{ division_code: string }[]>(`SELECT division_code FROM social_work_station WHERE id = $1`, [input.stationId]);
    if (!station) throw new DomainError('NOT_FOUND', `social work station ${input.stationId} does not exist`);
    const stationScope = station.division_code.replace(/(000)+$/, '');
    if (!input.divisionCode.startsWith(stationScope)) {
      throw DomainError.validation([{ field: 'divisionCode', rule: 'within-station', message: `the activity takes place within the station's division ${station.division_code}` }]);
    }
    if (!actorCoversDivision(actor, input.divisionCode)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `${input.divisionCode} is outside your divisions`);
    const id = uuidv7();
    await this.outbox.transaction(async (tx) => {
      await tx.manager.query(
        `INSERT INTO social_work_activity (id, station_id, kind, title, division_code, held_on, persons_served, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, input.stationId, input.kind, input.title, input.divisionCode, input.heldOn, input.personsServed, actor.userId],
      );
      const data: SocialWorkActivityRecordedV1 = { activityId: id, stationId: input.stationId, kind: input.kind, heldOn: input.heldOn, personsServed: input.personsServed };
      await tx.emit<SocialWorkActivityRecordedV1>(actor, [{ type: SocialWorkEvents.activityRecorded, subject: `social-work-activity/${id}`, divisionCode: input.divisionCode, data }]);
    });
    return { id, stationId: input.stationId, kind: input.kind, title: input.title, divisionCode: input.divisionCode, heldOn: input.heldOn, personsServed: input.personsServed };
  }

  async summary(year: number, actor: Actor): Promise<SocialWorkSummary> {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, READERS)) throw new DomainError('FORBIDDEN', 'the summary is for social-affairs staff, auditors and leaders');
    const scope = divisionLikePatterns(actor);
    const rows = await this.dataSource.query<{ kind: SocialWorkKind; activities: number; persons: number }[]>(
      `SELECT kind, count(*)::int AS activities, sum(persons_served)::int AS persons FROM social_work_activity
        WHERE held_on >= make_date($1, 1, 1) AND held_on < make_date($1 + 1, 1, 1)${scope === null ? '' : ' AND division_code LIKE ANY($2::text[])'}
        GROUP BY kind ORDER BY kind`,
      scope === null ? [year] : [year, scope],
    );
    return {
      year,
      activities: rows.reduce((n, r) => n + r.activities, 0),
      personsServed: rows.reduce((n, r) => n + r.persons, 0),
      byKind: rows.map((r) => ({ kind: r.kind, activities: r.activities, personsServed: r.persons })),
    };
  }
}
