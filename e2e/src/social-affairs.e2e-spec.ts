import { addDays, buildResidentId, todayInShanghai } from '@civil/domain-kernel';
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
});
