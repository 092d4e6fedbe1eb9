import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { buildResidentId } from '@civil/domain-kernel';
import {
  DibaoEvents,
  DibaoCaseEvents,
  EVENT_STREAM,
  HomeAdaptationEvents,
  TekunEvents,
  createEvent,
  httpStatusFor,
  isErrorCode,
  type Actor,
  type ApplyHomeAdaptationInput,
  type DibaoHouseholdStartedV1,
  type DibaoHouseholdStoppedV1,
  type EventEnvelope,
  type TekunChangedV1,
  type TekunEndedV1,
  type TekunEnrolledV1,
  type TekunFuneralSubsidyGrantedV1,
} from '@civil/contracts';
import { NatsConnectionService, Outbox, PersonalDataCipher, sealResidentId, type ServiceConfig } from '@civil/platform';
import { createTestDatabase, domainErrorOf, eventually, integrationEnv } from '@civil/testing';
import { serviceDataSource } from '../data-source';
import { AssistanceStatusConsumer } from './assistance-status.consumer';
import { HomeAdaptationService } from './home-adaptation.service';

/**
 * 居家适老化改造 against real PostgreSQL, with 特困 and 低保 status learned from social
 * assistance's events through a real JetStream consumer.
 */
describe('home adaptation (PostgreSQL + JetStream)', () => {
  let dataSource: DataSource;
  let service: HomeAdaptationService;
  let natsService: NatsConnectionService;
  let consumer: AssistanceStatusConsumer;
  let publisher: NatsConnection;
  let js: JetStreamClient;
  const officer: Actor = { userId: 'ec-1', kind: 'staff', roles: ['elderly-care-officer'], divisions: ['430503'] };
  const townshipOfficer: Actor = { userId: 'ec-2', kind: 'staff', roles: ['elderly-care-officer'], divisions: ['430503101'] };
  const auditor: Actor = { userId: 'au-1', kind: 'staff', roles: ['auditor'], divisions: ['430503'] };
  const TODAY = '2024-12-31';
  const VILLAGE = '430503101201';
  const OTHER_TOWNSHIP_VILLAGE = '430503001002';
  const cipher = PersonalDataCipher.fromEnvironment(process.env);
  let sequence = 100;
  const person = (birthDate: string): string => buildResidentId('430503', birthDate, sequence++).value;

  const application = (residentId: string, more: Partial<ApplyHomeAdaptationInput> = {}): ApplyHomeAdaptationInput => ({
    residentId,
    name: '王奶奶',
    divisionCode: VILLAGE,
    address: '大祥区某村 3 组 12 号',
    appliedOn: '2023-04-10',
    ...more,
  });

  async function publish<T>(type: string, subject: string, data: T, envelope?: EventEnvelope<T>, msgId?: string): Promise<EventEnvelope<T>> {
    const event = envelope ?? createEvent({ source: '/civil/social-assistance', type, subject, divisioncode: VILLAGE, actor: 'approver', data });
    await js.publish(type, JSON.stringify(event), { msgID: msgId ?? event.id });
    return event;
  }


  const processed = async (eventId: string): Promise<number> => {
    const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM processed_event WHERE event_id = $1`, [eventId]);
    return row?.n ?? 0;
  };
  const count = async (table: string): Promise<number> => {
    const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
    return row?.n ?? -1;
  };
  const writes = async (): Promise<Record<string, number>> => ({
    cases: await count('home_adaptation_case'),
    log: await count('home_adaptation_status_log'),
    outbox: await count('outbox'),
  });
  async function eventsOf<T>(type: string, caseId: string): Promise<T[]> {
    const rows = await dataSource.query<{ data: T }[]>(`SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = $2 ORDER BY id`, [
      type,
      `home-adaptation/${caseId}`,
    ]);
    return rows.map((r) => r.data);
  }
  const readModel = async (): Promise<unknown[]> => [
    ...(await dataSource.query<unknown[]>(`SELECT * FROM assistance_tekun_view ORDER BY person_id`)),
    ...(await dataSource.query<unknown[]>(`SELECT * FROM assistance_dibao_case_view ORDER BY case_id`)),
    ...(await dataSource.query<unknown[]>(`SELECT * FROM assistance_dibao_member_view ORDER BY case_id, resident_id_hash`)),
  ];

  /** A 脱贫 household's very old member, with an application the read model does not matter for. */
  const formerlyPoor = (birthDate: string, more: Partial<ApplyHomeAdaptationInput> = {}): ApplyHomeAdaptationInput =>
    application(person(birthDate), { formerlyPoor: { evidence: '脱贫户档案 DX-2020-017' }, ...more });

  /** Takes an application through every step to payment. */
  async function complete(input: ApplyHomeAdaptationInput, basicFen: number, paidOn: string): Promise<string> {
    const { id } = await service.apply(input, officer, TODAY);
    await service.assess({ id, assessedOn: input.appliedOn, needs: ['卫生间无扶手'], assessor: '评估员甲' }, officer, TODAY);
    await service.plan({ id, approvedOn: input.appliedOn, items: [{ name: '安装扶手', category: 'basic', amountFen: basicFen }] }, officer, TODAY);
    await service.recordWorks({ id, contractor: '某装饰公司', startedOn: input.appliedOn, completedOn: input.appliedOn }, officer, TODAY);
    await service.accept({ id, inspectedOn: paidOn, result: 'passed', inspector: '验收员乙' }, officer, TODAY);
    await service.pay({ id, paidOn, voucher: `PZ-${id.slice(-6)}` }, officer, TODAY);
    return id;
  }

  beforeAll(async () => {
    const env = integrationEnv();
    dataSource = new DataSource(
      serviceDataSource(await createTestDatabase('home-adaptation'), 6),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    const outbox = new Outbox('elderly-care', dataSource);
    service = new HomeAdaptationService(outbox, dataSource, cipher);
    const logger = pino({ level: 'silent' });
    const config = { NATS_URL: env.natsUrl, EVENT_STREAM_REPLICAS: 1, EVENT_DUPLICATE_WINDOW_MS: 120_000 } as ServiceConfig;
    natsService = new NatsConnectionService(config, 'elderly-care', logger);
    await natsService.onModuleInit();
    consumer = new AssistanceStatusConsumer(natsService, dataSource, logger, config, cipher);
    consumer.onApplicationBootstrap();
    publisher = await connect({ servers: env.natsUrl });
    js = jetstream(publisher);
    const jsm = await natsService.jetstreamManager();
    await eventually(async () => jsm.streams.info(EVENT_STREAM).then(() => true, () => false), Boolean, 'the event stream');
  });

  afterAll(async () => {
    await consumer?.beforeApplicationShutdown();
    await natsService?.onApplicationShutdown();
    await publisher?.close();
    await dataSource?.destroy();
  });

  it('learns 特困 分散 and 低保 from social assistance’s events; a 低保 stop makes a later application ineligible; redelivery changes nothing', async () => {
    const dispersed = person('1940-03-03');
    const centralized = person('1938-05-05');
    const dibaoMember = person('1941-06-06');
    const tekun = (residentId: string, careMode: 'dispersed' | 'centralized'): Promise<EventEnvelope<TekunEnrolledV1>> => {
      const personId = uuidv7();
      return publish<TekunEnrolledV1>(TekunEvents.enrolled, `tekun-person/${personId}`, {
        personId,
        resident: sealResidentId(cipher, residentId),
        urbanRural: 'rural',
        careMode,
        selfCareLevel: 'full',
        monthlyAmountFen: 73300,
        effectivePeriod: '2023-02',
        origin: 'application',
      });
    };
    const enrolled = await tekun(dispersed, 'dispersed');
    const enrolledCentralized = await tekun(centralized, 'centralized');
    const householdId = uuidv7();
    const caseId = uuidv7();
    const started = await publish<DibaoHouseholdStartedV1>(DibaoEvents.householdStarted, `household/${householdId}`, {
      householdId,
      caseId,
      urbanRural: 'rural',
      persons: 2,
      monthlyAmountFen: 60000,
      effectivePeriod: '2023-02',
      origin: 'application',
      members: [dibaoMember, person('1970-01-01')].map((id) => sealResidentId(cipher, id)),
    });
    // An event the model does not need is consumed and ignored.
    const funeral = await publish<TekunFuneralSubsidyGrantedV1>(TekunEvents.funeralSubsidyGranted, `tekun-person/${uuidv7()}`, {
      personId: uuidv7(),
      urbanRural: 'rural',
      amountFen: 300000,
      dateOfDeath: '2023-01-02',
      grantedOn: '2023-01-05',
    });
    for (const event of [enrolled, enrolledCentralized, started, funeral]) await eventually(() => processed(event.id), (n) => n === 1, `event ${event.type}`);

    const tekunCase = await service.apply(application(dispersed, { appliedOn: '2023-03-10' }), officer, TODAY);
    expect(tekunCase).toMatchObject({ status: 'applied', householdBases: ['dispersed-tekun'], personBases: ['very-old'], year: 2023, townshipCode: '430503101000' });
    expect(tekunCase.residentId).not.toContain('1940');
    const inInstitution = await domainErrorOf(service.apply(application(centralized, { appliedOn: '2023-03-10' }), officer, TODAY), 'NOT_ELIGIBLE');
    expect(inInstitution.message).toContain('特困 集中供养 (lives in an institution)');

    // 低保 stops from 2023-05: an application in May finds no 低保; one in April still did.
    const stopped = await publish<DibaoHouseholdStoppedV1>(DibaoCaseEvents.householdStopped, `household/${householdId}`, {
      householdId,
      caseId,
      urbanRural: 'rural',
      persons: 2,
      reason: '收入超过标准',
      effectivePeriod: '2023-05',
    });
    await eventually(() => processed(stopped.id), (n) => n === 1, 'the stop to be applied');
    const before = await writes();
    const afterStop = await domainErrorOf(service.apply(application(dibaoMember, { appliedOn: '2023-05-10' }), officer, TODAY), 'NOT_ELIGIBLE');
    expect(afterStop.message).toBe(
      "not eligible for home adaptation: household-status: not 特困 分散供养, not in a 低保 household, no 脱贫 declaration in social assistance's events on the application month",
    );
    expect(await writes()).toEqual(before);
    expect(await service.apply(application(dibaoMember, { appliedOn: '2023-04-28' }), officer, TODAY)).toMatchObject({ householdBases: ['dibao'], status: 'applied' });

    // The same events delivered again (republished, so JetStream stores them as new messages): nothing changes.
    const model = await readModel();
    await publish(DibaoCaseEvents.householdStopped, `household/${householdId}`, stopped.data, stopped, `${stopped.id}-again`);
    await publish(DibaoEvents.householdStarted, `household/${householdId}`, started.data, started, `${started.id}-again`);
    await publish(TekunEvents.enrolled, `tekun-person/${enrolled.data.personId}`, enrolled.data, enrolled, `${enrolled.id}-again`);
    const marker = await publish<DibaoHouseholdStartedV1>(DibaoEvents.householdStarted, `household/${uuidv7()}`, { ...started.data, householdId: uuidv7(), caseId: uuidv7(), members: [] });
    await eventually(() => processed(marker.id), (n) => n === 1, 'the events after the redeliveries');
    expect([await processed(stopped.id), await processed(started.id), await processed(enrolled.id)]).toEqual([1, 1, 1]);
    const [markerCase] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM assistance_dibao_case_view WHERE case_id = $1`, [marker.data.caseId]);
    expect(markerCase?.n).toBe(1);
    expect((await readModel()).filter((row) => (row as { case_id?: string }).case_id !== marker.data.caseId)).toEqual(model);
    expect(await count('dead_letter')).toBe(0);
  });

  it('follows 特困 changes and ends from the events, whatever order they arrive in', async () => {
    const ending = person('1939-07-07');
    const endingId = uuidv7();
    // Published before events were sealed (issue 8): plain numbers are still understood.
    const base = { personId: endingId, residentId: ending, urbanRural: 'rural' as const };
    // The end overtakes the enrolment: support from 2023-02 up to (not including) 2023-07.
    const ended = await publish<TekunEndedV1>(TekunEvents.ended, `tekun-person/${endingId}`, { ...base, careMode: 'dispersed', reason: 'moved-away', detail: '迁出', effectivePeriod: '2023-07' });
    const enrolled = await publish<TekunEnrolledV1>(TekunEvents.enrolled, `tekun-person/${endingId}`, {
      ...base,
      careMode: 'dispersed',
      selfCareLevel: 'full',
      monthlyAmountFen: 73300,
      effectivePeriod: '2023-02',
      origin: 'application',
    });
    const moving = person('1937-08-08');
    const movingId = uuidv7();
    const movingEnrolled = await publish<TekunEnrolledV1>(TekunEvents.enrolled, `tekun-person/${movingId}`, {
      personId: movingId,
      resident: sealResidentId(cipher, moving),
      urbanRural: 'rural',
      careMode: 'dispersed',
      selfCareLevel: 'full',
      monthlyAmountFen: 73300,
      effectivePeriod: '2023-02',
      origin: 'application',
    });
    const changed = await publish<TekunChangedV1>(TekunEvents.changed, `tekun-person/${movingId}`, {
      personId: movingId,
      resident: sealResidentId(cipher, moving),
      urbanRural: 'rural',
      careModeBefore: 'dispersed',
      careModeAfter: 'centralized',
      selfCareLevelBefore: 'full',
      selfCareLevelAfter: 'none',
      monthlyAmountBeforeFen: 73300,
      monthlyAmountAfterFen: 142918,
      effectivePeriod: '2023-09',
      reason: '入住敬老院',
    });
    for (const event of [ended, enrolled, movingEnrolled, changed]) await eventually(() => processed(event.id), (n) => n === 1, `event ${event.type}`);

    expect((await domainErrorOf(service.apply(application(ending, { appliedOn: '2023-07-10' }), officer, TODAY), 'NOT_ELIGIBLE')).message).toContain('not 特困 分散供养');
    expect(await service.apply(application(ending, { appliedOn: '2023-06-15' }), officer, TODAY)).toMatchObject({ householdBases: ['dispersed-tekun'] });
    expect((await domainErrorOf(service.apply(application(moving, { appliedOn: '2023-09-05' }), officer, TODAY), 'NOT_ELIGIBLE')).message).toContain('特困 集中供养');
  });

  it('refuses an ineligible household with the reason, writing nothing', async () => {
    const before = await writes();
    const neither = await domainErrorOf(service.apply(application(person('1935-01-01')), officer, TODAY), 'NOT_ELIGIBLE');
    expect(neither.message).toContain('household-status: not 特困 分散供养, not in a 低保 household, no 脱贫 declaration');
    const notOld = await domainErrorOf(service.apply(formerlyPoor('1952-08-08'), officer, TODAY), 'NOT_ELIGIBLE');
    expect(notOld.message).toBe('not eligible for home adaptation: older-member-condition: aged 70 (80 or over is very old); not dependent; no disability certificate');
    const young = await domainErrorOf(service.apply(formerlyPoor('1970-02-02', { dependency: { level: 'full', evidence: '失能评估 2023-9' } }), officer, TODAY), 'NOT_ELIGIBLE');
    expect(young.message).toBe('not eligible for home adaptation: older-person: aged 53 (60 or over needed)');
    expect(await writes()).toEqual(before);

    // Dependent or disabled members qualify below the very-old age.
    const dependent = await service.apply(formerlyPoor('1952-09-09', { dependency: { level: 'partial', evidence: '失能评估 2023-10' } }), officer, TODAY);
    expect(dependent.personBases).toEqual(['dependent']);
    const holder = person('1955-10-10');
    const disabled = await service.apply(application(holder, { formerlyPoor: { evidence: '档案' }, disabilityCertificateNumber: `${holder}42` }), officer, TODAY);
    expect(disabled.personBases).toEqual(['disabled']);
  });

  it('enforces the workflow order (no payment before acceptance) and the subsidy range, with the events in the outbox', async () => {
    const input = formerlyPoor('1939-02-02', { appliedOn: '2023-06-01' });
    const applied = await service.apply(input, officer, TODAY);
    const id = applied.id;
    expect(await eventsOf(HomeAdaptationEvents.applied, id)).toEqual([
      { caseId: id, year: 2023, townshipCode: '430503101000', householdBases: ['formerly-poor'], personBases: ['very-old'], appliedOn: '2023-06-01' },
    ]);

    const early = await domainErrorOf(service.pay({ id, paidOn: '2023-06-02', voucher: 'PZ-1' }, officer, TODAY), 'CONFLICT');
    expect(early.message).toBe('the payment needs acceptance (验收) passed (accepted); this case is applied');
    await domainErrorOf(service.plan({ id, approvedOn: '2023-06-02', items: [{ name: '扶手', category: 'basic', amountFen: 350000 }] }, officer, TODAY), 'CONFLICT');
    await domainErrorOf(service.assess({ id, assessedOn: '2023-05-31', needs: ['地面湿滑'], assessor: '甲' }, officer, TODAY), 'VALIDATION_FAILED');
    await service.assess({ id, assessedOn: '2023-06-05', needs: ['卫生间无扶手', '地面湿滑', '门槛高差 8cm'], assessor: '评估员甲' }, officer, TODAY);

    // The subsidy (basic items) must be within 3000–4000元; optional items do not count.
    const before = await writes();
    for (const [basic, shown] of [
      [250000, '2,500.00元'],
      [450000, '4,500.00元'],
    ] as const) {
      const error = await domainErrorOf(
        service.plan(
          {
            id,
            approvedOn: '2023-06-10',
            items: [
              { name: '安装扶手', category: 'basic', amountFen: basic },
              { name: '智能呼叫器', category: 'optional', amountFen: 100000 },
            ],
          },
          officer,
          TODAY,
        ),
        'VALIDATION_FAILED',
      );
      expect(isErrorCode(error.code) && httpStatusFor(error.code)).toBe(400);
      expect(error.fields).toEqual([
        {
          field: 'items',
          rule: 'subsidy-range',
          message: `the subsidy (the basic items' total) is ${shown}; it must be between 3,000.00元 and 4,000.00元 per household (rule of 430503000000 from 2023-01-01)`,
        },
      ]);
    }
    expect(await writes()).toEqual(before);
    const planned = await service.plan(
      {
        id,
        approvedOn: '2023-06-10',
        items: [
          { name: '安装扶手', category: 'basic', amountFen: 180000 },
          { name: '地面防滑处理', category: 'basic', amountFen: 120000 },
          { name: '高差处理', category: 'basic', amountFen: 50000 },
          { name: '智能呼叫器', category: 'optional', amountFen: 80000 },
        ],
      },
      officer,
      TODAY,
    );
    expect(planned).toMatchObject({ status: 'approved', plan: { subsidyFen: 350000, selfPaidFen: 80000 } });
    expect(await eventsOf(HomeAdaptationEvents.approved, id)).toEqual([{ caseId: id, townshipCode: '430503101000', subsidyFen: 350000, selfPaidFen: 80000, approvedOn: '2023-06-10' }]);

    await service.recordWorks({ id, contractor: '某装饰公司', startedOn: '2023-06-15', completedOn: '2023-06-25' }, officer, TODAY);
    const unaccepted = await domainErrorOf(service.pay({ id, paidOn: '2023-06-26', voucher: 'PZ-1' }, officer, TODAY), 'CONFLICT');
    expect(unaccepted.message).toBe('the payment needs acceptance (验收) passed (accepted); this case is works-completed');
    // A failed acceptance sends the works back; they are redone and pass.
    expect(await service.accept({ id, inspectedOn: '2023-06-28', result: 'failed', inspector: '验收员乙', remarks: '扶手松动' }, officer, TODAY)).toMatchObject({ status: 'approved' });
    await domainErrorOf(service.pay({ id, paidOn: '2023-06-29', voucher: 'PZ-1' }, officer, TODAY), 'CONFLICT');
    await service.recordWorks({ id, contractor: '某装饰公司', startedOn: '2023-06-29', completedOn: '2023-07-02' }, officer, TODAY);
    await service.accept({ id, inspectedOn: '2023-07-05', result: 'passed', inspector: '验收员乙' }, officer, TODAY);
    expect(await eventsOf(HomeAdaptationEvents.completed, id)).toEqual([]);
    const paid = await service.pay({ id, paidOn: '2023-07-20', voucher: 'PZ-2023-0456' }, officer, TODAY);
    expect(paid).toMatchObject({ status: 'completed', payment: { paidOn: '2023-07-20', voucher: 'PZ-2023-0456', amountFen: 350000 }, acceptance: { inspectedOn: '2023-07-05' } });
    expect(paid.log.map((l) => l.to)).toEqual(['applied', 'assessed', 'approved', 'works-completed', 'approved', 'works-completed', 'accepted', 'completed']);
    expect(await eventsOf(HomeAdaptationEvents.completed, id)).toEqual([{ caseId: id, subsidyFen: 350000, completedOn: '2023-07-20', townshipCode: '430503101000' }]);
    await domainErrorOf(service.pay({ id, paidOn: '2023-07-21', voucher: 'PZ-X' }, officer, TODAY), 'CONFLICT');
    await domainErrorOf(service.refuse({ id, refusedOn: '2023-07-21', reason: '重复' }, officer, TODAY), 'CONFLICT');

    // One adaptation per household and year.
    const again = await domainErrorOf(service.apply({ ...input, appliedOn: '2023-09-01' }, officer, TODAY), 'CONFLICT');
    expect(again.message).toContain(`already has a home adaptation in 2023 (case ${id}, completed)`);

    // A refusal closes a case with its reason, and frees the household for another application.
    const other = await service.apply(formerlyPoor('1938-03-03', { appliedOn: '2023-08-01' }), officer, TODAY);
    const refused = await service.refuse({ id: other.id, refusedOn: '2023-08-03', reason: '老人已入住养老机构' }, officer, TODAY);
    expect(refused).toMatchObject({ status: 'refused', refusal: { refusedOn: '2023-08-03', reason: '老人已入住养老机构' } });
    expect(await eventsOf(HomeAdaptationEvents.refused, other.id)).toEqual([
      { caseId: other.id, townshipCode: '430503101000', statusBefore: 'applied', reason: '老人已入住养老机构', refusedOn: '2023-08-03' },
    ]);

    // No resident ID leaves in an event.
    const envelopes = await dataSource.query<{ envelope: unknown }[]>(`SELECT envelope FROM outbox WHERE type LIKE 'civil.elderly-care.home-adaptation.%'`);
    expect(envelopes.length).toBeGreaterThan(0);
    expect(JSON.stringify(envelopes)).not.toMatch(/\d{17}[\dX]/);
  });

  it('refuses bad input with a 400 naming each field, writing nothing', async () => {
    const before = await writes();
    const bad = await domainErrorOf(
      service.apply({ residentId: '430503193902021234', name: '', divisionCode: '43050', address: 'x', appliedOn: 'soon', formerlyPoor: { evidence: '' }, extra: 1 }, officer, TODAY),
      'VALIDATION_FAILED',
    );
    expect(isErrorCode(bad.code) && httpStatusFor(bad.code)).toBe(400);
    expect((bad.fields ?? []).map((f) => f.field).sort()).toEqual(['(body)', 'appliedOn', 'divisionCode', 'formerlyPoor.evidence', 'name', 'residentId']);
    const badPlan = await domainErrorOf(
      service.plan({ id: 'not-a-uuid', approvedOn: '2023-13-01', items: [{ name: '扶手', category: 'luxury', amountFen: -5 }] }, officer, TODAY),
      'VALIDATION_FAILED',
    );
    expect((badPlan.fields ?? []).map((f) => f.field).sort()).toEqual(['approvedOn', 'id', 'items[0].amountFen', 'items[0].category']);
    const badWorks = await domainErrorOf(service.recordWorks({ id: uuidv7(), contractor: '甲', startedOn: '2023-07-02', completedOn: '2023-07-01' }, officer, TODAY), 'VALIDATION_FAILED');
    expect(badWorks.fields?.map((f) => f.field)).toEqual(['completedOn']);
    await domainErrorOf(service.apply(formerlyPoor('1930-01-01', { appliedOn: '2025-01-01' }), officer, TODAY), 'VALIDATION_FAILED');
    expect(await writes()).toEqual(before);
  });

  it('lets officers act and auditors read, within their divisions', async () => {
    const before = await writes();
    await domainErrorOf(service.apply(formerlyPoor('1931-01-01'), auditor, TODAY), 'FORBIDDEN');
    await domainErrorOf(service.apply(formerlyPoor('1931-01-02', { divisionCode: OTHER_TOWNSHIP_VILLAGE }), townshipOfficer, TODAY), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(service.apply(formerlyPoor('1931-01-03'), { userId: 'c', kind: 'citizen', roles: ['citizen'], divisions: [] }, TODAY), 'FORBIDDEN');
    expect(await writes()).toEqual(before);
    const { items } = await service.list({ year: '2023' }, auditor);
    expect(items.length).toBeGreaterThan(0);
    const elsewhere = await service.apply(formerlyPoor('1931-01-04', { divisionCode: OTHER_TOWNSHIP_VILLAGE }), officer, TODAY);
    await domainErrorOf(service.get({ id: elsewhere.id }, townshipOfficer), 'OUT_OF_DIVISION_SCOPE');
    expect((await service.list({ year: 2023 }, townshipOfficer)).items.map((i) => i.townshipCode)).not.toContain('430503001000');
    await domainErrorOf(service.assess({ id: elsewhere.id, assessedOn: '2023-04-11', needs: ['x'], assessor: 'y' }, auditor, TODAY), 'FORBIDDEN');
  });

  it('reports the year’s progress: households completed against the target, by township', async () => {
    // 2023: the seeded target of 66; one household completed so far (the workflow test).
    expect(await service.progress({ year: 2023 }, auditor)).toMatchObject({ year: 2023, divisionCode: '430503000000', target: 66, completed: 1, subsidyFen: 350000, percent: 1.5 });

    // 2024, no target yet: three households in two townships, one still in progress.
    await complete(formerlyPoor('1936-01-01', { appliedOn: '2024-03-01' }), 300000, '2024-04-01');
    await complete(formerlyPoor('1936-01-02', { appliedOn: '2024-03-02' }), 400000, '2024-04-02');
    await complete(formerlyPoor('1936-01-03', { appliedOn: '2024-03-03', divisionCode: OTHER_TOWNSHIP_VILLAGE }), 320000, '2024-05-01');
    await service.apply(formerlyPoor('1936-01-04', { appliedOn: '2024-06-01', divisionCode: OTHER_TOWNSHIP_VILLAGE }), officer, TODAY);
    expect(await service.progress({ year: '2024' }, auditor)).toEqual({
      year: 2024,
      divisionCode: '430503000000',
      target: null,
      completed: 3,
      inProgress: 1,
      subsidyFen: 1020000,
      percent: null,
      byTownship: [
        { townshipCode: '430503001000', completed: 1, inProgress: 1, subsidyFen: 320000 },
        { townshipCode: '430503101000', completed: 2, inProgress: 0, subsidyFen: 700000 },
      ],
    });
    await domainErrorOf(service.setTarget({ year: 2024, divisionCode: '430503', households: 60 }, auditor), 'FORBIDDEN');
    await domainErrorOf(service.setTarget({ year: 2024, divisionCode: '430503101', households: 60 }, officer), 'VALIDATION_FAILED');
    expect(await service.setTarget({ year: '2024', divisionCode: '430503', households: 60 }, officer)).toEqual({ year: 2024, divisionCode: '430503000000', households: 60 });
    expect(await service.progress({ year: 2024, divisionCode: '430503' }, auditor)).toMatchObject({ target: 60, completed: 3, percent: 5 });
    await domainErrorOf(service.progress({ year: 2024 }, townshipOfficer), 'OUT_OF_DIVISION_SCOPE');
  });
});
