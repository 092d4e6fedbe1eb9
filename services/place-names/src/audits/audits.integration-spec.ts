import { DivisionsService } from '../divisions/divisions.service';
import { PLACE_NAMES_MIGRATIONS } from '../data-source';
import { DataSource } from 'typeorm';
import { Outbox, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { PlaceNameAuditEvents, PlaceNameEvents, type Actor, type NewPlaceName, type PlaceNameCategory } from '@civil/contracts';
import { GazetteerService } from '../gazetteer/gazetteer.service';
import { AuditsService } from './audits.service';

/**
 * Quality-audit campaigns against real PostgreSQL: the snapshot, assignments, results with the
 * gazetteer correction in the same transaction, idempotent re-recording, progress and closing.
 */
describe('AuditsService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let gazetteer: GazetteerService;
  let audits: AuditsService;
  const TODAY = '2023-12-31';
  const LUOSHI = '430503101000';
  const CAIE = '430503202000';
  const officer: Actor = { userId: 'pn-officer', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503000000'] };
  const reviewerA: Actor = { userId: 'reviewer-a', kind: 'staff', roles: ['township-reviewer'], divisions: [LUOSHI] };
  const reviewerB: Actor = { userId: 'reviewer-b', kind: 'staff', roles: ['township-reviewer'], divisions: [LUOSHI] };
  const auditor: Actor = { userId: 'auditor', kind: 'staff', roles: ['auditor'], divisions: ['430503000000'] };
  const ids: Record<string, string> = {};

  const place = async (name: string, category: PlaceNameCategory, divisionCode: string, over: Partial<NewPlaceName> = {}): Promise<string> => {
    const view = await gazetteer.create({ name, category, divisionCode, locationDescription: `${name}位于辖区内`, ...over }, officer);
    ids[name] = view.id;
    return view.id;
  };

  const counts = async (): Promise<{ campaigns: number; records: number; outbox: number; decided: number; placeVersions: number }> => {
    const [row] = await dataSource.query<{ campaigns: number; records: number; outbox: number; decided: number; placeVersions: number }[]>(
      `SELECT (SELECT count(*) FROM audit_campaign)::int AS campaigns, (SELECT count(*) FROM audit_record)::int AS records,
              (SELECT count(*) FROM outbox)::int AS outbox, (SELECT count(*) FROM audit_record WHERE status <> 'pending')::int AS decided,
              (SELECT sum(version) FROM place_name)::int AS "placeVersions"`,
    );
    if (!row) throw new Error('no counts');
    return row;
  };

  const eventsOf = async (type: string): Promise<{ subject: string; data: Record<string, unknown>; actor: string }[]> =>
    dataSource.query(`SELECT envelope->>'subject' AS subject, envelope->'data' AS data, envelope->>'actor' AS actor FROM outbox WHERE type = $1 ORDER BY id`, [type]);

  beforeAll(async () => {
    // The gazetteer's migrations and ours only: the audits do not depend on the other features' tables.
    dataSource = new DataSource(
      serviceDataSourceOptions({
        url: await createTestDatabase('place_name_audits'),
        entities: [],
        migrations: PLACE_NAMES_MIGRATIONS,
        applicationName: 'place-name-audits-test',
        poolSize: 6,
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    const outbox = new Outbox('place-names', dataSource);
    gazetteer = new GazetteerService(outbox, dataSource, new DivisionsService(outbox, dataSource));
    audits = new AuditsService(outbox, dataSource, gazetteer);
    await place('罗市大道', 'street-road-lane', LUOSHI);
    await place('青松路', 'street-road-lane', LUOSHI);
    await place('枫林巷', 'street-road-lane', LUOSHI);
    await place('翠竹小区', 'residential-area-or-building', LUOSHI);
    await place('石门山', 'natural-feature', LUOSHI);
    await place('蔡锷路', 'street-road-lane', CAIE);
    await place('荷塘小区', 'residential-area-or-building', CAIE);
  }, 120_000);

  afterAll(async () => {
    await dataSource?.destroy();
  });

  let campaignId: string;

  it('snapshots exactly the records of two categories in one township', async () => {
    const campaign = await audits.create({ title: '罗市镇地名质量提升', year: 2023, categories: ['street-road-lane', 'residential-area-or-building'], divisionCodes: [LUOSHI] }, officer);
    campaignId = campaign.id;
    const listed = await audits.listRecords({ id: campaignId, limit: 100 }, officer);
    expect(listed.items.map((r) => r.name).sort()).toEqual(['枫林巷', '罗市大道', '青松路', '翠竹小区'].sort());
    expect(campaign.progress.total).toEqual({ total: 4, pending: 4, reviewed: 0, corrected: 0, supplemented: 0, percentDone: 0 });
    expect(campaign.progress.byClass.map((c) => [c.databaseClass, c.total])).toEqual([
      ['street-road-lane', 3],
      ['residential-area-or-building', 1],
    ]);
  });

  it('refuses a campaign that selects nothing, and a manager outside the divisions', async () => {
    const before = await counts();
    const empty = await domainErrorOf(audits.create({ title: '空选择', year: 2023, categories: ['infrastructure'], divisionCodes: [LUOSHI] }, officer), 'VALIDATION_FAILED');
    expect(empty.fields?.map((f) => f.field)).toEqual(['categories']);
    const township: Actor = { ...officer, divisions: [LUOSHI] };
    await domainErrorOf(audits.create({ title: '全区', year: 2023, categories: ['street-road-lane'], divisionCodes: ['430503000000'] }, township), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(audits.create({ title: '全区', year: 2023, categories: ['street-road-lane'], divisionCodes: [LUOSHI] }, reviewerA), 'FORBIDDEN');
    expect(await counts()).toEqual(before);
  });

  it('splits records among reviewers and pages through them with a cursor', async () => {
    const assignment = await audits.assign({ id: campaignId, reviewers: ['reviewer-a', 'reviewer-b'], categories: ['street-road-lane'] }, officer);
    expect(assignment.assigned).toEqual([
      { reviewer: 'reviewer-a', records: 2 },
      { reviewer: 'reviewer-b', records: 1 },
    ]);
    const second = await audits.assign({ id: campaignId, reviewers: ['reviewer-b'], placeNameIds: [ids['翠竹小区'] ?? ''] }, officer);
    expect(second.assigned).toEqual([{ reviewer: 'reviewer-b', records: 1 }]);
    const first = await audits.listRecords({ id: campaignId, limit: 3 }, auditor);
    expect(first.items).toHaveLength(3);
    expect(first.nextAfter).not.toBeNull();
    const rest = await audits.listRecords({ id: campaignId, limit: 3, after: first.nextAfter ?? undefined }, auditor);
    expect(rest.items).toHaveLength(1);
    expect(rest.nextAfter).toBeNull();
    const own = await audits.listRecords({ id: campaignId, limit: 10 }, reviewerB);
    expect(own.items.every((r) => r.reviewer === 'reviewer-b')).toBe(true);
    expect(own.items).toHaveLength(2);
  });

  const recordOf = async (name: string): Promise<{ reviewer: string | null }> => {
    const all = await audits.listRecords({ id: campaignId, limit: 100 }, officer);
    const found = all.items.find((r) => r.name === name);
    if (!found) throw new Error(`no record ${name}`);
    return found;
  };

  it('refuses a result from a reviewer the record is not assigned to, writing nothing', async () => {
    const target = await recordOf('罗市大道');
    const other = target.reviewer === 'reviewer-a' ? reviewerB : reviewerA;
    const before = await counts();
    await domainErrorOf(audits.record({ id: campaignId, placeNameId: ids['罗市大道'] ?? '', outcome: 'reviewed' }, other, TODAY), 'FORBIDDEN');
    await domainErrorOf(audits.record({ id: campaignId, placeNameId: ids['罗市大道'] ?? '', outcome: 'reviewed' }, auditor, TODAY), 'FORBIDDEN');
    expect(await counts()).toEqual(before);
  });

  it('applies a correction to the gazetteer record and the audit record in one transaction, with both events', async () => {
    const target = await recordOf('青松路');
    const reviewer = target.reviewer === 'reviewer-a' ? reviewerA : reviewerB;
    const id = ids['青松路'] ?? '';
    const result = await audits.record(
      { id: campaignId, placeNameId: id, outcome: 'corrected', reviewedOn: '2023-06-15', note: '起止点与实地不符，已按实地更正', corrections: { expectedVersion: 1, locationDescription: '东起罗市大道，西至枫林巷' } },
      reviewer,
      TODAY,
    );
    expect(result).toMatchObject({ status: 'corrected', reviewedBy: reviewer.userId, reviewedOn: '2023-06-15' });
    const corrected = await gazetteer.get(id);
    expect(corrected).toMatchObject({ locationDescription: '东起罗市大道，西至枫林巷', version: 2 });
    const reviewed = (await eventsOf(PlaceNameAuditEvents.recordReviewed)).filter((e) => e.data.nameId === id);
    expect(reviewed).toEqual([
      {
        subject: `audit-campaign/${campaignId}`,
        actor: reviewer.userId,
        data: { campaignId, year: 2023, nameId: id, category: 'street-road-lane', divisionCode: LUOSHI, outcome: 'corrected', reviewedOn: '2023-06-15' },
      },
    ]);
    const corrections = (await eventsOf(PlaceNameEvents.corrected)).filter((e) => e.data.nameId === id);
    expect(corrections.map((e) => [e.data.fields, e.actor])).toEqual([[['locationDescription'], reviewer.userId]]);
  });

  it('rolls the audit result back when the gazetteer refuses the correction (stale version)', async () => {
    const target = await recordOf('枫林巷');
    const reviewer = target.reviewer === 'reviewer-a' ? reviewerA : reviewerB;
    const before = await counts();
    await domainErrorOf(
      audits.record({ id: campaignId, placeNameId: ids['枫林巷'] ?? '', outcome: 'supplemented', corrections: { expectedVersion: 7, origin: '巷旁旧有枫林' } }, reviewer, TODAY),
      'CONFLICT',
    );
    await domainErrorOf(
      audits.record({ id: campaignId, placeNameId: ids['枫林巷'] ?? '', outcome: 'supplemented', corrections: { expectedVersion: 1, locationDescription: '改了' } }, reviewer, TODAY),
      'VALIDATION_FAILED',
    );
    expect(await counts()).toEqual(before);
    await audits.record({ id: campaignId, placeNameId: ids['枫林巷'] ?? '', outcome: 'supplemented', reviewedOn: '2023-07-01', corrections: { expectedVersion: 1, origin: '巷旁旧有枫林' } }, reviewer, TODAY);
    expect((await gazetteer.get(ids['枫林巷'] ?? '')).origin).toBe('巷旁旧有枫林');
  });

  it('records the same outcome twice as once, and a different outcome as a conflict', async () => {
    const id = ids['翠竹小区'] ?? '';
    const first = await audits.record({ id: campaignId, placeNameId: id, outcome: 'reviewed', reviewedOn: '2023-08-01' }, reviewerB, TODAY);
    const before = await counts();
    const again = await audits.record({ id: campaignId, placeNameId: id, outcome: 'reviewed', reviewedOn: '2023-08-02' }, reviewerB, TODAY);
    expect(again).toEqual(first);
    expect(await counts()).toEqual(before);
    await domainErrorOf(
      audits.record({ id: campaignId, placeNameId: id, outcome: 'corrected', corrections: { expectedVersion: 1, type: '小区' } }, reviewerB, TODAY),
      'CONFLICT',
    );
    expect(await counts()).toEqual(before);
  });

  it('names every bad field of a result and writes nothing', async () => {
    const before = await counts();
    const error = await domainErrorOf(
      audits.record(
        { id: 'not-a-uuid', placeNameId: ids['罗市大道'] ?? '', outcome: 'confirmed' as never, reviewedOn: '2023-13-01', note: '电话13812345678' },
        officer,
        TODAY,
      ),
      'VALIDATION_FAILED',
    );
    expect(error.fields?.map((f) => f.field).sort()).toEqual(['id', 'note', 'outcome', 'reviewedOn']);
    const noCorrections = await domainErrorOf(audits.record({ id: campaignId, placeNameId: ids['罗市大道'] ?? '', outcome: 'corrected' }, officer, TODAY), 'VALIDATION_FAILED');
    expect(noCorrections.fields?.map((f) => [f.field, f.rule])).toEqual([['corrections', 'required']]);
    const future = await domainErrorOf(audits.record({ id: campaignId, placeNameId: ids['罗市大道'] ?? '', outcome: 'reviewed', reviewedOn: '2024-01-02' }, officer, TODAY), 'VALIDATION_FAILED');
    expect(future.fields?.map((f) => [f.field, f.rule])).toEqual([['reviewedOn', 'not-in-future']]);
    expect(await counts()).toEqual(before);
  });

  it('counts progress by category and by reviewer, and closes only when nothing is pending (or forced)', async () => {
    const campaign = await audits.get({ id: campaignId }, auditor);
    expect(campaign.progress.total).toEqual({ total: 4, pending: 1, reviewed: 1, corrected: 1, supplemented: 1, percentDone: 75 });
    expect(campaign.progress.byCategory).toEqual([
      { category: 'residential-area-or-building', total: 1, pending: 0, reviewed: 1, corrected: 0, supplemented: 0, percentDone: 100 },
      { category: 'street-road-lane', total: 3, pending: 1, reviewed: 0, corrected: 1, supplemented: 1, percentDone: 66.7 },
    ]);
    expect(campaign.progress.byReviewer.reduce((n, r) => n + r.total, 0)).toBe(4);
    const own = await audits.get({ id: campaignId }, reviewerB);
    expect(own.progress.byReviewer.map((r) => r.reviewer)).toEqual(['reviewer-b']);

    await domainErrorOf(audits.close({ id: campaignId }, officer), 'CONFLICT');
    await domainErrorOf(audits.close({ id: campaignId, force: true }, officer), 'VALIDATION_FAILED');
    await domainErrorOf(audits.close({ id: campaignId }, auditor), 'FORBIDDEN');
    await audits.record({ id: campaignId, placeNameId: ids['罗市大道'] ?? '', outcome: 'reviewed', reviewedOn: '2023-09-01' }, officer, TODAY);
    const closed = await audits.close({ id: campaignId }, officer);
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'pn-officer' });
    expect(closed.progress.total.percentDone).toBe(100);
    await domainErrorOf(audits.assign({ id: campaignId, reviewers: ['reviewer-a'] }, officer), 'CONFLICT');
  });

  it('closes a campaign with pending records when forced with a reason', async () => {
    const campaign = await audits.create({ title: '蔡锷乡地名质量提升', year: 2023, categories: ['street-road-lane', 'residential-area-or-building'], divisionCodes: [CAIE] }, officer);
    expect(campaign.progress.total.total).toBe(2);
    const closed = await audits.close({ id: campaign.id, force: true, reason: '并入全区行动' }, officer);
    expect(closed).toMatchObject({ status: 'closed', closeReason: '并入全区行动' });
    await domainErrorOf(audits.record({ id: campaign.id, placeNameId: ids['蔡锷路'] ?? '', outcome: 'reviewed', reviewedOn: '2023-09-01' }, officer, TODAY), 'CONFLICT');
  });
});
