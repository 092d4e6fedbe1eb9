import { DataSource } from 'typeorm';
import { buildResidentId } from '@civil/domain-kernel';
import { Outbox, PersonalDataCipher } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { CareInstitutionEvents, type Actor, type CareAdmissionView, type CareBedCounts, type RegisterCareInstitutionInput } from '@civil/contracts';
import { serviceDataSource } from '../data-source';
import { InstitutionsService } from './institutions.service';

/**
 * 养老机构 against real PostgreSQL. "Today" is 2024-06-30 unless a test says otherwise; the
 * officer covers 大祥区 (430503000000), the township officer only 430503101000.
 */
describe('InstitutionsService (PostgreSQL)', () => {
  const cipher = PersonalDataCipher.fromEnvironment(process.env);
  let dataSource: DataSource;
  let service: InstitutionsService;
  const TODAY = '2024-06-30';
  const YUXI = '430503010000';
  const TOWNSHIP = '430503101000';
  const officer: Actor = { userId: 'ec-officer', kind: 'staff', roles: ['elderly-care-officer'], divisions: ['430503000000'] };
  const townshipOfficer: Actor = { userId: 'township-officer', kind: 'staff', roles: ['elderly-care-officer'], divisions: [TOWNSHIP] };
  const auditor: Actor = { userId: 'auditor', kind: 'staff', roles: ['auditor'], divisions: ['430503000000'] };
  const leader: Actor = { userId: 'leader', kind: 'staff', roles: ['leader'], divisions: [TOWNSHIP] };
  const clerk: Actor = { userId: 'clerk', kind: 'staff', roles: ['clerk'], divisions: ['430503000000'] };

  let residents = 0;
  /** A fresh valid resident ID, born 1940-1949. */
  const residentId = (): string => buildResidentId('430503', `194${residents % 10}-0${1 + (residents % 9)}-15`, ++residents).value;
  const beds = (selfCare: number, semi: number, dependent: number): CareBedCounts => ({ 'self-care': selfCare, 'semi-dependent': semi, dependent });
  let names = 0;
  const publicHome = (over: Partial<RegisterCareInstitutionInput> = {}): RegisterCareInstitutionInput => ({
    name: `敬老院${++names}`,
    ownership: 'public',
    divisionCode: YUXI,
    address: '雨溪街道福寿路1号',
    openedOn: '2020-01-01',
    beds: beds(10, 10, 10),
    ...over,
  });
  const privateHome = (over: Partial<RegisterCareInstitutionInput> = {}): RegisterCareInstitutionInput =>
    publicHome({ name: `康乐养老院${++names}`, ownership: 'private', licenceNumber: `湘民养备${String(names).padStart(6, '0')}`, ...over });

  async function admit(institutionId: string, over: Partial<Parameters<InstitutionsService['admit']>[0]> = {}, today = TODAY): Promise<CareAdmissionView> {
    return service.admit({ institutionId, residentId: residentId(), residentName: '李奶奶', admittedOn: '2024-01-10', bedType: 'self-care', funding: 'self-paying', ...over }, officer, today);
  }

  async function eventsOf(type: string, subjectId?: string): Promise<{ data: Record<string, unknown>; divisionCode: string; actor: string }[]> {
    return dataSource.query(
      `SELECT envelope->'data' AS data, envelope->>'divisioncode' AS "divisionCode", envelope->>'actor' AS actor FROM outbox
        WHERE type = $1 AND ($2::text IS NULL OR envelope->>'subject' LIKE '%/' || $2) ORDER BY id`,
      [type, subjectId ?? null],
    );
  }

  async function counts(): Promise<Record<string, number>> {
    const [row] = await dataSource.query<Record<string, number>[]>(
      `SELECT (SELECT count(*) FROM care_institution)::int AS institutions, (SELECT count(*) FROM care_bed_change)::int AS bed_changes,
              (SELECT sum(in_care) FROM care_bed_counter)::int AS in_care, (SELECT count(*) FROM care_admission)::int AS admissions,
              (SELECT count(*) FILTER (WHERE discharged_on IS NOT NULL) FROM care_admission)::int AS discharges,
              (SELECT count(*) FROM care_inspection)::int AS inspections, (SELECT count(*) FROM care_inspection_finding)::int AS findings,
              (SELECT count(*) FILTER (WHERE rectified_on IS NOT NULL) FROM care_inspection_finding)::int AS rectified,
              (SELECT count(*) FILTER (WHERE closed_on IS NOT NULL) FROM care_institution)::int AS closed,
              (SELECT count(*) FROM outbox)::int AS outbox`,
    );
    if (!row) throw new Error('no counts');
    return row;
  }

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('care_institutions'), 24));
    await dataSource.initialize();
    await dataSource.runMigrations();
    service = new InstitutionsService(new Outbox('elderly-care', dataSource), dataSource, cipher);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('registers a public home and a private one (which needs its licence number), with exact events', async () => {
    const yuxi = await service.register(publicHome({ name: '雨溪敬老院', beds: beds(40, 20, 10), totalBeds: 70 }), officer, TODAY);
    expect(yuxi).toMatchObject({ name: '雨溪敬老院', ownership: 'public', divisionCode: YUXI, licenceNumber: null, openedOn: '2020-01-01', closedOn: null, beds: beds(40, 20, 10), totalBeds: 70, inCare: 0 });
    expect(yuxi.bedHistory).toEqual([{ effectiveFrom: '2020-01-01', beds: beds(40, 20, 10), totalBeds: 70, reason: null, recordedBy: 'ec-officer' }]);

    const missing = await domainErrorOf(service.register(publicHome({ ownership: 'private' }), officer, TODAY), 'VALIDATION_FAILED');
    expect(missing.fields?.map((f) => [f.field, f.rule])).toEqual([['licenceNumber', 'required']]);
    const kangle = await service.register(privateHome({ name: '康乐养老院', licenceNumber: '湘民养备2021001', openedOn: '2021-03-01', beds: beds(0, 30, 30) }), officer, TODAY);
    expect(kangle).toMatchObject({ ownership: 'private', licenceNumber: '湘民养备2021001', totalBeds: 60 });

    expect(await eventsOf(CareInstitutionEvents.registered, yuxi.id)).toEqual([
      { data: { institutionId: yuxi.id, ownership: 'public', openedOn: '2020-01-01', beds: beds(40, 20, 10), totalBeds: 70 }, divisionCode: YUXI, actor: 'ec-officer' },
    ]);
    expect(await eventsOf(CareInstitutionEvents.registered, kangle.id)).toEqual([
      { data: { institutionId: kangle.id, ownership: 'private', openedOn: '2021-03-01', beds: beds(0, 30, 30), totalBeds: 60 }, divisionCode: YUXI, actor: 'ec-officer' },
    ]);

    await domainErrorOf(service.register(publicHome({ name: '雨溪敬老院' }), officer, TODAY), 'DUPLICATE_NAME');
    const licence = await domainErrorOf(service.register(privateHome({ licenceNumber: '湘民养备2021001' }), officer, TODAY), 'CONFLICT');
    expect(licence.fields?.map((f) => f.field)).toEqual(['licenceNumber']);
    await domainErrorOf(service.register(publicHome(), townshipOfficer, TODAY), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(service.register(publicHome(), auditor, TODAY), 'FORBIDDEN');
    await domainErrorOf(service.register(publicHome({ openedOn: '2024-07-01' }), officer, TODAY), 'VALIDATION_FAILED');

    expect(await service.get({ id: kangle.id }, auditor)).toEqual(kangle);
    await domainErrorOf(service.get({ id: kangle.id }, townshipOfficer), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(service.get({ id: kangle.id }, clerk), 'FORBIDDEN');
    const privates = await service.list({ ownership: 'private', status: 'all' }, auditor);
    expect(privates.items.map((i) => i.name)).toContain('康乐养老院');
    expect(privates.items.every((i) => i.ownership === 'private')).toBe(true);
  });

  it('records the 13 institutions of the demo figure as 5 public and 8 private registered events', async () => {
    for (let i = 0; i < 5; i++) await service.register(publicHome({ divisionCode: TOWNSHIP }), officer, TODAY);
    for (let i = 0; i < 8; i++) await service.register(privateHome({ divisionCode: TOWNSHIP }), officer, TODAY);
    const rows = await dataSource.query<{ ownership: string; n: number }[]>(
      `SELECT envelope->'data'->>'ownership' AS ownership, count(*)::int AS n FROM outbox WHERE type = $1 AND envelope->>'divisioncode' = $2 GROUP BY 1 ORDER BY 1`,
      [CareInstitutionEvents.registered, TOWNSHIP],
    );
    expect(rows).toEqual([
      { ownership: 'private', n: 8 },
      { ownership: 'public', n: 5 },
    ]);
    // The township officer sees exactly these.
    expect((await service.list({ status: 'all' }, townshipOfficer)).items).toHaveLength(13);
  });

  it('admits exactly 5 of 20 concurrent residents for 5 free beds, with 5 events', async () => {
    const home = await service.register(publicHome({ beds: beds(0, 8, 2) }), officer, TODAY);
    for (let i = 0; i < 3; i++) await admit(home.id, { bedType: 'semi-dependent', admittedOn: '2024-02-01' });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => admit(home.id, { bedType: 'semi-dependent', admittedOn: '2024-06-01', funding: 'tekun-centralized' })),
    );
    const admitted = results.filter((r): r is PromiseFulfilledResult<CareAdmissionView> => r.status === 'fulfilled').map((r) => r.value);
    expect(admitted).toHaveLength(5);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CONFLICT', fields: [expect.objectContaining({ field: 'bedType', rule: 'beds-available' })] });
    const [row] = await dataSource.query<{ in_care: number; beds: number; stays: number }[]>(
      `SELECT k.in_care, k.beds, (SELECT count(*)::int FROM care_admission a WHERE a.institution_id = k.institution_id AND a.bed_type = k.bed_type AND a.discharged_on IS NULL) AS stays
         FROM care_bed_counter k WHERE k.institution_id = $1 AND k.bed_type = 'semi-dependent'`,
      [home.id],
    );
    expect(row).toEqual({ in_care: 8, beds: 8, stays: 8 });
    const events = (await eventsOf(CareInstitutionEvents.residentAdmitted)).filter((e) => e.data.institutionId === home.id && e.data.admittedOn === '2024-06-01');
    expect(events.map((e) => e.data.admissionId).sort()).toEqual(admitted.map((a) => a.id).sort());
    expect(events[0]?.data).toEqual({ admissionId: events[0]?.data.admissionId, institutionId: home.id, ownership: 'public', bedType: 'semi-dependent', funding: 'tekun-centralized', admittedOn: '2024-06-01' });
    // The other bed type is unaffected.
    await admit(home.id, { bedType: 'dependent' });
    expect((await service.get({ id: home.id }, officer)).inCare).toBe(9);
  });

  it('never lets a resident be in care twice at the same time, anywhere, even concurrently', async () => {
    const a = await service.register(publicHome(), officer, TODAY);
    const b = await service.register(privateHome(), officer, TODAY);
    const id = residentId();
    const first = await admit(a.id, { residentId: id, admittedOn: '2024-01-10' });
    expect(first.residentId).toBe(`${id.slice(0, 6)}********${id.slice(14)}`);
    const twice = await domainErrorOf(admit(b.id, { residentId: id, admittedOn: '2024-05-01' }), 'CONFLICT');
    expect(twice.fields?.map((f) => [f.field, f.rule])).toEqual([['residentId', 'one-stay-at-a-time']]);

    await service.discharge({ institutionId: a.id, admissionId: first.id, dischargedOn: '2024-03-01', reason: 'transfer', note: '转入康乐养老院' }, officer, TODAY);
    // A back-dated stay overlapping the first is refused; one from the discharge day on is fine.
    await domainErrorOf(admit(b.id, { residentId: id, admittedOn: '2024-02-01' }), 'CONFLICT');
    const second = await admit(b.id, { residentId: id, admittedOn: '2024-03-01' });
    expect(second).toMatchObject({ institutionId: b.id, admittedOn: '2024-03-01', dischargedOn: null });

    const other = residentId();
    const raced = await Promise.allSettled([a.id, b.id, a.id, b.id].map((institutionId) => admit(institutionId, { residentId: other, admittedOn: '2024-06-01' })));
    expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [stays] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM care_admission WHERE resident_id_hash = $1`, [cipher.lookupHash(other)]);
    expect(stays?.n).toBe(1);
  });

  it('computes occupancy on any date from the dated admissions, discharges and bed changes', async () => {
    const home = await service.register(publicHome({ openedOn: '2024-01-01', beds: beds(3, 1, 0) }), officer, TODAY);
    const r1 = await admit(home.id, { admittedOn: '2024-02-01' });
    await admit(home.id, { admittedOn: '2024-03-01' });
    await service.discharge({ institutionId: home.id, admissionId: r1.id, dischargedOn: '2024-04-01', reason: 'death' }, officer, TODAY);
    await service.changeBeds({ id: home.id, effectiveFrom: '2024-05-01', beds: beds(4, 1, 0), reason: '新增床位' }, officer);
    const at = async (date: string) => {
      const o = await service.occupancy({ id: home.id, date }, auditor, TODAY);
      return [o.open, o.byBedType.find((b) => b.bedType === 'self-care'), o.total];
    };
    expect(await at('2023-12-31')).toEqual([false, { bedType: 'self-care', beds: 0, occupied: 0, free: 0, rate: null }, { beds: 0, occupied: 0, free: 0, rate: null }]);
    expect(await at('2024-01-15')).toEqual([true, { bedType: 'self-care', beds: 3, occupied: 0, free: 3, rate: 0 }, { beds: 4, occupied: 0, free: 4, rate: 0 }]);
    expect(await at('2024-02-01')).toEqual([true, { bedType: 'self-care', beds: 3, occupied: 1, free: 2, rate: 0.3333 }, { beds: 4, occupied: 1, free: 3, rate: 0.25 }]);
    expect(await at('2024-03-15')).toEqual([true, { bedType: 'self-care', beds: 3, occupied: 2, free: 1, rate: 0.6667 }, { beds: 4, occupied: 2, free: 2, rate: 0.5 }]);
    expect(await at('2024-03-31')).toEqual([true, { bedType: 'self-care', beds: 3, occupied: 2, free: 1, rate: 0.6667 }, { beds: 4, occupied: 2, free: 2, rate: 0.5 }]);
    expect(await at('2024-04-01')).toEqual([true, { bedType: 'self-care', beds: 3, occupied: 1, free: 2, rate: 0.3333 }, { beds: 4, occupied: 1, free: 3, rate: 0.25 }]);
    expect(await at('2024-05-01')).toEqual([true, { bedType: 'self-care', beds: 4, occupied: 1, free: 3, rate: 0.25 }, { beds: 5, occupied: 1, free: 4, rate: 0.2 }]);

    const history = (await service.get({ id: home.id }, officer)).bedHistory.map((h) => [h.effectiveFrom, h.totalBeds, h.reason]);
    expect(history).toEqual([
      ['2024-01-01', 4, null],
      ['2024-05-01', 5, '新增床位'],
    ]);
    expect((await eventsOf(CareInstitutionEvents.bedsChanged, home.id)).map((e) => e.data)).toEqual([
      { institutionId: home.id, ownership: 'public', effectiveFrom: '2024-05-01', beds: beds(4, 1, 0), totalBeds: 5, previousBeds: beds(3, 1, 0), previousTotalBeds: 4 },
    ]);
    expect((await eventsOf(CareInstitutionEvents.residentDischarged, r1.id)).map((e) => e.data)).toEqual([
      { admissionId: r1.id, institutionId: home.id, ownership: 'public', bedType: 'self-care', admittedOn: '2024-02-01', dischargedOn: '2024-04-01', reason: 'death' },
    ]);

    const inCare = await service.listAdmissions({ institutionId: home.id, inCareOn: '2024-03-15' }, auditor);
    expect(inCare.items.map((a) => a.admittedOn)).toEqual(['2024-02-01', '2024-03-01']);
    for (const a of inCare.items) expect(a.residentId).toMatch(/^430503\*{8}\d{3}[\dX]$/);
    expect((await service.listAdmissions({ institutionId: home.id }, auditor)).items.map((a) => [a.admittedOn, a.dischargedOn, a.dischargeReason])).toEqual([
      ['2024-02-01', '2024-04-01', 'death'],
      ['2024-03-01', null, null],
    ]);
  });

  it('checks beds on every date from the admission on, not only today’s count', async () => {
    const home = await service.register(publicHome({ openedOn: '2024-01-01', beds: beds(1, 1, 1) }), officer, TODAY);
    const later = await admit(home.id, { admittedOn: '2024-03-01' });
    await service.discharge({ institutionId: home.id, admissionId: later.id, dischargedOn: '2024-03-10', reason: 'home' }, officer, TODAY);
    // Nobody is in care now, but a stay from 02-01 would share the one bed with it on 03-01.
    const backdated = await domainErrorOf(admit(home.id, { admittedOn: '2024-02-01' }), 'CONFLICT');
    expect(backdated.message).toContain('2024-03-01');
    await admit(home.id, { admittedOn: '2024-03-10' });
    // Beds go down only as far as the residents in care from then on.
    const fewer = await domainErrorOf(service.changeBeds({ id: home.id, effectiveFrom: '2024-06-01', beds: beds(0, 1, 1), reason: '改造' }, officer), 'CONFLICT');
    expect(fewer.fields?.map((f) => f.field)).toEqual(['beds.self-care']);
    await domainErrorOf(service.changeBeds({ id: home.id, effectiveFrom: '2024-01-01', beds: beds(2, 1, 1), reason: '改造' }, officer), 'VALIDATION_FAILED');
    // A planned reduction keeps today's bed from being promised beyond it.
    await service.changeBeds({ id: home.id, effectiveFrom: '2024-08-01', beds: beds(1, 0, 1), reason: '改造' }, officer);
    await domainErrorOf(admit(home.id, { admittedOn: '2024-06-01', bedType: 'semi-dependent' }), 'CONFLICT');
    await admit(home.id, { admittedOn: '2024-06-01', bedType: 'dependent' });
  });

  it('refuses discharges before the admission or twice, and admissions before the opening', async () => {
    const home = await service.register(publicHome({ openedOn: '2024-01-01' }), officer, TODAY);
    const stay = await admit(home.id, { admittedOn: '2024-02-01' });
    const early = await domainErrorOf(service.discharge({ institutionId: home.id, admissionId: stay.id, dischargedOn: '2024-01-31', reason: 'home' }, officer, TODAY), 'VALIDATION_FAILED');
    expect(early.fields?.map((f) => [f.field, f.rule])).toEqual([['dischargedOn', 'after-admission']]);
    const opening = await domainErrorOf(admit(home.id, { admittedOn: '2023-12-31' }), 'VALIDATION_FAILED');
    expect(opening.fields?.map((f) => [f.field, f.rule])).toEqual([['admittedOn', 'after-opening']]);
    await service.discharge({ institutionId: home.id, admissionId: stay.id, dischargedOn: '2024-02-01', reason: 'other', note: '家属接回后改为居家' }, officer, TODAY);
    await domainErrorOf(service.discharge({ institutionId: home.id, admissionId: stay.id, dischargedOn: '2024-03-01', reason: 'home' }, officer, TODAY), 'CONFLICT');
    const other = await service.register(publicHome(), officer, TODAY);
    await domainErrorOf(service.discharge({ institutionId: other.id, admissionId: stay.id, dischargedOn: '2024-03-01', reason: 'home' }, officer, TODAY), 'NOT_FOUND');
  });

  it('closes an institution once nobody is in care; it admits nobody afterwards', async () => {
    const home = await service.register(privateHome({ openedOn: '2022-01-01', beds: beds(5, 0, 0) }), officer, TODAY);
    const stay = await admit(home.id, { admittedOn: '2024-01-10' });
    const busy = await domainErrorOf(service.close({ id: home.id, closedOn: '2024-06-01', reason: '经营不善停办' }, officer, TODAY), 'CONFLICT');
    expect(busy.fields?.map((f) => f.rule)).toEqual(['residents-in-care']);
    await service.discharge({ institutionId: home.id, admissionId: stay.id, dischargedOn: '2024-05-20', reason: 'transfer' }, officer, TODAY);
    await domainErrorOf(service.close({ id: home.id, closedOn: '2024-05-19', reason: '经营不善停办' }, officer, TODAY), 'VALIDATION_FAILED');
    await domainErrorOf(service.close({ id: home.id, closedOn: '2024-06-01', reason: '经营不善停办' }, townshipOfficer, TODAY), 'OUT_OF_DIVISION_SCOPE');
    const closed = await service.close({ id: home.id, closedOn: '2024-06-01', reason: '经营不善停办' }, officer, TODAY);
    expect(closed).toMatchObject({ closedOn: '2024-06-01', closeReason: '经营不善停办' });
    expect((await eventsOf(CareInstitutionEvents.closed, home.id)).map((e) => e.data)).toEqual([
      { institutionId: home.id, ownership: 'private', openedOn: '2022-01-01', closedOn: '2024-06-01', beds: beds(5, 0, 0), totalBeds: 5 },
    ]);
    await domainErrorOf(admit(home.id, { admittedOn: '2024-05-25' }), 'CONFLICT');
    await domainErrorOf(admit(home.id, { admittedOn: '2024-06-10' }), 'CONFLICT');
    await domainErrorOf(service.close({ id: home.id, closedOn: '2024-06-02', reason: '重复' }, officer, TODAY), 'CONFLICT');
    await domainErrorOf(service.changeBeds({ id: home.id, effectiveFrom: '2024-06-10', beds: beds(6, 0, 0), reason: '扩建' }, officer), 'CONFLICT');
    expect((await service.occupancy({ id: home.id, date: '2024-05-31' }, officer, TODAY)).open).toBe(true);
    expect((await service.occupancy({ id: home.id, date: '2024-06-01' }, officer, TODAY))).toMatchObject({ open: false, total: { beds: 0, occupied: 0 } });
    expect((await service.list({ status: 'closed' }, officer)).items.map((i) => i.id)).toContain(home.id);
    expect((await service.list({ status: 'open' }, officer)).items.map((i) => i.id)).not.toContain(home.id);
  });

  it('sums occupancy by ownership over the institutions open on the date, within scope', async () => {
    const division = '430503102000';
    const a = await service.register(publicHome({ divisionCode: division, openedOn: '2024-01-01', beds: beds(2, 2, 0) }), officer, TODAY);
    const b = await service.register(privateHome({ divisionCode: division, openedOn: '2024-03-01', beds: beds(0, 0, 4) }), officer, TODAY);
    await admit(a.id, { admittedOn: '2024-02-01' });
    await admit(b.id, { admittedOn: '2024-03-05', bedType: 'dependent' });
    await admit(b.id, { admittedOn: '2024-04-01', bedType: 'dependent' });
    expect(await service.occupancySummary({ date: '2024-02-15', divisionCode: division }, auditor, TODAY)).toEqual({
      date: '2024-02-15',
      divisionCode: division,
      institutions: 1,
      byOwnership: [
        { ownership: 'public', institutions: 1, beds: 4, occupied: 1, free: 3, rate: 0.25 },
        { ownership: 'private', institutions: 0, beds: 0, occupied: 0, free: 0, rate: null },
      ],
      total: { beds: 4, occupied: 1, free: 3, rate: 0.25 },
    });
    expect(await service.occupancySummary({ date: '2024-04-01', divisionCode: division }, auditor, TODAY)).toMatchObject({
      institutions: 2,
      byOwnership: [
        { ownership: 'public', beds: 4, occupied: 1 },
        { ownership: 'private', beds: 4, occupied: 2, free: 2, rate: 0.5 },
      ],
      total: { beds: 8, occupied: 3, free: 5, rate: 0.375 },
    });
    await domainErrorOf(service.occupancySummary({ divisionCode: division }, leader, TODAY), 'OUT_OF_DIVISION_SCOPE');
    const leaderView = await service.occupancySummary({ date: '2024-06-30' }, leader, TODAY);
    expect(leaderView.institutions).toBe(13);
    await domainErrorOf(service.occupancySummary({}, clerk, TODAY), 'FORBIDDEN');
  });

  it('records inspections with findings and deadlines, rectifications, and lists the overdue ones', async () => {
    const home = await service.register(publicHome({ name: '院感检查敬老院' }), officer, TODAY);
    const fire = await service.recordInspection(
      {
        institutionId: home.id,
        kind: 'fire',
        inspectedOn: '2024-05-01',
        inspector: '区消防大队 王五',
        findings: [
          { description: '疏散通道堆放杂物', severity: 'major', deadline: '2024-05-31' },
          { description: '灭火器过期', severity: 'minor', deadline: '2024-06-15' },
        ],
      },
      officer,
      '2024-05-02',
    );
    expect(fire.findings.map((f) => [f.severity, f.deadline, f.status])).toEqual([
      ['major', '2024-05-31', 'open'],
      ['minor', '2024-06-15', 'open'],
    ]);
    const [aisle, extinguisher] = fire.findings;
    if (!aisle || !extinguisher) throw new Error('findings missing');
    expect((await eventsOf(CareInstitutionEvents.inspectionRecorded, fire.id)).map((e) => e.data)).toEqual([
      {
        inspectionId: fire.id,
        institutionId: home.id,
        kind: 'fire',
        inspectedOn: '2024-05-01',
        findings: [
          { findingId: aisle.id, severity: 'major', deadline: '2024-05-31' },
          { findingId: extinguisher.id, severity: 'minor', deadline: '2024-06-15' },
        ],
      },
    ]);
    const clean = await service.recordInspection({ institutionId: home.id, kind: 'food', inspectedOn: '2024-05-10', inspector: '市场监管所', findings: [] }, officer, TODAY);
    expect(clean.findings).toEqual([]);

    const rectified = await service.rectify({ institutionId: home.id, findingId: aisle.id, rectifiedOn: '2024-05-20', verifiedBy: '王五', note: '已清理' }, officer, TODAY);
    expect(rectified).toMatchObject({ rectifiedOn: '2024-05-20', verifiedBy: '王五', rectificationNote: '已清理', status: 'rectified' });
    await domainErrorOf(service.rectify({ institutionId: home.id, findingId: aisle.id, rectifiedOn: '2024-05-21', verifiedBy: '王五' }, officer, TODAY), 'CONFLICT');

    const overdue = (asOf: string) => service.listOverdue({ asOf, divisionCode: YUXI }, auditor, TODAY);
    expect((await overdue('2024-06-15')).items).toEqual([]);
    expect((await overdue('2024-06-16')).items).toEqual([
      {
        findingId: extinguisher.id,
        inspectionId: fire.id,
        institutionId: home.id,
        institutionName: '院感检查敬老院',
        divisionCode: YUXI,
        kind: 'fire',
        inspectedOn: '2024-05-01',
        description: '灭火器过期',
        severity: 'minor',
        deadline: '2024-06-15',
        daysOverdue: 1,
      },
    ]);
    expect((await service.listOverdue({ kind: 'food' }, auditor, TODAY)).items).toEqual([]);
    const listed = await service.listInspections({ institutionId: home.id, asOf: '2024-06-30' }, auditor, TODAY);
    expect(listed.items.map((i) => [i.kind, i.findings.map((f) => f.status)])).toEqual([
      ['food', []],
      ['fire', ['rectified', 'overdue']],
    ]);

    const late = await service.rectify({ institutionId: home.id, findingId: extinguisher.id, rectifiedOn: '2024-06-20', verifiedBy: '李检查' }, officer, TODAY);
    expect(late.status).toBe('rectified-late');
    expect((await eventsOf(CareInstitutionEvents.findingRectified, extinguisher.id)).map((e) => e.data)).toEqual([
      { findingId: extinguisher.id, inspectionId: fire.id, institutionId: home.id, kind: 'fire', deadline: '2024-06-15', rectifiedOn: '2024-06-20', late: true },
    ]);
    // As of a date before the late rectification, it was overdue; after it, no longer.
    expect((await overdue('2024-06-19')).items.map((i) => i.findingId)).toEqual([extinguisher.id]);
    expect((await overdue('2024-06-20')).items).toEqual([]);

    const bad = await domainErrorOf(
      service.recordInspection(
        { institutionId: home.id, kind: 'infection-control', inspectedOn: '2024-06-01', inspector: '疾控中心', findings: [{ description: '消毒记录不全', severity: 'critical', deadline: '2024-05-31' }] },
        officer,
        TODAY,
      ),
      'VALIDATION_FAILED',
    );
    expect(bad.fields?.map((f) => [f.field, f.rule])).toEqual([['findings[0].deadline', 'after-inspection']]);
    await domainErrorOf(service.rectify({ institutionId: home.id, findingId: '0193a0a0-0000-7000-8000-0000000000ff', rectifiedOn: '2024-06-20', verifiedBy: '李检查' }, officer, TODAY), 'NOT_FOUND');
    await domainErrorOf(service.listInspections({ institutionId: home.id }, townshipOfficer, TODAY), 'OUT_OF_DIVISION_SCOPE');
  });

  it('refuses bad input naming each field, writing nothing', async () => {
    const home = await service.register(publicHome({ openedOn: '2024-01-01', beds: beds(1, 0, 0) }), officer, TODAY);
    const stay = await admit(home.id, { admittedOn: '2024-02-01' });
    const before = await counts();

    const register = await domainErrorOf(
      service.register({ name: ' ', ownership: 'state', divisionCode: '12345', address: '', openedOn: '2024-02-30', beds: { 'self-care': -1, 'semi-dependent': 1, dependent: 1 } } as never, officer, TODAY),
      'VALIDATION_FAILED',
    );
    expect(register.fields?.map((f) => f.field).sort()).toEqual(['address', 'beds.self-care', 'divisionCode', 'name', 'openedOn', 'ownership']);
    const total = await domainErrorOf(service.register(publicHome({ totalBeds: 31 }), officer, TODAY), 'VALIDATION_FAILED');
    expect(total.fields?.map((f) => [f.field, f.rule])).toEqual([['totalBeds', 'sum-of-types']]);
    const admission = await domainErrorOf(
      service.admit({ institutionId: home.id, residentId: '430503194001150012', residentName: '', admittedOn: '2024-02-01', bedType: 'bed', funding: 'free' } as never, officer, TODAY),
      'VALIDATION_FAILED',
    );
    expect(admission.fields?.map((f) => f.field).sort()).toEqual(['bedType', 'funding', 'residentId', 'residentName']);
    await domainErrorOf(service.admit({ ...({ institutionId: home.id, residentId: residentId(), residentName: '张三', admittedOn: '2024-02-01', bedType: 'self-care', funding: 'other' } as const), extra: 1 } as never, officer, TODAY), 'VALIDATION_FAILED');
    await domainErrorOf(admit(home.id, { admittedOn: '2024-03-01' }), 'CONFLICT');
    await domainErrorOf(admit(home.id, { admittedOn: '2024-07-01' }, TODAY), 'VALIDATION_FAILED');
    await domainErrorOf(service.discharge({ institutionId: home.id, admissionId: stay.id, dischargedOn: '2024-01-01', reason: 'death' }, officer, TODAY), 'VALIDATION_FAILED');
    await domainErrorOf(service.discharge({ institutionId: home.id, admissionId: stay.id, dischargedOn: '2024-03-01', reason: 'other' }, officer, TODAY), 'VALIDATION_FAILED');
    await domainErrorOf(service.changeBeds({ id: home.id, effectiveFrom: '2024-05-01', beds: beds(0, 0, 0), reason: '' }, officer), 'VALIDATION_FAILED');
    await domainErrorOf(service.close({ id: home.id, closedOn: '2024-05-01', reason: '停办' }, officer, TODAY), 'CONFLICT');
    await domainErrorOf(service.close({ id: home.id, closedOn: 'soon', reason: '' }, officer, TODAY), 'VALIDATION_FAILED');
    const inspection = await domainErrorOf(
      service.recordInspection({ institutionId: home.id, kind: 'water', inspectedOn: '2024-06-01', inspector: '', findings: [{ description: 'x', severity: 'grave', deadline: '2024-06-31' }] } as never, officer, TODAY),
      'VALIDATION_FAILED',
    );
    expect(inspection.fields?.map((f) => f.field).sort()).toEqual(['findings[0].deadline', 'findings[0].severity', 'inspector', 'kind']);
    await domainErrorOf(service.admit({ institutionId: home.id, residentId: residentId(), residentName: '王五', admittedOn: '2024-02-01', bedType: 'self-care', funding: 'other' }, auditor, TODAY), 'FORBIDDEN');
    await domainErrorOf(service.admit({ institutionId: home.id, residentId: residentId(), residentName: '王五', admittedOn: '2024-02-01', bedType: 'self-care', funding: 'other' }, townshipOfficer, TODAY), 'OUT_OF_DIVISION_SCOPE');
    expect(await counts()).toEqual(before);
  });

  it('shows the full resident ID only to a caller the gateway let reveal it (personal-data:reveal); never in events', async () => {
    const home = await service.register(publicHome(), officer, TODAY);
    const id = residentId();
    const masked = `${id.slice(0, 6)}********${id.slice(14)}`;
    const revealing: Actor = { ...auditor, permissions: ['personal-data:reveal'] };
    const stay = await service.admit({ institutionId: home.id, residentId: id, residentName: '李奶奶', admittedOn: '2024-01-10', bedType: 'self-care', funding: 'self-paying' }, { ...officer, permissions: ['personal-data:reveal'] }, TODAY);
    expect(stay.residentId).toBe(id);
    expect((await service.listAdmissions({ institutionId: home.id }, auditor)).items.map((a) => a.residentId)).toEqual([masked]);
    expect((await service.listAdmissions({ institutionId: home.id }, revealing)).items.map((a) => a.residentId)).toEqual([id]);
    const discharged = await service.discharge({ institutionId: home.id, admissionId: stay.id, dischargedOn: '2024-03-01', reason: 'death' }, officer, TODAY);
    expect(discharged.residentId).toBe(masked);
    for (const type of [CareInstitutionEvents.residentAdmitted, CareInstitutionEvents.residentDischarged]) {
      const [event] = await eventsOf(type, stay.id);
      expect(event).toBeDefined();
      expect(JSON.stringify(event)).not.toContain(id.slice(6, 14));
    }
  });
});
