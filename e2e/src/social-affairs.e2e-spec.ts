import { CHINA_STATUTORY_CALENDAR_DATA, WorkingDayCalendar, addDays, buildResidentId, dayOfWeek, todayInShanghai } from '@civil/domain-kernel';
import { startStack, type Stack } from '@civil/launcher';
import { GatewayClient, queryService } from './support/api';

/** Social affairs through the gateway, as couples and registrars use it. */
describe('social affairs through the gateway', () => {
  let stack: Stack;
  let api: GatewayClient;
  let registrar: string;
  const REGISTRY = '0193a0a0-0000-7000-8000-000000000001';
  const today = todayInShanghai();

  beforeAll(async () => {
    stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
    api = new GatewayClient(stack.gatewayUrl);
    registrar = await api.token({ userId: 'registrar-1', kind: 'staff', roles: ['registrar'], divisions: ['430503'] });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('a couple books an appointment, the registrar registers them, and they see their certificate; nobody else does', async () => {
    const man = buildResidentId('430503', '1995-02-03', 31).value;
    const woman = buildResidentId('430503', '1996-04-05', 42).value;
    const citizen = await api.token({ userId: 'groom', kind: 'citizen', roles: ['citizen'], residentId: man });
    const onDate = addDays(today, 3);
    const booked = await api.request<{ id: string; status: string; placesLeft: number }>('POST', '/api/v1/social-affairs/marriage-appointments', {
      token: citizen,
      body: { registryId: REGISTRY, onDate, partnerResidentId: woman },
    });
    expect([booked.status, booked.body.status, booked.body.placesLeft]).toEqual([201, 'BOOKED', 39]);

    // Registered today (the appointment is for another day, so it is not used for this desk visit).
    const body = {
      registryId: REGISTRY,
      parties: [
        { name: '新郎', residentId: man, hukouDivisionCode: '430503101' },
        { name: '新娘', residentId: woman, hukouDivisionCode: '430503001' },
      ],
      declaration: { bothConsent: true, neitherMarried: true, noProhibitedKinship: true },
    };
    const byCitizen = await api.request<{ code: string }>('POST', '/api/v1/social-affairs/marriage-registrations', { token: citizen, body });
    expect(byCitizen.status).toBe(403);
    const registered = await api.request<{ id: string; certificates: { number: string }[] }>('POST', '/api/v1/social-affairs/marriage-registrations', { token: registrar, body });
    expect(registered.status).toBe(201);
    expect(registered.body.certificates[0]?.number).toBe(`J430503-${today.slice(0, 4)}-000001`);
    const again = await api.request<{ code: string; errors: { field: string; rule: string }[] }>('POST', '/api/v1/social-affairs/marriage-registrations', { token: registrar, body });
    expect([again.status, again.body.code]).toEqual([422, 'NOT_ELIGIBLE']);
    expect(again.body.errors.map((e) => e.rule)).toEqual(['already-married', 'already-married']);

    const seen = await api.request<{ parties: { residentId: string }[] }>('GET', `/api/v1/social-affairs/marriage-registrations/${registered.body.id}`, { token: citizen });
    expect(seen.status).toBe(200);
    expect(seen.body.parties[0]?.residentId).toBe(`${man.slice(0, 6)}********${man.slice(14)}`);
    const other = await api.token({ userId: 'other', kind: 'citizen', roles: ['citizen'], residentId: buildResidentId('430503', '1990-01-01', 51).value });
    expect((await api.request('GET', `/api/v1/social-affairs/marriage-registrations/${registered.body.id}`, { token: other })).status).toBe(404);

    const accuracy = await api.request<{ certificates: number; accuracyBp: number }>('GET', `/api/v1/social-affairs/marriage-certificates/accuracy?year=${today.slice(0, 4)}`, { token: registrar });
    expect([accuracy.status, accuracy.body.certificates, accuracy.body.accuracyBp]).toEqual([200, 1, 10_000]);
  });

  it('bad input is a 400 naming each field, and nothing is written', async () => {
    const before = await queryService<{ n: string }>(stack, 'social-affairs', `SELECT count(*) AS n FROM marriage_registration`);
    const response = await api.request<{ errors: { field: string }[] }>('POST', '/api/v1/social-affairs/marriage-registrations', {
      token: registrar,
      body: {
        registryId: 'not-a-uuid',
        parties: [{ name: '', residentId: '430503199502300311', hukouDivisionCode: '430503' }, { name: '乙', residentId: buildResidentId('430503', '1996-04-05', 44).value, hukouDivisionCode: '43' }],
        declaration: { bothConsent: true, neitherMarried: true, noProhibitedKinship: false },
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e) => e.field).sort()).toEqual(
      ['declaration.noProhibitedKinship', 'parties[0].name', 'parties[0].residentId', 'parties[1].hukouDivisionCode', 'registryId'].sort(),
    );
    const after = await queryService<{ n: string }>(stack, 'social-affairs', `SELECT count(*) AS n FROM marriage_registration`);
    expect(after).toEqual(before);
  });

  it('a registrar registers a social organisation and the census counts it; a foundation is refused, a bad credit code is a 400', async () => {
    type Census = { county: { 'social-group': number; total: number }; province: { foundation: number }; total: number };
    const before = await api.request<Census>('GET', `/api/v1/social-affairs/organisations/census?asOf=${today}`, { token: registrar });
    expect(before.status).toBe(200);
    const body = {
      type: 'social-group',
      name: '大祥区老年书画研究会',
      creditCode: '51430503MJ0000001T',
      divisionCode: '430503101',
      address: '大祥区雨溪街道文化路8号',
      legalRepresentative: '赵六',
      businessScope: '老年书画交流、展览',
    };
    const registered = await api.request<{ id: string; registeredBy: string; registeredOn: string }>('POST', '/api/v1/social-affairs/organisations', { token: registrar, body });
    expect([registered.status, registered.body.registeredBy, registered.body.registeredOn]).toEqual([201, 'county', today]);
    const after = await api.request<Census>('GET', `/api/v1/social-affairs/organisations/census?asOf=${today}`, { token: registrar });
    expect([after.body.county['social-group'], after.body.total]).toEqual([before.body.county['social-group'] + 1, before.body.total + 1]);
    const earlier = await api.request<Census>('GET', `/api/v1/social-affairs/organisations/census?asOf=${addDays(today, -1)}`, { token: registrar });
    expect(earlier.body.total).toBe(before.body.total);

    const foundation = await api.request<{ code: string }>('POST', '/api/v1/social-affairs/organisations', {
      token: registrar,
      body: { ...body, type: 'foundation', name: '某教育基金会', creditCode: '53430000MJ0000003M' },
    });
    expect([foundation.status, foundation.body.code]).toEqual([422, 'NOT_ELIGIBLE']);
    const bad = await api.request<{ errors: { field: string; rule: string }[] }>('POST', '/api/v1/social-affairs/organisations', {
      token: registrar,
      body: { ...body, name: '另一个研究会', creditCode: '51430503MJ0000001U' },
    });
    expect([bad.status, bad.body.errors.map((e) => [e.field, e.rule])]).toEqual([400, [['creditCode', 'checksum']]]);
    const citizen = await api.token({ userId: 'org-citizen', kind: 'citizen', roles: ['citizen'], residentId: buildResidentId('430503', '1980-01-01', 61).value });
    expect((await api.request('GET', `/api/v1/social-affairs/organisations/${registered.body.id}`, { token: citizen })).status).toBe(403);
    expect((await api.request<Census>('GET', `/api/v1/social-affairs/organisations/census?asOf=${today}`, { token: registrar })).body.total).toBe(after.body.total);
  });

  it('a citizen books a cemetery visit and gets a code; the slot’s places and the grave’s limit of 3 hold', async () => {
    const SITE = '0193a0a0-0000-7000-8000-0000000000c1';
    const day = addDays(today, 2);
    const opened = await api.request<{ items: { id: string }[] }>('POST', '/api/v1/social-affairs/cemetery/slots', {
      token: registrar,
      body: { siteId: SITE, fromDate: day, toDate: day, slots: [{ startsAt: '08:00', endsAt: '10:00', capacity: 4 }] },
    });
    expect(opened.status).toBe(201);
    const slotId = opened.body.items[0]?.id ?? '';
    const visitor = buildResidentId('430503', '1960-06-06', 61).value;
    const citizen = await api.token({ userId: 'visitor', kind: 'citizen', roles: ['citizen'], residentId: visitor });
    const booked = await api.request<{ id: string; bookingCode: string; status: string; visitorResidentId: string }>('POST', '/api/v1/social-affairs/cemetery/bookings', {
      token: citizen,
      body: { slotId, graveNumber: '福区-3排-12号', visitorName: '祭扫人', mobile: '13800138000', visitors: 2 },
    });
    expect([booked.status, booked.body.status]).toEqual([201, 'BOOKED']);
    expect(booked.body.bookingCode).toMatch(/^[A-Z2-9]{8}$/);
    expect(booked.body.visitorResidentId).toBe(`${visitor.slice(0, 6)}********${visitor.slice(14)}`);

    const slots = await api.request<{ items: { id: string; placesLeft: number }[] }>('GET', `/api/v1/social-affairs/cemetery/sites/${SITE}/slots?date=${day}`);
    expect([slots.status, slots.body.items.find((s) => s.id === slotId)?.placesLeft]).toEqual([200, 2]);

    const relative = await api.token({ userId: 'relative', kind: 'citizen', roles: ['citizen'], residentId: buildResidentId('430503', '1962-06-06', 62).value });
    const tooMany = await api.request<{ code: string }>('POST', '/api/v1/social-affairs/cemetery/bookings', {
      token: relative,
      body: { slotId, graveNumber: '福区-3排-12号', visitorName: '亲属', mobile: '13900139000', visitors: 2 },
    });
    expect([tooMany.status, tooMany.body.code]).toEqual([409, 'CONFLICT']);
    expect((await api.request('GET', `/api/v1/social-affairs/cemetery/bookings/${booked.body.id}`, { token: relative })).status).toBe(404);
    expect((await api.request('GET', `/api/v1/social-affairs/cemetery/bookings/${booked.body.id}`, { token: citizen })).status).toBe(200);
  });

  it('a divorce application starts cooling-off; either party may withdraw it', async () => {
    const man = buildResidentId('430503', '1985-08-08', 71).value;
    const woman = buildResidentId('430503', '1986-09-09', 72).value;
    const registered = await api.request<{ id: string }>('POST', '/api/v1/social-affairs/marriage-registrations', {
      token: registrar,
      body: {
        registryId: REGISTRY,
        parties: [
          { name: '甲', residentId: man, hukouDivisionCode: '430503' },
          { name: '乙', residentId: woman, hukouDivisionCode: '430503' },
        ],
        declaration: { bothConsent: true, neitherMarried: true, noProhibitedKinship: true },
      },
    });
    expect(registered.status).toBe(201);
    const applied = await api.request<{ id: string; status: string; coolingOffEndsOn: string }>('POST', '/api/v1/social-affairs/divorce-applications', {
      token: registrar,
      body: { registryId: REGISTRY, marriageRegistrationId: registered.body.id },
    });
    expect([applied.status, applied.body.status]).toEqual([201, 'COOLING_OFF']);
    expect(applied.body.coolingOffEndsOn > addDays(today, 29)).toBe(true);
    const tooEarly = await api.request<{ code: string }>('POST', `/api/v1/social-affairs/divorce-applications/${applied.body.id}/register`, { token: registrar, body: { bothPresent: true } });
    expect([tooEarly.status, tooEarly.body.code]).toEqual([409, 'CONFLICT']);
    const wife = await api.token({ userId: 'wife', kind: 'citizen', roles: ['citizen'], residentId: woman });
    const withdrawn = await api.request<{ status: string }>('POST', `/api/v1/social-affairs/divorce-applications/${applied.body.id}/withdraw`, { token: wife, body: {} });
    expect([withdrawn.status, withdrawn.body.status]).toEqual([200, 'WITHDRAWN']);
  });

  it('a citizen books a counselling slot (镜圆) on the next working Wednesday; another citizen cannot see it', async () => {
    const calendar = new WorkingDayCalendar({
      holidays: Object.values(CHINA_STATUTORY_CALENDAR_DATA).flatMap((y) => y.holidays),
      workingWeekends: Object.values(CHINA_STATUTORY_CALENDAR_DATA).flatMap((y) => y.workingWeekends),
    });
    let sessionDate = addDays(today, 1);
    while (dayOfWeek(sessionDate) !== 3 || !calendar.isWorkingDay(sessionDate)) sessionDate = addDays(sessionDate, 1);
    const counsellor = await api.request<{ id: string }>('POST', '/api/v1/social-affairs/counselling/counsellors', {
      token: registrar,
      body: { registryId: REGISTRY, name: '周咨询师', role: 'family-counsellor' },
    });
    expect(counsellor.status).toBe(201);
    const thursday = await api.request<{ errors: { field: string; rule: string }[] }>('POST', '/api/v1/social-affairs/counselling/session-days', {
      token: registrar,
      body: { registryId: REGISTRY, sessionDate: addDays(sessionDate, 1), slots: [{ startsAt: '09:00', endsAt: '10:00', counsellorId: counsellor.body.id, capacity: 2 }] },
    });
    expect([thursday.status, thursday.body.errors.map((e) => [e.field, e.rule])]).toEqual([400, [['sessionDate', 'wednesday']]]);
    const opened = await api.request<{ items: { id: string; placesLeft: number }[] }>('POST', '/api/v1/social-affairs/counselling/session-days', {
      token: registrar,
      body: { registryId: REGISTRY, sessionDate, slots: [{ startsAt: '09:00', endsAt: '10:00', counsellorId: counsellor.body.id, capacity: 2 }] },
    });
    expect(opened.status).toBe(201);
    const slotId = opened.body.items[0]?.id ?? '';

    const client = buildResidentId('430503', '1991-11-11', 81).value;
    const partner = buildResidentId('430503', '1992-12-12', 82).value;
    const citizen = await api.token({ userId: 'counselled', kind: 'citizen', roles: ['citizen'], residentId: client });
    const booked = await api.request<{ id: string; status: string; clientResidentId: string }>('POST', '/api/v1/social-affairs/counselling/bookings', {
      token: citizen,
      body: { slotId, partnerResidentId: partner },
    });
    expect([booked.status, booked.body.status, booked.body.clientResidentId]).toEqual([201, 'BOOKED', `${client.slice(0, 6)}********${client.slice(14)}`]);
    const slots = await api.request<{ items: { id: string; placesLeft: number }[] }>('GET', `/api/v1/social-affairs/counselling/slots?registryId=${REGISTRY}&fromDate=${sessionDate}&toDate=${sessionDate}`);
    expect([slots.status, slots.body.items.find((s) => s.id === slotId)?.placesLeft]).toEqual([200, 1]);

    const mine = await api.request<{ items: { id: string }[] }>('GET', '/api/v1/social-affairs/counselling/bookings', { token: citizen });
    expect([mine.status, mine.body.items.map((b) => b.id)]).toEqual([200, [booked.body.id]]);
    const other = await api.token({ userId: 'nosy', kind: 'citizen', roles: ['citizen'], residentId: buildResidentId('430503', '1990-10-10', 83).value });
    expect((await api.request('GET', `/api/v1/social-affairs/counselling/bookings/${booked.body.id}`, { token: other })).status).toBe(404);
    expect((await api.request('POST', `/api/v1/social-affairs/counselling/bookings/${booked.body.id}/cancel`, { token: other, body: {} })).status).toBe(404);
    const theirs = await api.request<{ items: unknown[] }>('GET', '/api/v1/social-affairs/counselling/bookings', { token: other });
    expect([theirs.status, theirs.body.items]).toEqual([200, []]);
    expect((await api.request('GET', `/api/v1/social-affairs/counselling/bookings/${booked.body.id}`, { token: citizen })).status).toBe(200);
  });
});
