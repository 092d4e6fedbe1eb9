import { DataSource } from 'typeorm';
import { Outbox, PersonalDataCipher } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { CemeteryEvents, type Actor, type CemeteryBookingEventV1, type CemeteryBookingView, type CemeterySlotView } from '@civil/contracts';
import { serviceDataSource } from '../data-source';
import { CemeteryService } from './cemetery.service';

/**
 * 祭扫预约 against real PostgreSQL at the seeded 雨溪公墓 (雨溪街道 430503010000, 大祥区) around 清明
 * 2026 (April 5). "Now" is 2026-04-01 10:00 in Shanghai unless a test says otherwise.
 */
describe('CemeteryService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let service: CemeteryService;
  const YUXI_SITE = '0193a0a0-0000-7000-8000-0000000000c1';
  const TODAY = '2026-04-01';
  const NOW = new Date('2026-04-01T02:00:00Z');
  const registrar: Actor = { userId: 'yuxi-registrar', kind: 'staff', roles: ['registrar'], divisions: ['430503000000'] };
  const otherRegistrar: Actor = { userId: 'luoshi-registrar', kind: 'staff', roles: ['registrar'], divisions: ['430503101000'] };
  const clerk: Actor = { userId: 'clerk', kind: 'staff', roles: ['clerk'], divisions: ['430503000000'] };
  const citizen = (n: number): Actor => ({ userId: `citizen-${n}`, kind: 'citizen', roles: ['citizen'], divisions: [], residentId: `43050319${String(n).padStart(10, '0')}` });
  const zhang = citizen(1);
  const li = citizen(2);

  /** Slot id by day and start, for the day plan opened in beforeAll. */
  const slots = new Map<string, CemeterySlotView>();
  const slotOf = (visitDate: string, startsAt: string): CemeterySlotView => {
    const slot = slots.get(`${visitDate} ${startsAt}`);
    if (!slot) throw new Error(`no slot ${visitDate} ${startsAt}`);
    return slot;
  };

  let graves = 0;
  const grave = (): string => `福区-${++graves}号`;
  const visit = (slotId: string, over: Partial<Parameters<CemeteryService['book']>[0]> = {}): Parameters<CemeteryService['book']>[0] => ({
    slotId,
    graveNumber: grave(),
    visitorName: '张三',
    mobile: '13800138000',
    visitors: 1,
    ...over,
  });

  async function slotRow(id: string): Promise<{ capacity: number; booked: number }> {
    const [row] = await dataSource.query<{ capacity: number; booked: number }[]>(`SELECT capacity, booked FROM cemetery_slot WHERE id = $1`, [id]);
    if (!row) throw new Error(`no slot ${id}`);
    return row;
  }

  async function eventsOf(type: string, where: { slotId?: string; bookingId?: string }): Promise<{ data: CemeteryBookingEventV1; divisionCode: string; actor: string }[]> {
    return dataSource.query(
      `SELECT envelope->'data' AS data, envelope->>'divisioncode' AS "divisionCode", envelope->>'actor' AS actor FROM outbox
        WHERE type = $1 AND ($2::text IS NULL OR envelope->'data'->>'slotId' = $2) AND ($3::text IS NULL OR envelope->'data'->>'bookingId' = $3) ORDER BY id`,
      [type, where.slotId ?? null, where.bookingId ?? null],
    );
  }

  async function counts(): Promise<{ bookings: number; outbox: number; booked: number }> {
    const [row] = await dataSource.query<{ bookings: number; outbox: number; booked: number }[]>(
      `SELECT (SELECT count(*) FROM cemetery_booking)::int AS bookings, (SELECT count(*) FROM outbox)::int AS outbox,
              (SELECT coalesce(sum(booked), 0) FROM cemetery_slot)::int AS booked`,
    );
    if (!row) throw new Error('no counts');
    return row;
  }

  beforeAll(async () => {
    // Every migration of the service: the booking table as it is now (resident IDs as hash and ciphertext).
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('cemetery'), 20));
    await dataSource.initialize();
    await dataSource.runMigrations();
    service = new CemeteryService(new Outbox('social-affairs', dataSource), dataSource);
    const opened = await service.openSlots(
      {
        siteId: YUXI_SITE,
        fromDate: '2026-04-03',
        toDate: '2026-04-06',
        slots: [
          { startsAt: '08:00', endsAt: '10:00', capacity: 50 },
          { startsAt: '10:00', endsAt: '12:00', capacity: 200 },
          { startsAt: '14:00', endsAt: '16:00', capacity: 200 },
        ],
      },
      registrar,
      TODAY,
    );
    for (const slot of opened.items) slots.set(`${slot.visitDate} ${slot.startsAt}`, slot);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('opens the day plan once, with an event, and lists a day’s slots publicly with the places left', async () => {
    expect(slots.size).toBe(12);
    const [opened] = await dataSource.query<{ data: { siteId: string; slotIds: string[] }; divisionCode: string }[]>(
      `SELECT envelope->'data' AS data, envelope->>'divisioncode' AS "divisionCode" FROM outbox WHERE type = $1`,
      [CemeteryEvents.slotsOpened],
    );
    expect(opened?.divisionCode).toBe('430503010000');
    expect(opened?.data.slotIds).toHaveLength(12);

    const again = await service.openSlots({ siteId: YUXI_SITE, fromDate: '2026-04-06', toDate: '2026-04-07', slots: [{ startsAt: '08:00', endsAt: '10:00', capacity: 10 }] }, registrar, TODAY);
    expect(again.skipped).toBe(1);
    expect(again.items.map((s) => [s.visitDate, s.startsAt, s.capacity])).toEqual([['2026-04-07', '08:00', 10]]);
    expect((await slotRow(slotOf('2026-04-06', '08:00').id)).capacity).toBe(50);

    const list = await service.listSlots({ siteId: YUXI_SITE, date: '2026-04-03' });
    expect(list.site).toMatchObject({ name: '雨溪公墓', divisionCode: '430503010000' });
    expect(list.items.map((s) => [s.startsAt, s.endsAt, s.capacity, s.placesLeft])).toEqual([
      ['08:00', '10:00', 50, 50],
      ['10:00', '12:00', 200, 200],
      ['14:00', '16:00', 200, 200],
    ]);

    expect((await domainErrorOf(service.openSlots({ siteId: YUXI_SITE, fromDate: '2026-04-08', toDate: '2026-04-08', slots: [{ startsAt: '08:00', endsAt: '09:00', capacity: 1 }] }, otherRegistrar, TODAY), 'OUT_OF_DIVISION_SCOPE')).code).toBe('OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(service.openSlots({ siteId: YUXI_SITE, fromDate: '2026-04-08', toDate: '2026-04-08', slots: [{ startsAt: '08:00', endsAt: '09:00', capacity: 1 }] }, clerk, TODAY), 'FORBIDDEN');
    await domainErrorOf(service.listSlots({ siteId: '0193a0a0-0000-7000-8000-0000000000ff', date: '2026-04-03' }), 'NOT_FOUND');
  });

  it('confirms exactly 50 of 500 concurrent bookings for 50 places, with 50 events', async () => {
    const slot = slotOf('2026-04-05', '08:00');
    const results = await Promise.allSettled(Array.from({ length: 500 }, (_, i) => service.book(visit(slot.id), citizen(1000 + i), NOW)));
    const confirmed = results.filter((r): r is PromiseFulfilledResult<CemeteryBookingView> => r.status === 'fulfilled').map((r) => r.value);
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code?: string }).code);
    expect(confirmed).toHaveLength(50);
    expect(refused).toEqual(Array.from({ length: 450 }, () => 'CONFLICT'));
    expect(new Set(confirmed.map((b) => b.bookingCode)).size).toBe(50);
    for (const b of confirmed) expect(b.bookingCode).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    expect(await slotRow(slot.id)).toEqual({ capacity: 50, booked: 50 });
    const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM cemetery_booking WHERE slot_id = $1 AND status = 'BOOKED'`, [slot.id]);
    expect(row?.n).toBe(50);
    const events = await eventsOf(CemeteryEvents.confirmed, { slotId: slot.id });
    expect(events).toHaveLength(50);
    expect(events.map((e) => e.data.bookingId).sort()).toEqual(confirmed.map((b) => b.id).sort());
    expect(events[0]).toMatchObject({ divisionCode: '430503010000', data: { siteId: YUXI_SITE, slotId: slot.id, visitDate: '2026-04-05', visitors: 1 } });
    const listed = await service.listSlots({ siteId: YUXI_SITE, date: '2026-04-05' });
    expect(listed.items.find((s) => s.id === slot.id)).toMatchObject({ booked: 50, placesLeft: 0 });
  });

  it('holds the per-grave limit of 3 visitors a day under concurrency, across slots and spellings', async () => {
    const spellings = ['寿区-A-12', '寿区-a-12', ' 寿区-Ａ-12 '];
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        service.book(visit(slotOf('2026-04-05', i % 2 === 0 ? '10:00' : '14:00').id, { graveNumber: spellings[i % 3] ?? '寿区-A-12' }), citizen(2000 + i), NOW),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CONFLICT', fields: [expect.objectContaining({ field: 'visitors', rule: 'per-grave-limit' })] });
    const [row] = await dataSource.query<{ visitors: number }[]>(
      `SELECT sum(visitors)::int AS visitors FROM cemetery_booking WHERE grave_number = '寿区-A-12' AND status <> 'CANCELLED'`,
    );
    expect(row?.visitors).toBe(3);

    // The same grave on another day is a fresh allowance; a 3-visitor booking uses it up at once.
    await service.book(visit(slotOf('2026-04-06', '10:00').id, { graveNumber: '寿区-A-12', visitors: 3 }), citizen(2100), NOW);
    await domainErrorOf(service.book(visit(slotOf('2026-04-06', '14:00').id, { graveNumber: '寿区-A-12' }), citizen(2101), NOW), 'CONFLICT');
  });

  it('cancels a booking before its slot starts, freeing its places and its grave allowance', async () => {
    const slot = slotOf('2026-04-05', '10:00');
    const before = await slotRow(slot.id);
    const graveNumber = grave();
    const booking = await service.book(visit(slot.id, { graveNumber, visitors: 2 }), zhang, NOW);
    const other = await service.book(visit(slot.id, { graveNumber }), li, NOW);
    expect(await slotRow(slot.id)).toEqual({ capacity: 200, booked: before.booked + 3 });
    await domainErrorOf(service.book(visit(slot.id, { graveNumber }), citizen(3), NOW), 'CONFLICT');

    await domainErrorOf(service.cancel({ id: booking.id }, li, NOW), 'NOT_FOUND');
    const cancelled = await service.cancel({ id: booking.id }, zhang, NOW);
    expect(cancelled).toMatchObject({ id: booking.id, status: 'CANCELLED' });
    expect(await slotRow(slot.id)).toEqual({ capacity: 200, booked: before.booked + 1 });
    expect(await eventsOf(CemeteryEvents.cancelled, { bookingId: booking.id })).toEqual([
      { data: { bookingId: booking.id, siteId: YUXI_SITE, slotId: slot.id, visitDate: '2026-04-05', visitors: 2 }, divisionCode: '430503010000', actor: 'citizen-1' },
    ]);
    await domainErrorOf(service.cancel({ id: booking.id }, zhang, NOW), 'CONFLICT');
    // The grave has room again for two.
    await service.book(visit(slot.id, { graveNumber, visitors: 2 }), citizen(3), NOW);

    // Staff in scope may cancel; nobody may once the slot has started.
    await domainErrorOf(service.cancel({ id: other.id }, registrar, new Date('2026-04-05T02:30:00Z')), 'CONFLICT');
    await domainErrorOf(service.cancel({ id: other.id }, otherRegistrar, NOW), 'NOT_FOUND');
    expect((await service.cancel({ id: other.id }, registrar, NOW)).status).toBe('CANCELLED');
  });

  it('checks a visitor in by booking code on the visit day, once', async () => {
    const booking = await service.book(visit(slotOf('2026-04-05', '14:00').id), zhang, NOW);
    await domainErrorOf(service.checkIn({ bookingCode: booking.bookingCode }, registrar, '2026-04-04'), 'CONFLICT');
    await domainErrorOf(service.checkIn({ bookingCode: booking.bookingCode }, otherRegistrar, '2026-04-05'), 'NOT_FOUND');
    await domainErrorOf(service.checkIn({ bookingCode: booking.bookingCode }, zhang, '2026-04-05'), 'FORBIDDEN');
    const checkedIn = await service.checkIn({ bookingCode: ` ${booking.bookingCode.toLowerCase()} ` }, registrar, '2026-04-05');
    expect(checkedIn).toMatchObject({ id: booking.id, status: 'CHECKED_IN' });
    expect(await eventsOf(CemeteryEvents.checkedIn, { bookingId: booking.id })).toEqual([
      { data: { bookingId: booking.id, siteId: YUXI_SITE, slotId: booking.slotId, visitDate: '2026-04-05', visitors: 1 }, divisionCode: '430503010000', actor: 'yuxi-registrar' },
    ]);
    await domainErrorOf(service.checkIn({ bookingCode: booking.bookingCode }, registrar, '2026-04-05'), 'CONFLICT');
    await domainErrorOf(service.cancel({ id: booking.id }, zhang, NOW), 'CONFLICT');
    await domainErrorOf(service.checkIn({ bookingCode: '22222222' }, registrar, '2026-04-05'), 'NOT_FOUND');
  });

  it('marks the unused bookings of a past day as no-shows in one go, with an event each', async () => {
    const slot = slotOf('2026-04-03', '10:00');
    const a = await service.book(visit(slot.id), zhang, NOW);
    const b = await service.book(visit(slot.id, { visitors: 2 }), li, NOW);
    const c = await service.book(visit(slotOf('2026-04-03', '14:00').id), citizen(3), NOW);
    const cancelled = await service.book(visit(slot.id), citizen(4), NOW);
    await service.cancel({ id: cancelled.id }, citizen(4), NOW);
    await service.checkIn({ bookingCode: c.bookingCode }, registrar, '2026-04-03');
    const other = await service.book(visit(slotOf('2026-04-04', '10:00').id), zhang, NOW);

    await domainErrorOf(service.markNoShows({ siteId: YUXI_SITE, visitDate: '2026-04-03' }, registrar, '2026-04-03'), 'VALIDATION_FAILED');
    await domainErrorOf(service.markNoShows({ siteId: YUXI_SITE, visitDate: '2026-04-03' }, otherRegistrar, '2026-04-04'), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(service.markNoShows({ siteId: YUXI_SITE, visitDate: '2026-04-03' }, zhang, '2026-04-04'), 'FORBIDDEN');
    expect(await service.markNoShows({ siteId: YUXI_SITE, visitDate: '2026-04-03' }, registrar, '2026-04-04')).toEqual({ siteId: YUXI_SITE, visitDate: '2026-04-03', marked: 2 });
    const statuses = await dataSource.query<{ id: string; status: string }[]>(`SELECT id, status FROM cemetery_booking WHERE id = ANY ($1::uuid[]) ORDER BY id`, [
      [a.id, b.id, c.id, cancelled.id, other.id],
    ]);
    expect(Object.fromEntries(statuses.map((r) => [r.id, r.status]))).toEqual({
      [a.id]: 'NO_SHOW',
      [b.id]: 'NO_SHOW',
      [c.id]: 'CHECKED_IN',
      [cancelled.id]: 'CANCELLED',
      [other.id]: 'BOOKED',
    });
    const events = await eventsOf(CemeteryEvents.noShow, {});
    expect(events.map((e) => [e.data.bookingId, e.data.visitors]).sort()).toEqual(
      [
        [a.id, 1],
        [b.id, 2],
      ].sort(),
    );
    // Places are not given back for a day that is over.
    expect((await slotRow(slot.id)).booked).toBe(3);
    expect((await service.markNoShows({ siteId: YUXI_SITE, visitDate: '2026-04-03' }, registrar, '2026-04-04')).marked).toBe(0);
  });

  it('refuses bad input naming each field, writing nothing', async () => {
    const before = await counts();
    const error = await domainErrorOf(
      service.book({ slotId: 'not-a-uuid', graveNumber: ' ', visitorName: '', mobile: '12345', visitors: 4, visitorResidentId: '430503197001010011' }, registrar, NOW),
      'VALIDATION_FAILED',
    );
    expect(error.fields?.map((f) => f.field).sort()).toEqual(['graveNumber', 'mobile', 'slotId', 'visitorName', 'visitorResidentId', 'visitors']);
    const zero = await domainErrorOf(service.book(visit(slotOf('2026-04-05', '10:00').id, { visitors: 0 }), zhang, NOW), 'VALIDATION_FAILED');
    expect(zero.fields?.map((f) => f.field)).toEqual(['visitors']);
    const extra = await domainErrorOf(service.book({ ...visit(slotOf('2026-04-05', '10:00').id), status: 'CHECKED_IN' } as never, zhang, NOW), 'VALIDATION_FAILED');
    expect(extra.fields).toHaveLength(1);
    const opening = await domainErrorOf(
      service.openSlots({ siteId: YUXI_SITE, fromDate: '2026-04-10', toDate: '2026-04-09', slots: [{ startsAt: '25:00', endsAt: '10:00', capacity: 0 }] }, registrar, TODAY),
      'VALIDATION_FAILED',
    );
    expect(opening.fields?.map((f) => f.field).sort()).toEqual(['slots[0].capacity', 'slots[0].startsAt']);
    await domainErrorOf(service.checkIn({ bookingCode: 'O0I1L000' }, registrar, '2026-04-05'), 'VALIDATION_FAILED');
    await domainErrorOf(service.book(visit(slotOf('2026-04-03', '08:00').id), zhang, new Date('2026-04-03T00:30:00Z')), 'CONFLICT');
    await domainErrorOf(service.book(visit('0193a0a0-0000-7000-8000-0000000000ff'), zhang, NOW), 'NOT_FOUND');
    await domainErrorOf(service.book(visit(slotOf('2026-04-05', '10:00').id, { visitorResidentId: '430503198002020025' }), zhang, NOW), 'VALIDATION_FAILED');
    await domainErrorOf(service.book(visit(slotOf('2026-04-05', '10:00').id, { visitorResidentId: '430503198002020025' }), otherRegistrar, NOW), 'OUT_OF_DIVISION_SCOPE');
    expect(await counts()).toEqual(before);
  });

  it('shows a citizen only their own booking; staff within the site’s division', async () => {
    const booking = await service.book(visit(slotOf('2026-04-06', '14:00').id, { visitors: 2 }), zhang, NOW);
    expect(booking).toMatchObject({ siteName: '雨溪公墓', visitDate: '2026-04-06', startsAt: '14:00', endsAt: '16:00', visitorResidentId: `${zhang.residentId?.slice(0, 6)}********${zhang.residentId?.slice(14)}`, mobile: '138****8000', visitors: 2, status: 'BOOKED' });
    expect(await service.get({ id: booking.id }, zhang)).toEqual(booking);
    await domainErrorOf(service.get({ id: booking.id }, li), 'NOT_FOUND');
    await domainErrorOf(service.get({ id: booking.id }, otherRegistrar), 'NOT_FOUND');
    await domainErrorOf(service.get({ id: booking.id }, clerk), 'NOT_FOUND');
    expect(await service.get({ id: booking.id }, registrar)).toEqual(booking);
    const forVisitor = await service.book(visit(slotOf('2026-04-06', '14:00').id, { visitorResidentId: '430503198002020025', visitorName: '王五' }), registrar, NOW);
    expect(forVisitor).toMatchObject({ visitorResidentId: '430503********0025', visitorName: '王五' });
    await domainErrorOf(service.get({ id: forVisitor.id }, zhang), 'NOT_FOUND');
  });

  it('shows the full resident ID and mobile only to a caller the gateway let reveal them (personal-data:reveal)', async () => {
    const booking = await service.book(visit(slotOf('2026-04-06', '14:00').id, { visitorResidentId: '430503198002020025', visitorName: '王五' }), registrar, NOW);
    expect(booking).toMatchObject({ visitorResidentId: '430503********0025', mobile: '138****8000' });
    const revealing: Actor = { ...registrar, permissions: ['personal-data:reveal'] };
    expect(await service.get({ id: booking.id }, revealing)).toEqual({ ...booking, visitorResidentId: '430503198002020025', mobile: '13800138000' });
    expect(await service.get({ id: booking.id }, registrar)).toEqual(booking);
    // At rest: the mobile as given; the resident ID only as its lookup hash and ciphertext (issue 8).
    const cipher = PersonalDataCipher.fromEnvironment(process.env);
    const [stored] = await dataSource.query<{ visitor_resident_id_hash: string; visitor_resident_id_enc: string; mobile: string }[]>(
      `SELECT visitor_resident_id_hash, visitor_resident_id_enc, mobile FROM cemetery_booking WHERE id = $1`,
      [booking.id],
    );
    expect(stored).toMatchObject({ visitor_resident_id_hash: cipher.lookupHash('430503198002020025'), mobile: '13800138000' });
    expect(cipher.decrypt(stored?.visitor_resident_id_enc ?? '')).toBe('430503198002020025');
  });
});
