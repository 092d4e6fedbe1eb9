import { DataSource } from 'typeorm';
import {
  DomainError,
  SocialOrganisationEvents,
  parseOrThrow,
  registerOrganisationSchema,
  type Actor,
  type RecordFoundationInput,
  type RegisterOrganisationInput,
} from '@civil/contracts';
import { Outbox } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { serviceDataSource } from '../data-source';
import { OrganisationsService } from './organisations.service';

/** Social organisations against real PostgreSQL: registration, inspections, gradings, changes, deregistration, census. */
describe('OrganisationsService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let service: OrganisationsService;
  const registrar: Actor = { userId: 'org-reg', kind: 'staff', roles: ['registrar'], divisions: ['430503'] };
  const auditor: Actor = { userId: 'aud', kind: 'staff', roles: ['auditor'], divisions: ['430503'] };
  const township: Actor = { userId: 'yx', kind: 'staff', roles: ['leader'], divisions: ['430503101'] };
  const elsewhere: Actor = { userId: 'sy', kind: 'staff', roles: ['registrar'], divisions: ['430502'] };
  const citizen: Actor = { userId: 'c', kind: 'citizen', roles: ['citizen'], divisions: [], residentId: 'x' };
  const TODAY = '2024-05-01';

  const group = (more: Partial<RegisterOrganisationInput> = {}): RegisterOrganisationInput => ({
    type: 'social-group',
    name: '大祥区书法家协会',
    creditCode: '51430503MJ0000001T',
    divisionCode: '430503101000',
    address: '大祥区雨溪街道文化路1号',
    legalRepresentative: '张三',
    businessScope: '书法交流、培训、展览',
    registeredOn: '2022-03-01',
    ...more,
  });
  const foundation = (more: Partial<RecordFoundationInput> = {}): RecordFoundationInput => ({
    name: '邵阳市大祥区教育发展基金会',
    creditCode: '53430000MJ0000003M',
    divisionCode: '430503000000',
    address: '大祥区宝庆中路2号',
    legalRepresentative: '李四',
    businessScope: '资助教育事业',
    provinceRegistrationNumber: '湘基证字第0123号',
    registeredOn: '2021-09-15',
    ...more,
  });
  async function eventsOf(orgId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
    return dataSource.query(`SELECT type, envelope->'data' AS data FROM outbox WHERE envelope->>'subject' = $1 ORDER BY created_at, id`, [`social-organisation/${orgId}`]);
  }
  async function count(table: string): Promise<number> {
    const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
    return row?.n ?? -1;
  }

  let groupId = '';
  let pneId = '';
  let foundationId = '';

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('social_organisations'), 4));
    await dataSource.initialize();
    await dataSource.runMigrations();
    service = new OrganisationsService(new Outbox('social-affairs', dataSource), dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('registers a 社会团体 and a 民办非企业单位, each with its event; refuses to register a 基金会 but records one', async () => {
    const registered = await service.register(group(), registrar, TODAY);
    groupId = registered.id;
    expect(registered).toMatchObject({ type: 'social-group', registeredBy: 'county', provinceRegistrationNumber: null, status: 'active', creditCode: '51430503MJ0000001T' });
    expect(await eventsOf(groupId)).toEqual([
      {
        type: SocialOrganisationEvents.registered,
        data: { orgId: groupId, type: 'social-group', name: '大祥区书法家协会', creditCode: '51430503MJ0000001T', registeredBy: 'county', registeredOn: '2022-03-01' },
      },
    ]);

    const pne = await service.register(group({ type: 'private-non-enterprise', name: '大祥区阳光养老服务中心', creditCode: '52430503MJ00000041', registeredOn: '2023-07-01' }), registrar, TODAY);
    pneId = pne.id;
    expect(pne.registeredBy).toBe('county');
    expect((await eventsOf(pneId))[0]?.data).toMatchObject({ type: 'private-non-enterprise', registeredOn: '2023-07-01' });

    const refused = await domainErrorOf(service.register(group({ type: 'foundation', name: '某基金会', creditCode: '53430000MJ0000003M' }), registrar, TODAY), 'NOT_ELIGIBLE');
    expect(refused.message).toMatch(/province/);
    expect(refused.fields).toEqual([expect.objectContaining({ field: 'type', rule: 'province-registered' })]);

    const recorded = await service.recordFoundation(foundation(), registrar, TODAY);
    foundationId = recorded.id;
    expect(recorded).toMatchObject({ type: 'foundation', registeredBy: 'province', provinceRegistrationNumber: '湘基证字第0123号', registeredOn: '2021-09-15' });
    expect(await eventsOf(foundationId)).toEqual([
      {
        type: SocialOrganisationEvents.recorded,
        data: {
          orgId: foundationId,
          type: 'foundation',
          name: '邵阳市大祥区教育发展基金会',
          creditCode: '53430000MJ0000003M',
          registeredBy: 'province',
          registeredOn: '2021-09-15',
          provinceRegistrationNumber: '湘基证字第0123号',
        },
      },
    ]);
  });

  it('refuses a duplicate credit code or name, a code of the wrong category, other divisions and citizens — writing nothing', async () => {
    const [orgs, events] = [await count('social_organisation'), await count('outbox')];
    await domainErrorOf(service.register(group({ name: '另一个协会' }), registrar, TODAY), 'CONFLICT');
    await domainErrorOf(service.register(group({ creditCode: '51430503MJ0000009K' }), registrar, TODAY), 'DUPLICATE_NAME');
    const category = await domainErrorOf(service.register(group({ name: '另一个协会', creditCode: '52430503MJ00000067' }), registrar, TODAY), 'VALIDATION_FAILED');
    expect(category.fields?.map((f) => [f.field, f.rule])).toEqual([['creditCode', 'category']]);
    const future = await domainErrorOf(service.register(group({ name: '另一个协会', creditCode: '51430503MJ0000009K', registeredOn: '2024-05-02' }), registrar, TODAY), 'VALIDATION_FAILED');
    expect(future.fields?.map((f) => f.field)).toEqual(['registeredOn']);
    await domainErrorOf(service.register(group({ name: '另一个协会', creditCode: '51430503MJ0000009K' }), elsewhere, TODAY), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(service.register(group({ name: '另一个协会', creditCode: '51430503MJ0000009K' }), citizen, TODAY), 'FORBIDDEN');
    await domainErrorOf(service.register(group({ name: '另一个协会', creditCode: '51430503MJ0000009K' }), auditor, TODAY), 'FORBIDDEN');
    // Bad fields are refused at the boundary, each named.
    try {
      parseOrThrow(registerOrganisationSchema, { ...group(), type: 'company', name: '', creditCode: '51430503MJ0000001U', divisionCode: '43', registeredOn: '2023-02-30', extra: 1 });
      throw new Error('expected a validation error');
    } catch (error) {
      expect(error instanceof DomainError ? error.fields?.map((f) => f.field).sort() : error).toEqual(['(body)', 'creditCode', 'divisionCode', 'name', 'registeredOn', 'type']);
    }
    expect([await count('social_organisation'), await count('outbox')]).toEqual([orgs, events]);
  });

  it('records one inspection result per year; an organisation registered after 06-30 is exempt that year', async () => {
    const inspected = await service.inspect({ orgId: groupId, year: 2022, result: 'pass', inspectedOn: '2023-04-01' }, registrar, TODAY);
    expect(inspected.inspections).toEqual([
      { year: 2022, status: 'pass', inspectedOn: '2023-04-01' },
      { year: 2023, status: 'due', inspectedOn: null },
    ]);
    expect((await eventsOf(groupId)).at(-1)).toEqual({
      type: SocialOrganisationEvents.inspected,
      data: { orgId: groupId, type: 'social-group', year: 2022, result: 'pass', inspectedOn: '2023-04-01' },
    });
    const [rows, events] = [await count('social_organisation_inspection'), await count('outbox')];
    await domainErrorOf(service.inspect({ orgId: groupId, year: 2022, result: 'fail', inspectedOn: '2023-05-01' }, registrar, TODAY), 'CONFLICT');
    // Registered 2023-07-01: less than six months before 2023-12-31.
    const exempt = await domainErrorOf(service.inspect({ orgId: pneId, year: 2023, result: 'pass', inspectedOn: '2024-03-01' }, registrar, TODAY), 'NOT_ELIGIBLE');
    expect(exempt.fields?.map((f) => [f.field, f.rule])).toEqual([['year', 'exempt']]);
    const early = await domainErrorOf(service.inspect({ orgId: groupId, year: 2024, result: 'pass', inspectedOn: '2024-04-01' }, registrar, TODAY), 'VALIDATION_FAILED');
    expect(early.fields?.map((f) => f.rule)).toEqual(['after-year-end']);
    await domainErrorOf(service.inspect({ orgId: groupId, year: 2021, result: 'pass', inspectedOn: '2023-06-01' }, registrar, TODAY), 'VALIDATION_FAILED');
    await domainErrorOf(service.inspect({ orgId: groupId, year: 2023, result: 'pass', inspectedOn: '2024-03-01' }, elsewhere, TODAY), 'OUT_OF_DIVISION_SCOPE');
    expect([await count('social_organisation_inspection'), await count('outbox')]).toEqual([rows, events]);

    // The view and the listing show the exempt year.
    expect((await service.get(pneId, auditor, TODAY)).inspections).toEqual([{ year: 2023, status: 'exempt', inspectedOn: null }]);
    const listed = await service.list({ type: 'private-non-enterprise', limit: 50 }, auditor, TODAY);
    expect(listed.map((o) => [o.id, o.lastInspection])).toEqual([[pneId, { year: 2023, status: 'exempt', inspectedOn: null }]]);
  });

  it('refuses a grading after a failed last inspection, and after a missed one, naming why', async () => {
    const failing = await service.register(group({ name: '大祥区摄影家协会', creditCode: '51430503MJ00000057', registeredOn: '2021-05-01' }), registrar, TODAY);
    await service.inspect({ orgId: failing.id, year: 2021, result: 'pass', inspectedOn: '2022-04-01' }, registrar, TODAY);
    await service.inspect({ orgId: failing.id, year: 2022, result: 'fail', inspectedOn: '2023-04-10' }, registrar, TODAY);
    const failed = await domainErrorOf(service.grade({ orgId: failing.id, score: 950, gradedOn: '2023-07-01' }, registrar, TODAY), 'NOT_ELIGIBLE');
    expect(failed.fields?.map((f) => [f.field, f.rule])).toEqual([['orgId', 'last-inspection-failed']]);
    expect(failed.message).toMatch(/2022/);

    const missing = await service.register(group({ name: '大祥区围棋协会', creditCode: '51430503MJ0000007D', registeredOn: '2021-05-01' }), registrar, TODAY);
    await service.inspect({ orgId: missing.id, year: 2021, result: 'pass', inspectedOn: '2022-04-01' }, registrar, TODAY);
    // Before the 2022 deadline (2023-05-31) 2021 is the last inspection; after it, 2022 was missed.
    const missed = await domainErrorOf(service.grade({ orgId: missing.id, score: 950, gradedOn: '2023-06-15' }, registrar, TODAY), 'NOT_ELIGIBLE');
    expect(missed.fields?.map((f) => f.rule)).toEqual(['last-inspection-missed']);
    expect((await service.get(missing.id, registrar, TODAY)).inspections.map((i) => i.status)).toEqual(['pass', 'missed', 'due']);
    expect((await service.grade({ orgId: missing.id, score: 720, gradedOn: '2023-05-31' }, registrar, TODAY)).grading).toEqual({ score: 720, grade: '3A', gradedOn: '2023-05-31', validUntil: '2028-05-31' });
    expect(await count('social_organisation_grading')).toBe(1);
  });

  it('grades by the cut-offs of rule_org_grading in force, which a county row can change', async () => {
    const graded = await service.grade({ orgId: groupId, score: 850, gradedOn: '2023-07-01' }, registrar, TODAY);
    expect(graded.grading).toEqual({ score: 850, grade: '4A', gradedOn: '2023-07-01', validUntil: '2028-07-01' });
    expect((await eventsOf(groupId)).at(-1)).toEqual({
      type: SocialOrganisationEvents.graded,
      data: { orgId: groupId, type: 'social-group', score: 850, grade: '4A', gradedOn: '2023-07-01', validUntil: '2028-07-01' },
    });
    await domainErrorOf(service.grade({ orgId: groupId, score: 870, gradedOn: '2023-07-01' }, registrar, TODAY), 'CONFLICT');

    // The district lowers the 5A cut-off from 2023-08-01: the same score now earns 5A.
    await dataSource.query(`INSERT INTO rule_org_grading (division_code, effective_from, min_1a, min_2a, min_3a, min_4a, min_5a) VALUES ('430503000000', '2023-08-01', 450, 600, 700, 800, 840)`);
    const regraded = await service.grade({ orgId: groupId, score: 850, gradedOn: '2023-09-01' }, registrar, TODAY);
    expect(regraded.grading).toEqual({ score: 850, grade: '5A', gradedOn: '2023-09-01', validUntil: '2028-09-01' });
    const [rule] = await dataSource.query<{ rule_division_code: string }[]>(`SELECT rule_division_code FROM social_organisation_grading WHERE organisation_id = $1 AND graded_on = '2023-09-01'`, [groupId]);
    expect(rule?.rule_division_code).toBe('430503000000');

    // 460 is below the province's 1A (500) but reaches the county's (450).
    await service.inspect({ orgId: foundationId, year: 2022, result: 'basic-pass', inspectedOn: '2023-03-01' }, registrar, TODAY);
    const foundationGraded = await service.grade({ orgId: foundationId, score: 460, gradedOn: '2023-09-01' }, registrar, TODAY);
    expect(foundationGraded.grading?.grade).toBe('1A');
    await dataSource.query(`UPDATE rule_org_grading SET min_1a = 470 WHERE division_code = '430503000000'`);
    const other = await service.register(group({ name: '大祥区象棋协会', creditCode: '51430503MJ0000009K', registeredOn: '2023-01-01' }), registrar, TODAY);
    expect((await service.grade({ orgId: other.id, score: 460, gradedOn: '2023-09-01' }, registrar, TODAY)).grading).toEqual({ score: 460, grade: null, gradedOn: '2023-09-01', validUntil: '2028-09-01' });
    expect((await eventsOf(other.id)).at(-1)?.data).toMatchObject({ grade: null, score: 460 });

    // A grading is shown while valid: five years, through the corresponding day.
    expect((await service.get(groupId, auditor, '2028-09-01')).grading?.grade).toBe('5A');
    expect((await service.get(groupId, auditor, '2028-09-02')).grading).toBeNull();
  });

  it('records changes with their effective dates, then the deregistration that closes the organisation', async () => {
    const changed = await service.change({ orgId: groupId, effectiveOn: '2023-10-01', name: '邵阳市大祥区书法家协会', legalRepresentative: '王五', address: '大祥区雨溪街道文化路1号' }, registrar, TODAY);
    expect(changed).toMatchObject({ name: '邵阳市大祥区书法家协会', legalRepresentative: '王五', address: '大祥区雨溪街道文化路1号' });
    expect(changed.changes).toEqual([
      { field: 'legalRepresentative', from: '张三', to: '王五', effectiveOn: '2023-10-01' },
      { field: 'name', from: '大祥区书法家协会', to: '邵阳市大祥区书法家协会', effectiveOn: '2023-10-01' },
    ]);
    expect((await eventsOf(groupId)).at(-1)).toEqual({
      type: SocialOrganisationEvents.changed,
      data: { orgId: groupId, type: 'social-group', fields: ['name', 'legalRepresentative'], effectiveOn: '2023-10-01' },
    });
    const [changes, events] = [await count('social_organisation_change'), await count('outbox')];
    expect((await domainErrorOf(service.change({ orgId: groupId, effectiveOn: '2023-11-01', name: '邵阳市大祥区书法家协会' }, registrar, TODAY), 'VALIDATION_FAILED')).fields?.map((f) => f.rule)).toEqual(['no-change']);
    expect((await domainErrorOf(service.change({ orgId: groupId, effectiveOn: '2023-09-30', businessScope: '书法' }, registrar, TODAY), 'VALIDATION_FAILED')).fields?.map((f) => f.rule)).toEqual(['after-last-change']);
    await domainErrorOf(service.change({ orgId: groupId, effectiveOn: '2023-11-01', name: '大祥区阳光养老服务中心' }, registrar, TODAY), 'DUPLICATE_NAME');
    expect([await count('social_organisation_change'), await count('outbox')]).toEqual([changes, events]);

    const closed = await service.deregister({ orgId: groupId, deregisteredOn: '2024-03-01', reason: '会员大会决议解散' }, registrar, TODAY);
    expect(closed).toMatchObject({ status: 'deregistered', deregisteredOn: '2024-03-01', deregistrationReason: '会员大会决议解散' });
    // 2023's deadline (2024-05-31) came after the deregistration: not required.
    expect(closed.inspections).toEqual([{ year: 2022, status: 'pass', inspectedOn: '2023-04-01' }, { year: 2023, status: 'not-required', inspectedOn: null }]);
    expect((await eventsOf(groupId)).at(-1)).toEqual({
      type: SocialOrganisationEvents.deregistered,
      data: { orgId: groupId, type: 'social-group', registeredOn: '2022-03-01', deregisteredOn: '2024-03-01', reason: '会员大会决议解散' },
    });
    const after = await count('outbox');
    await domainErrorOf(service.inspect({ orgId: groupId, year: 2023, result: 'pass', inspectedOn: '2024-03-01' }, registrar, TODAY), 'CONFLICT');
    await domainErrorOf(service.grade({ orgId: groupId, score: 900, gradedOn: '2024-03-02' }, registrar, TODAY), 'CONFLICT');
    await domainErrorOf(service.change({ orgId: groupId, effectiveOn: '2024-03-02', businessScope: '书法' }, registrar, TODAY), 'CONFLICT');
    await domainErrorOf(service.deregister({ orgId: groupId, deregisteredOn: '2024-03-02', reason: 'again' }, registrar, TODAY), 'CONFLICT');
    expect(await count('outbox')).toBe(after);
    expect((await service.list({ limit: 50 }, auditor, TODAY)).map((o) => o.id)).not.toContain(groupId);
    expect((await service.list({ limit: 50, includeDeregistered: 'true' }, auditor, TODAY)).find((o) => o.id === groupId)?.status).toBe('deregistered');
  });

  it('counts organisations in being on a date by type, foundations apart as province-registered, within the caller’s divisions', async () => {
    // In being: the group 2022-03-01 → 2024-03-01 (deregistered), two more groups from 2021-05-01 and one from 2023-01-01,
    // the 民办非企业单位 from 2023-07-01, the foundation from 2021-09-15.
    expect(await service.census('2021-04-30', auditor, TODAY)).toEqual({ asOf: '2021-04-30', county: { 'social-group': 0, 'private-non-enterprise': 0, total: 0 }, province: { foundation: 0, total: 0 }, total: 0 });
    expect(await service.census('2022-02-28', auditor, TODAY)).toEqual({ asOf: '2022-02-28', county: { 'social-group': 2, 'private-non-enterprise': 0, total: 2 }, province: { foundation: 1, total: 1 }, total: 3 });
    expect(await service.census('2022-03-01', auditor, TODAY)).toMatchObject({ county: { 'social-group': 3 } });
    expect(await service.census('2024-02-29', auditor, TODAY)).toEqual({ asOf: '2024-02-29', county: { 'social-group': 4, 'private-non-enterprise': 1, total: 5 }, province: { foundation: 1, total: 1 }, total: 6 });
    expect(await service.census('2024-03-01', auditor, TODAY)).toEqual({ asOf: '2024-03-01', county: { 'social-group': 3, 'private-non-enterprise': 1, total: 4 }, province: { foundation: 1, total: 1 }, total: 5 });
    expect((await service.census(undefined, auditor, TODAY)).asOf).toBe(TODAY);
    // The township sees the organisations domiciled in it (all but the foundation).
    expect((await service.census('2024-03-01', township, TODAY)).total).toBe(4);
    expect((await service.census('2024-03-01', elsewhere, TODAY)).total).toBe(0);
    await domainErrorOf(service.census('2024-03-01', citizen, TODAY), 'FORBIDDEN');
  });
});
