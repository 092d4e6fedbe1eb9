import { v7 as uuidv7 } from 'uuid';
import { DataSource } from 'typeorm';
import { buildResidentId } from '@civil/domain-kernel';
import { DomainError, MarriageEvents, parseOrThrow, registerMarriageSchema, type Actor, type RegisterMarriageInput } from '@civil/contracts';
import { Outbox, PersonalDataCipher } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { serviceDataSource } from '../data-source';
import { DivorceService } from '../divorce/divorce.service';
import { MarriageRegistrationService } from './marriage-registration.service';

/** Marriage registration against real PostgreSQL, with the dates chosen by the test. */
describe('MarriageRegistrationService (PostgreSQL)', () => {
  let dataSource: DataSource;
  const cipher = PersonalDataCipher.fromEnvironment(process.env);
  let service: MarriageRegistrationService;
  const REGISTRY = '0193a0a0-0000-7000-8000-000000000001';
  const registrar: Actor = { userId: 'registrar', kind: 'staff', roles: ['registrar'], divisions: ['430503'] };
  const citizenOf = (residentId: string): Actor => ({ userId: `c-${residentId}`, kind: 'citizen', roles: ['citizen'], divisions: [], residentId });

  let sequence = 100;
  /** A new man (odd sequence) or woman (even) born on the day. */
  function person(sex: 'male' | 'female', birthDate: string): string {
    sequence += 2;
    return buildResidentId('430503', birthDate, sex === 'male' ? sequence + 1 : sequence).value;
  }

  function couple(man: string, woman: string, more: Partial<RegisterMarriageInput> = {}): RegisterMarriageInput {
    return {
      registryId: REGISTRY,
      parties: [
        { name: '男方', residentId: man, hukouDivisionCode: '430503101000' },
        { name: '女方', residentId: woman, hukouDivisionCode: '430503001000' },
      ],
      declaration: { bothConsent: true, neitherMarried: true, noProhibitedKinship: true },
      ...more,
    };
  }

  async function count(table: string): Promise<number> {
    const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
    return row?.n ?? -1;
  }

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('marriage'), 8));
    await dataSource.initialize();
    await dataSource.runMigrations();
    service = new MarriageRegistrationService(new Outbox('social-affairs', dataSource), dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('books appointments up to the registry’s daily capacity under concurrency, and a cancellation frees a place', async () => {
    const small = uuidv7();
    await dataSource.query(`INSERT INTO marriage_registry (id, name, division_code, address, daily_capacity, is_demo) VALUES ($1, '小登记点', '430503010000', '演示', 3, true)`, [small]);
    const couples = Array.from({ length: 10 }, () => [person('male', '1990-01-01'), person('female', '1992-01-01')] as const);
    const results = await Promise.allSettled(couples.map(([a, b]) => service.bookAppointment({ registryId: small, onDate: '2024-05-20', partnerResidentId: b }, citizenOf(a), '2024-05-01')));
    const booked = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(booked).toHaveLength(3);
    expect(results.filter((r) => r.status === 'rejected').every((r) => r.reason instanceof DomainError && r.reason.code === 'CONFLICT')).toBe(true);
    const [day] = await dataSource.query<{ booked: number }[]>(`SELECT booked FROM marriage_appointment_day WHERE registry_id = $1`, [small]);
    expect(day?.booked).toBe(3);

    const first = booked[0];
    if (!first) throw new Error('no booking');
    const stranger = citizenOf(person('male', '1980-01-01'));
    await domainErrorOf(service.cancelAppointment(first.id, stranger), 'NOT_FOUND');
    const owner = couples.find(([a]) => first.parties[0] === `${a.slice(0, 6)}********${a.slice(14)}`)?.[0] ?? '';
    expect((await service.cancelAppointment(first.id, citizenOf(owner))).placesLeft).toBe(1);
    const [again] = couples.filter(([a]) => !booked.some((b) => b.parties[0] === `${a.slice(0, 6)}********${a.slice(14)}`));
    expect((await service.bookAppointment({ registryId: small, onDate: '2024-05-20', partnerResidentId: again?.[1] ?? '' }, citizenOf(again?.[0] ?? ''), '2024-05-01')).placesLeft).toBe(0);
    await domainErrorOf(service.bookAppointment({ registryId: small, onDate: '2024-09-20', partnerResidentId: again?.[1] ?? '' }, citizenOf(again?.[0] ?? ''), '2024-05-01'), 'VALIDATION_FAILED');
  });

  it('registers a man of exactly 22 and a woman of exactly 20 on their birthdays, issues the certificate and marks both married', async () => {
    const man = person('male', '2001-05-20');
    const woman = person('female', '2003-05-20');
    const appointment = await service.bookAppointment({ registryId: REGISTRY, onDate: '2023-05-20', partnerResidentId: woman }, citizenOf(man), '2023-05-01');
    const view = await service.register(couple(man, woman, { appointmentId: appointment.id }), registrar, '2023-05-20');
    expect(view.registeredOn).toBe('2023-05-20');
    expect(view.parties.map((p) => [p.sex, p.ageOnRegistration])).toEqual([
      ['male', 22],
      ['female', 20],
    ]);
    expect(view.certificates).toEqual([{ number: 'J430503-2023-000001', kind: 'original', issuedOn: '2023-05-20', holderResidentId: null }]);
    const statuses = await dataSource.query<{ status: string }[]>(`SELECT status FROM person_marital_status WHERE resident_id_hash = ANY($1)`, [[man, woman].map((id) => cipher.lookupHash(id))]);
    expect(statuses.map((s) => s.status)).toEqual(['married', 'married']);
    const [used] = await dataSource.query<{ status: string }[]>(`SELECT status FROM marriage_appointment WHERE id = $1`, [appointment.id]);
    expect(used?.status).toBe('USED');
    const events = await dataSource.query<{ type: string; data: Record<string, unknown> }[]>(`SELECT type, envelope->'data' AS data FROM outbox WHERE envelope->>'subject' = $1 ORDER BY id`, [
      `marriage-registration/${view.id}`,
    ]);
    expect(events).toEqual([
      { type: MarriageEvents.registered, data: { registrationId: view.id, registryDivisionCode: '430503000000', registeredOn: '2023-05-20' } },
      { type: MarriageEvents.certificateIssued, data: { certificateNumber: 'J430503-2023-000001', registrationId: view.id, kind: 'original', issuedOn: '2023-05-20', matchesRegistration: true } },
    ]);
  });

  it('refuses a party one day short of the minimum age, naming the field, and writes nothing', async () => {
    const before = { registrations: await count('marriage_registration'), outbox: await count('outbox'), statuses: await count('person_marital_status') };
    const error = await domainErrorOf(service.register(couple(person('male', '2001-05-21'), person('female', '2003-05-20')), registrar, '2023-05-20'), 'NOT_ELIGIBLE');
    expect(error.fields).toEqual([expect.objectContaining({ field: 'parties[0].residentId', rule: 'minimum-age' })]);
    expect({ registrations: await count('marriage_registration'), outbox: await count('outbox'), statuses: await count('person_marital_status') }).toEqual(before);
  });

  it('a married person cannot marry; two registrations of one person at once make one marriage', async () => {
    const man = person('male', '1990-03-03');
    await service.register(couple(man, person('female', '1991-03-03')), registrar, '2023-06-01');
    const error = await domainErrorOf(service.register(couple(man, person('female', '1992-03-03')), registrar, '2023-06-02'), 'NOT_ELIGIBLE');
    expect(error.fields?.map((f) => f.rule)).toEqual(['already-married']);

    const groom = person('male', '1990-04-04');
    const attempts = await Promise.allSettled([1, 2, 3].map(() => service.register(couple(groom, person('female', '1991-04-04')), registrar, '2023-06-03')));
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const [married] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM marriage_registration WHERE parties @> $1::jsonb`, [JSON.stringify([{ residentIdHash: cipher.lookupHash(groom) }])]);
    expect(married?.n).toBe(1);
  });

  it('jurisdiction: usual residence in Hunan counts from 2022-06-01, not before', async () => {
    const elsewhere = (man: string, woman: string): RegisterMarriageInput =>
      couple(man, woman, {
        parties: [
          { name: '男方', residentId: man, hukouDivisionCode: '440100000000', residenceDivisionCode: '430102000000' },
          { name: '女方', residentId: woman, hukouDivisionCode: '440300000000' },
        ],
      });
    const refused = await domainErrorOf(service.register(elsewhere(person('male', '1990-01-01'), person('female', '1990-01-01')), registrar, '2022-05-31'), 'NOT_ELIGIBLE');
    expect(refused.fields?.map((f) => f.rule)).toEqual(['jurisdiction']);
    expect((await service.register(elsewhere(person('male', '1990-01-01'), person('female', '1990-01-01')), registrar, '2022-06-01')).certificates[0]?.number).toBe('J430503-2022-000001');
  });

  it('reissues a certificate to one party after the archive check; each party sees only their own registration', async () => {
    const man = person('male', '1985-07-07');
    const woman = person('female', '1986-07-07');
    const registered = await service.register(couple(man, woman), registrar, '2023-07-07');
    const reissued = await service.reissue({ registrationId: registered.id, residentId: woman, archiveCheck: { archiveReference: '档案 2023-0707', matches: true } }, registrar, '2024-01-10');
    expect(reissued.certificates.map((c) => [c.number, c.kind])).toEqual([
      [registered.certificates[0]?.number, 'original'],
      ['BJ430503-2024-000001', 'reissue'],
    ]);
    await domainErrorOf(service.reissue({ registrationId: registered.id, residentId: person('male', '1970-01-01'), archiveCheck: { archiveReference: 'x', matches: true } }, registrar, '2024-01-10'), 'VALIDATION_FAILED');
    expect((await service.get(registered.id, citizenOf(woman))).id).toBe(registered.id);
    await domainErrorOf(service.get(registered.id, citizenOf(person('female', '1986-08-08'))), 'NOT_FOUND');
    await domainErrorOf(service.register(couple(person('male', '1980-01-01'), person('female', '1980-01-01')), citizenOf(man), '2023-07-07'), 'FORBIDDEN');
  });

  it('finds every marriage and divorce certificate matching its registration (100 %), and names the fields of one of each kind that does not', async () => {
    const man = person('male', '1988-02-02');
    const woman = person('female', '1989-03-03');
    const marriage = await service.register(couple(man, woman), registrar, '2023-01-05');
    const divorces = new DivorceService(new Outbox('social-affairs', dataSource), dataSource);
    const application = await divorces.apply({ registryId: REGISTRY, marriageRegistrationId: marriage.id }, registrar, '2023-02-01');
    const divorce = await divorces.register({ applicationId: application.id, bothPresent: true }, registrar, '2023-03-06');
    expect(divorce.certificateNumber).toBe('L430503-2023-000001');

    const report = await service.certificateAccuracy(2023, registrar);
    expect(report.certificates).toBeGreaterThan(4);
    expect([report.matching, report.accuracyBp, report.mismatches]).toEqual([report.certificates, 10_000, []]);
    expect(report.byKind).toEqual([
      { kind: 'marriage', certificates: report.certificates - 1, matching: report.certificates - 1, accuracyBp: 10_000 },
      { kind: 'divorce', certificates: 1, matching: 1, accuracyBp: 10_000 },
    ]);
    const [one] = await dataSource.query<{ number: string }[]>(`SELECT number FROM marriage_certificate WHERE issued_on >= '2023-01-01' AND issued_on < '2024-01-01' ORDER BY number LIMIT 1`);
    await dataSource.query(`UPDATE marriage_certificate SET particulars = jsonb_set(particulars, '{parties,1,name}', '"错名"') WHERE number = $1`, [one?.number]);
    await dataSource.query(`UPDATE divorce_application SET parties = jsonb_set(parties, '{0,name}', '"错名"') WHERE id = $1`, [application.id]);
    const after = await service.certificateAccuracy(2023, registrar);
    expect(after.mismatches).toEqual([
      { number: one?.number, kind: 'marriage', fields: ['parties[1].name'] },
      { number: 'L430503-2023-000001', kind: 'divorce', fields: ['parties[0].name'] },
    ]);
    expect(after.accuracyBp).toBeLessThan(10_000);
    expect(after.byKind.map((k) => [k.kind, k.certificates - k.matching])).toEqual([
      ['marriage', 1],
      ['divorce', 1],
    ]);
    expect(after.byKind[1]?.accuracyBp).toBe(0);
    // Outside the caller's divisions nothing is counted.
    const elsewhere: Actor = { userId: 'x', kind: 'staff', roles: ['auditor'], divisions: ['430521'] };
    expect(await service.certificateAccuracy(2023, elsewhere)).toMatchObject({ certificates: 0, accuracyBp: null, mismatches: [] });
  });

  it('names each bad field of a registration request', () => {
    const man = person('male', '1990-01-01');
    try {
      parseOrThrow(registerMarriageSchema, { ...couple(man, man), declaration: { bothConsent: true, neitherMarried: false, noProhibitedKinship: true } });
      throw new Error('expected a validation error');
    } catch (error) {
      expect(error instanceof DomainError ? error.fields?.map((f) => f.field).sort() : error).toEqual(['declaration.neitherMarried']);
    }
    try {
      parseOrThrow(registerMarriageSchema, couple(man, man));
      throw new Error('expected a validation error');
    } catch (error) {
      expect(error instanceof DomainError ? error.fields?.map((f) => f.field) : error).toEqual(['parties[1].residentId']);
    }
  });
});
