import { v7 as uuidv7 } from 'uuid';
import { DataSource } from 'typeorm';
import { buildResidentId } from '@civil/domain-kernel';
import { CounsellingEvents, DomainError, type Actor, type CounsellingBookingView, type CounsellingKind, type CounsellingOutcome } from '@civil/contracts';
import { Outbox } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { serviceDataSource } from '../data-source';
import { CounsellingService } from './counselling.service';

/** Marriage and family counselling (「镜圆」) against real PostgreSQL, with the dates and times chosen by the test. */
describe('CounsellingService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let service: CounsellingService;
  const REGISTRY = '0193a0a0-0000-7000-8000-000000000001';
  const registrar: Actor = { userId: 'jingyuan', kind: 'staff', roles: ['registrar'], divisions: ['430503'] };
  const elsewhere: Actor = { userId: 'shaodong', kind: 'staff', roles: ['registrar'], divisions: ['430521'] };
  const citizenOf = (residentId: string): Actor => ({ userId: `c-${residentId}`, kind: 'citizen', roles: ['citizen'], divisions: [], residentId });

  let sequence = 200;
  function person(birthDate = '1990-01-01'): string {
    sequence += 1;
    return buildResidentId('430503', birthDate, sequence).value;
  }

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const [row] = await dataSource.query<{ n: number }[]>(sql, params);
    return row?.n ?? -1;
  }

  async function counsellor(name: string, role: 'psychologist' | 'family-counsellor' | 'lawyer' | 'social-worker', registryId = REGISTRY, actor = registrar): Promise<string> {
    return (await service.registerCounsellor({ registryId, name, role }, actor)).id;
  }

  /** Opens a Wednesday with one slot of the capacity, a week ahead of "today", and returns the slot id. */
  async function slotOn(sessionDate: string, capacity: number, registryId = REGISTRY, actor = registrar): Promise<string> {
    const counsellorId = await counsellor(`咨询师${sessionDate}`, 'family-counsellor', registryId, actor);
    const opened = await service.openDay({ registryId, sessionDate, slots: [{ startsAt: '09:00', endsAt: '10:00', counsellorId, capacity }] }, actor, sessionDate);
    const slot = opened.items[0];
    if (!slot) throw new Error('no slot');
    return slot.id;
  }

  /** The morning before (Shanghai) and the evening of a session day. */
  const before = (sessionDate: string) => new Date(`${sessionDate}T00:00:00+08:00`);
  const after = (sessionDate: string) => new Date(`${sessionDate}T18:00:00+08:00`);

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('counselling'), 8));
    await dataSource.initialize();
    await dataSource.runMigrations();
    service = new CounsellingService(new Outbox('social-affairs', dataSource), dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('opens a Wednesday with its slots and counsellors; refuses another weekday naming sessionDate, a holiday Wednesday, and a second opening — writing nothing', async () => {
    const psychologist = await counsellor('王心理', 'psychologist');
    const lawyer = await counsellor('李律师', 'lawyer');
    const opened = await service.openDay(
      {
        registryId: REGISTRY,
        sessionDate: '2026-03-04',
        slots: [
          { startsAt: '09:00', endsAt: '10:00', counsellorId: psychologist, capacity: 2 },
          { startsAt: '09:00', endsAt: '10:00', counsellorId: lawyer, capacity: 1 },
          { startsAt: '14:30', endsAt: '15:30', counsellorId: psychologist, capacity: 2 },
        ],
      },
      registrar,
      '2026-03-01',
    );
    expect(opened.items.map((s) => [s.startsAt, s.counsellor.name, s.counsellor.role, s.placesLeft])).toEqual([
      ['09:00', '李律师', 'lawyer', 1],
      ['09:00', '王心理', 'psychologist', 2],
      ['14:30', '王心理', 'psychologist', 2],
    ]);
    const listed = await service.listSlots({ registryId: REGISTRY, fromDate: '2026-03-01', toDate: '2026-03-31' });
    expect(listed.items.map((s) => s.id)).toEqual(opened.items.map((s) => s.id));

    const days = () => count(`SELECT count(*)::int AS n FROM counselling_day`);
    const initial = { days: await days(), slots: await count(`SELECT count(*)::int AS n FROM counselling_slot`) };
    const slots = [{ startsAt: '09:00', endsAt: '10:00', counsellorId: psychologist, capacity: 2 }];
    const thursday = await domainErrorOf(service.openDay({ registryId: REGISTRY, sessionDate: '2026-03-05', slots }, registrar, '2026-03-01'), 'VALIDATION_FAILED');
    expect(thursday.fields?.map((f) => [f.field, f.rule])).toEqual([['sessionDate', 'wednesday']]);
    // 2026-10-07 is a Wednesday within 国庆节 (1–7 October).
    const holiday = await domainErrorOf(service.openDay({ registryId: REGISTRY, sessionDate: '2026-10-07', slots }, registrar, '2026-09-30'), 'VALIDATION_FAILED');
    expect(holiday.fields?.map((f) => [f.field, f.rule])).toEqual([['sessionDate', 'statutory-holiday']]);
    await domainErrorOf(service.openDay({ registryId: REGISTRY, sessionDate: '2026-03-04', slots }, registrar, '2026-03-01'), 'CONFLICT');
    const stranger = await domainErrorOf(service.openDay({ registryId: REGISTRY, sessionDate: '2026-03-11', slots: [{ startsAt: '09:00', endsAt: '10:00', counsellorId: uuidv7(), capacity: 2 }] }, registrar, '2026-03-01'), 'VALIDATION_FAILED');
    expect(stranger.fields?.map((f) => [f.field, f.rule])).toEqual([['slots[0].counsellorId', 'registry-counsellor']]);
    await domainErrorOf(service.openDay({ registryId: REGISTRY, sessionDate: '2026-03-11', slots }, elsewhere, '2026-03-01'), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(service.openDay({ registryId: REGISTRY, sessionDate: '2026-03-11', slots }, citizenOf(person()), '2026-03-01'), 'FORBIDDEN');
    expect({ days: await days(), slots: await count(`SELECT count(*)::int AS n FROM counselling_slot`) }).toEqual(initial);
  });

  it('30 concurrent bookings for 5 places confirm exactly 5, each with its booked event', async () => {
    const slotId = await slotOn('2026-04-01', 5);
    const clients = Array.from({ length: 30 }, () => person());
    const results = await Promise.allSettled(clients.map((c) => service.book({ slotId }, citizenOf(c), before('2026-04-01'))));
    const booked = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(booked).toHaveLength(5);
    expect(results.filter((r) => r.status === 'rejected').every((r) => r.reason instanceof DomainError && r.reason.code === 'CONFLICT')).toBe(true);
    expect(await count(`SELECT booked AS n FROM counselling_slot WHERE id = $1`, [slotId])).toBe(5);
    expect(await count(`SELECT count(*)::int AS n FROM counselling_booking WHERE slot_id = $1`, [slotId])).toBe(5);
    const events = await dataSource.query<{ data: Record<string, unknown> }[]>(`SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = ANY($2)`, [
      CounsellingEvents.booked,
      booked.map((b) => `counselling-booking/${b.id}`),
    ]);
    expect(events).toHaveLength(5);
    const first = booked[0];
    if (!first) throw new Error('no booking');
    expect(events.find((e) => e.data.bookingId === first.id)?.data).toEqual({
      bookingId: first.id,
      slotId,
      counsellorId: first.counsellor.id,
      registryId: REGISTRY,
      sessionDate: '2026-04-01',
    });
    const slots = await service.listSlots({ registryId: REGISTRY, fromDate: '2026-04-01', toDate: '2026-04-01' });
    expect(slots.items.find((s) => s.id === slotId)?.placesLeft).toBe(0);
  });

  it('a citizen sees and cancels only their own booking; the partner sees it; staff see within their divisions; a cancellation frees the place', async () => {
    const slotId = await slotOn('2026-04-08', 1);
    const client = person();
    const partner = person('1992-02-02');
    const other = person();
    const booking = await service.book({ slotId, partnerResidentId: partner }, citizenOf(client), before('2026-04-08'));
    expect([booking.status, booking.clientResidentId, booking.partnerResidentId, booking.record]).toEqual([
      'BOOKED',
      `${client.slice(0, 6)}********${client.slice(14)}`,
      `${partner.slice(0, 6)}********${partner.slice(14)}`,
      null,
    ]);
    await domainErrorOf(service.book({ slotId }, citizenOf(other), before('2026-04-08')), 'CONFLICT');

    await domainErrorOf(service.get({ id: booking.id }, citizenOf(other)), 'NOT_FOUND');
    await domainErrorOf(service.cancel({ id: booking.id }, citizenOf(other), before('2026-04-08')), 'NOT_FOUND');
    expect((await service.list({}, citizenOf(other))).items).toEqual([]);
    await domainErrorOf(service.get({ id: booking.id }, elsewhere), 'NOT_FOUND');
    expect((await service.list({ fromDate: '2026-04-08', toDate: '2026-04-08' }, elsewhere)).items).toEqual([]);

    expect((await service.get({ id: booking.id }, citizenOf(partner))).id).toBe(booking.id);
    expect((await service.list({}, citizenOf(partner))).items.map((b) => b.id)).toEqual([booking.id]);
    await domainErrorOf(service.cancel({ id: booking.id }, citizenOf(partner), before('2026-04-08')), 'FORBIDDEN');
    expect((await service.list({ fromDate: '2026-04-08', toDate: '2026-04-08' }, registrar)).items.map((b) => b.id)).toEqual([booking.id]);

    const cancelled = await service.cancel({ id: booking.id }, citizenOf(client), before('2026-04-08'));
    expect(cancelled.status).toBe('CANCELLED');
    await domainErrorOf(service.cancel({ id: booking.id }, citizenOf(client), before('2026-04-08')), 'CONFLICT');
    const [event] = await dataSource.query<{ data: Record<string, unknown> }[]>(`SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = $2`, [
      CounsellingEvents.cancelled,
      `counselling-booking/${booking.id}`,
    ]);
    expect(event?.data).toEqual({ bookingId: booking.id, slotId, counsellorId: booking.counsellor.id, registryId: REGISTRY, sessionDate: '2026-04-08' });
    // Staff book the freed place on a citizen's behalf.
    const byStaff = await service.book({ slotId, clientResidentId: other }, registrar, before('2026-04-08'));
    expect((await service.get({ id: byStaff.id }, citizenOf(other))).status).toBe('BOOKED');
    await domainErrorOf(service.book({ slotId, clientResidentId: person() }, elsewhere, before('2026-04-08')), 'OUT_OF_DIVISION_SCOPE');
  });

  it('a session record with a notes field is refused (400) and nothing is written; a record of codes only is kept with its event', async () => {
    const slotId = await slotOn('2026-04-15', 2);
    const client = person();
    const booking = await service.book({ slotId, partnerResidentId: person('1991-01-01') }, citizenOf(client), before('2026-04-15'));
    const snapshot = async () => ({
      records: await count(`SELECT count(*)::int AS n FROM counselling_session_record`),
      events: await count(`SELECT count(*)::int AS n FROM outbox WHERE type = $1`, [CounsellingEvents.sessionRecorded]),
      status: (await service.get({ id: booking.id }, registrar)).status,
    });
    const unchanged = await snapshot();
    const record = { id: booking.id, kind: 'divorce-mediation', outcome: 'reconciled', durationMinutes: 90, followUpNeeded: true } as const;

    const notes = await domainErrorOf(service.recordSession({ ...record, notes: '双方因家务分工争吵，女方提到…' } as typeof record, registrar, after('2026-04-15')), 'VALIDATION_FAILED');
    expect(notes.fields?.map((f) => f.rule)).toEqual(['unrecognized_keys']);
    expect(await snapshot()).toEqual(unchanged);
    const misfit = await domainErrorOf(service.recordSession({ ...record, kind: 'premarital' }, registrar, after('2026-04-15')), 'VALIDATION_FAILED');
    expect(misfit.fields?.map((f) => [f.field, f.rule])).toEqual([['outcome', 'outcome-of-kind']]);
    await domainErrorOf(service.recordSession(record, registrar, before('2026-04-15')), 'CONFLICT');
    await domainErrorOf(service.recordSession(record, citizenOf(client), after('2026-04-15')), 'FORBIDDEN');
    await domainErrorOf(service.recordSession(record, elsewhere, after('2026-04-15')), 'NOT_FOUND');
    expect(await snapshot()).toEqual(unchanged);

    const recorded = await service.recordSession(record, registrar, after('2026-04-15'));
    expect([recorded.status, recorded.record && { ...recorded.record, recordedAt: 'x' }]).toEqual([
      'ATTENDED',
      { kind: 'divorce-mediation', outcome: 'reconciled', durationMinutes: 90, followUpNeeded: true, recordedAt: 'x' },
    ]);
    await domainErrorOf(service.recordSession(record, registrar, after('2026-04-15')), 'CONFLICT');
    const [event] = await dataSource.query<{ data: Record<string, unknown> }[]>(`SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = $2`, [
      CounsellingEvents.sessionRecorded,
      `counselling-booking/${booking.id}`,
    ]);
    expect(event?.data).toEqual({
      bookingId: booking.id,
      slotId,
      counsellorId: booking.counsellor.id,
      registryId: REGISTRY,
      sessionDate: '2026-04-15',
      kind: 'divorce-mediation',
      outcome: 'reconciled',
    });
    // No resident ID in the data of any counselling event.
    const leaked = await count(`SELECT count(*)::int AS n FROM outbox WHERE type LIKE 'civil.social-affairs.counselling.%' AND (envelope->'data')::text LIKE '%' || $1 || '%'`, [client]);
    expect(leaked).toBe(0);
    const [columns] = await dataSource.query<{ names: string[] }[]>(
      `SELECT array_agg(column_name::text ORDER BY column_name) AS names FROM information_schema.columns WHERE table_name = 'counselling_session_record'`,
    );
    expect(columns?.names).toEqual(['booking_id', 'duration_minutes', 'follow_up_needed', 'kind', 'outcome', 'recorded_at', 'recorded_by']);
  });

  it('sums a year’s sessions by kind and outcome within the caller’s divisions, with the reconciled count of divorce mediations', async () => {
    const other = uuidv7();
    await dataSource.query(`INSERT INTO marriage_registry (id, name, division_code, address, daily_capacity, is_demo) VALUES ($1, '邵东市婚姻登记处', '430521000000', '演示', 20, true)`, [other]);
    const day = '2025-06-04';
    const slotId = await slotOn(day, 10);
    const sessions: [CounsellingKind, CounsellingOutcome, number, boolean][] = [
      ['divorce-mediation', 'reconciled', 60, false],
      ['divorce-mediation', 'reconciled', 45, true],
      ['divorce-mediation', 'proceeding-with-divorce', 50, false],
      ['divorce-mediation', 'referred', 30, true],
      ['premarital', 'completed', 40, false],
      ['psychological', 'referred', 55, true],
    ];
    const held: CounsellingBookingView[] = [];
    for (const [kind, outcome, durationMinutes, followUpNeeded] of sessions) {
      const booking = await service.book({ slotId, clientResidentId: person() }, registrar, before(day));
      held.push(await service.recordSession({ id: booking.id, kind, outcome, durationMinutes, followUpNeeded }, registrar, after(day)));
    }
    // Booked but not held, or cancelled: not in the summary.
    await service.book({ slotId, clientResidentId: person() }, registrar, before(day));
    await service.cancel({ id: (await service.book({ slotId, clientResidentId: person() }, registrar, before(day))).id }, registrar, before(day));
    // Another county's session: not seen by this county's staff.
    const there = await slotOn(day, 1, other, elsewhere);
    const theirs = await service.book({ slotId: there, clientResidentId: person() }, elsewhere, before(day));
    await service.recordSession({ id: theirs.id, kind: 'divorce-mediation', outcome: 'continuing', durationMinutes: 60, followUpNeeded: true }, elsewhere, after(day));

    expect(held.every((b) => b.status === 'ATTENDED')).toBe(true);
    expect(await service.summary({ year: 2025 }, registrar)).toEqual({
      year: 2025,
      sessions: 6,
      minutes: 280,
      followUpsNeeded: 3,
      byKind: [
        { kind: 'premarital', sessions: 1, byOutcome: [{ outcome: 'completed', sessions: 1 }] },
        {
          kind: 'divorce-mediation',
          sessions: 4,
          byOutcome: [
            { outcome: 'reconciled', sessions: 2 },
            { outcome: 'proceeding-with-divorce', sessions: 1 },
            { outcome: 'referred', sessions: 1 },
          ],
        },
        { kind: 'psychological', sessions: 1, byOutcome: [{ outcome: 'referred', sessions: 1 }] },
      ],
      divorceMediation: { sessions: 4, reconciled: 2, reconciledBp: 5000 },
    });
    expect((await service.summary({ year: 2025 }, elsewhere)).divorceMediation).toEqual({ sessions: 1, reconciled: 0, reconciledBp: 0 });
    const district: Actor = { userId: 'city', kind: 'staff', roles: ['leader'], divisions: ['430500'] };
    expect((await service.summary({ year: 2025 }, district)).sessions).toBe(7);
    expect((await service.summary({ year: 2024 }, registrar)).sessions).toBe(0);
    await domainErrorOf(service.summary({ year: 2025 }, citizenOf(person())), 'FORBIDDEN');
  });
});
