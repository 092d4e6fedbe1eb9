import { randomBytes } from 'node:crypto';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { buildResidentId } from '@civil/domain-kernel';
import { DibaoEvents, createEvent, type Actor, type DibaoHouseholdStartedV1 } from '@civil/contracts';
import { Outbox, PersonalDataCipher, sealResidentId } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { applyDibaoCaseEvent } from './allowances/dibao-cases.consumer';
import { AllowancesService } from './allowances/allowances.service';
import { CemeteryService } from './cemetery/cemetery.service';
import { CounsellingService } from './counselling/counselling.service';
import { serviceDataSource } from './data-source';
import { DivorceService } from './divorce/divorce.service';
import { MarriageRegistrationService } from './marriage/marriage-registration.service';
import { ResidentIdsAtRest1764000061000 } from './migrations/1764000061000-resident-ids-at-rest';

/**
 * Issue 8 in this service: a dump of the database alone exposes no resident ID. Data written
 * through the services (marriage, divorce, counselling, cemetery, allowances and the 低保 read
 * model) leaves neither a number nor its last twelve digits in any text or JSON column; lookups
 * by number still work (through the keyed hash); a ciphertext opens only with the key. And the
 * migration turns existing plain rows into hash and ciphertext.
 */
const REGISTRY = '0193a0a0-0000-7000-8000-000000000001';
const YUXI_SITE = '0193a0a0-0000-7000-8000-0000000000c1';
const registrar: Actor = { userId: 'registrar', kind: 'staff', roles: ['registrar'], divisions: ['430503'] };
const revealing: Actor = { ...registrar, userId: 'revealer', permissions: ['personal-data:reveal'] };
const citizenOf = (residentId: string): Actor => ({ userId: `citizen-${uuidv7()}`, kind: 'citizen', roles: ['citizen'], divisions: [], residentId });
const masked = (id: string): string => `${id.slice(0, 6)}********${id.slice(14)}`;
const cipher = PersonalDataCipher.fromEnvironment(process.env);

/** Every row of every table of the schema, as JSON text (what a dump would show of its text and JSON columns). */
async function dumpSchema(dataSource: DataSource): Promise<string> {
  const tables = await dataSource.query<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await dataSource.query<{ j: string }[]>(`SELECT row_to_json(t)::text AS j FROM "${table_name}" t`);
    parts.push(`${table_name}: ${rows.map((r) => r.j).join('\n')}`);
  }
  return parts.join('\n');
}

function expectNoResidentIdsIn(dump: string, residentIds: string[]): void {
  for (const id of residentIds) {
    expect(dump.includes(id)).toBe(false);
    expect(dump.includes(id.slice(-12))).toBe(false);
    expect(dump.toUpperCase().includes(id.toUpperCase())).toBe(false);
  }
}

describe('resident IDs at rest (PostgreSQL)', () => {
  let dataSource: DataSource;
  let sequence = 300;
  /** A new man (odd sequence) or woman (even) born on the day. */
  const person = (sex: 'male' | 'female', birthDate: string): string => {
    sequence += 2;
    return buildResidentId('430503', birthDate, sex === 'male' ? sequence + 1 : sequence).value;
  };

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('resident_ids_at_rest'), 4));
    await dataSource.initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('leaves no resident ID in any table after writing through every service, and lookups by number still work', async () => {
    const outbox = new Outbox('social-affairs', dataSource);
    const marriages = new MarriageRegistrationService(outbox, dataSource, cipher);
    const divorces = new DivorceService(outbox, dataSource, cipher);
    const counselling = new CounsellingService(outbox, dataSource, cipher);
    const cemetery = new CemeteryService(outbox, dataSource, cipher);
    const allowances = new AllowancesService(outbox, dataSource, cipher);
    const used: string[] = [];
    const use = (id: string): string => {
      used.push(id);
      return id;
    };

    // Marriage: an appointment, the registration on it, a reissued certificate; a divorce application withdrawn.
    const man = use(person('male', '1995-03-14'));
    const woman = use(person('female', '1996-07-21'));
    const appointment = await marriages.bookAppointment({ registryId: REGISTRY, onDate: '2023-05-20', partnerResidentId: woman }, citizenOf(man), '2023-05-01');
    expect(appointment.parties).toEqual([masked(man), masked(woman)]);
    // One live appointment per person, found by the hash: refused as before.
    await domainErrorOf(marriages.bookAppointment({ registryId: REGISTRY, onDate: '2023-05-21', partnerResidentId: use(person('female', '1997-01-01')) }, citizenOf(man), '2023-05-01'), 'CONFLICT');
    const registered = await marriages.register(
      {
        registryId: REGISTRY,
        appointmentId: appointment.id,
        parties: [
          { name: '男方', residentId: man, hukouDivisionCode: '430503101000' },
          { name: '女方', residentId: woman, hukouDivisionCode: '430503001000' },
        ],
        declaration: { bothConsent: true, neitherMarried: true, noProhibitedKinship: true },
        registeredOn: '2023-05-20',
      },
      registrar,
      '2023-05-20',
    );
    expect(registered.parties.map((p) => [p.residentId, p.sex, p.ageOnRegistration])).toEqual([
      [masked(man), 'male', 28],
      [masked(woman), 'female', 26],
    ]);
    const reissued = await marriages.reissue({ registrationId: registered.id, residentId: woman, archiveCheck: { archiveReference: 'DA-2023-001', matches: true }, issuedOn: '2023-06-01' }, registrar, '2023-06-01');
    expect(reissued.certificates.map((c) => c.holderResidentId)).toEqual([null, masked(woman)]);
    // Found by number: the citizen sees their registration, revealed the full numbers.
    expect((await marriages.get(registered.id, citizenOf(woman))).id).toBe(registered.id);
    expect((await marriages.get(registered.id, revealing)).parties.map((p) => p.residentId)).toEqual([man, woman]);
    // Married in our records (by hash): a second marriage is refused.
    const refused = await domainErrorOf(
      marriages.register(
        {
          registryId: REGISTRY,
          parties: [
            { name: '男方', residentId: man, hukouDivisionCode: '430503101000' },
            { name: '另一女方', residentId: use(person('female', '1994-02-02')), hukouDivisionCode: '430503001000' },
          ],
          declaration: { bothConsent: true, neitherMarried: true, noProhibitedKinship: true },
          registeredOn: '2023-06-02',
        },
        registrar,
        '2023-06-02',
      ),
      'NOT_ELIGIBLE',
    );
    expect(refused.fields?.map((f) => f.rule)).toEqual(['already-married']);
    const accuracy = await marriages.certificateAccuracy(2023, registrar);
    expect(accuracy).toMatchObject({ certificates: 2, matching: 2 });

    const application = await divorces.apply({ registryId: REGISTRY, marriageRegistrationId: registered.id, receivedOn: '2023-07-03' }, registrar, '2023-07-03');
    expect(application.parties).toEqual([masked(man), masked(woman)]);
    expect((await divorces.withdraw({ applicationId: application.id }, citizenOf(woman), '2023-07-10')).status).toBe('WITHDRAWN');
    await domainErrorOf(divorces.get(application.id, citizenOf(use(person('male', '1980-01-01')))), 'NOT_FOUND');

    // Counselling: a booking with a partner, found by the citizen's number; a second booking of the slot refused.
    const counsellor = await counselling.registerCounsellor({ registryId: REGISTRY, name: '咨询师', role: 'family-counsellor' }, registrar);
    const day = await counselling.openDay({ registryId: REGISTRY, sessionDate: '2026-03-04', slots: [{ startsAt: '09:00', endsAt: '10:00', counsellorId: counsellor.id, capacity: 4 }] }, registrar, '2026-03-01');
    const slotId = day.items[0]?.id ?? '';
    const client = use(person('female', '1990-10-10'));
    const partner = use(person('male', '1989-09-09'));
    const booking = await counselling.book({ slotId, partnerResidentId: partner }, citizenOf(client), new Date('2026-03-01T02:00:00Z'));
    expect([booking.clientResidentId, booking.partnerResidentId]).toEqual([masked(client), masked(partner)]);
    expect((await counselling.list({}, citizenOf(partner))).items.map((b) => b.id)).toEqual([booking.id]);
    expect((await counselling.get({ id: booking.id }, revealing)).clientResidentId).toBe(client);
    await domainErrorOf(counselling.book({ slotId }, citizenOf(client), new Date('2026-03-01T02:00:00Z')), 'CONFLICT');

    // Cemetery: one statement as before; the visitor sees their own booking, found by hash.
    const slots = await cemetery.openSlots({ siteId: YUXI_SITE, fromDate: '2026-04-03', toDate: '2026-04-03', slots: [{ startsAt: '08:00', endsAt: '10:00', capacity: 50 }] }, registrar, '2026-04-01');
    const visitor = use(person('male', '1970-04-04'));
    const visit = await cemetery.book(
      { slotId: slots.items[0]?.id ?? '', graveNumber: '福区-1号', visitorResidentId: visitor, visitorName: '张三', mobile: '13800138000', visitors: 2 },
      registrar,
      new Date('2026-04-01T02:00:00Z'),
    );
    expect(visit.visitorResidentId).toBe(masked(visitor));
    expect((await cemetery.get({ id: visit.id }, citizenOf(visitor))).id).toBe(visit.id);
    await domainErrorOf(cemetery.get({ id: visit.id }, citizenOf(client)), 'NOT_FOUND');

    // Allowances: the 低保 read model from social assistance's event (hashes only), then a living allowance found by it.
    const holder = use(person('male', '1960-06-06'));
    const spouse = use(person('female', '1962-02-02'));
    const data: DibaoHouseholdStartedV1 = {
      householdId: uuidv7(),
      caseId: uuidv7(),
      urbanRural: 'rural',
      persons: 2,
      monthlyAmountFen: 60000,
      effectivePeriod: '2022-06',
      origin: 'import',
      members: [sealResidentId(cipher, holder), sealResidentId(cipher, spouse)],
    };
    await dataSource.transaction((manager) =>
      applyDibaoCaseEvent(
        createEvent({ source: '/civil/social-assistance', type: DibaoEvents.householdStarted, subject: `household/${data.householdId}`, divisioncode: '430503101000', actor: 'import', data }),
        manager,
        outbox,
        cipher,
      ),
    );
    const living = await allowances.enrolDisability(
      { programme: 'disability-living', residentId: holder, name: '张三', divisionCode: '430503101000', certificateNumber: `${holder}43`, decidedOn: '2023-02-01' },
      registrar,
      '2023-12-31',
    );
    expect(living.findings.find((f) => f.condition === 'dibao-household')?.met).toBe(true);
    await domainErrorOf(
      allowances.enrolDisability({ programme: 'disability-living', residentId: holder, name: '张三', divisionCode: '430503101000', certificateNumber: `${holder}43`, decidedOn: '2023-03-01' }, registrar, '2023-12-31'),
      'CONFLICT',
    );
    const notOnDibao = use(person('female', '1961-01-01'));
    await domainErrorOf(
      allowances.enrolDisability({ programme: 'disability-living', residentId: notOnDibao, name: '李四', divisionCode: '430503101000', certificateNumber: `${notOnDibao}43`, decidedOn: '2023-02-01' }, registrar, '2023-12-31'),
      'NOT_ELIGIBLE',
    );
    const child = use(buildResidentId('430503', '2012-05-10', 777).value);
    await allowances.enrolChild(
      {
        residentId: child,
        name: '小明',
        divisionCode: '430503101000',
        father: { circumstance: 'dead', evidence: '死亡证明' },
        mother: { circumstance: 'dead', evidence: '死亡证明' },
        guardian: { name: '王奶奶', relationship: '祖母' },
        decidedOn: '2023-01-10',
      },
      registrar,
      '2023-12-31',
    );
    expect(await allowances.runPayroll({ period: '2023-06', programme: 'disability-living' }, registrar, '2023-12-31')).toMatchObject({ persons: 1, amountFen: 7000 });
    expect(await allowances.runPayroll({ period: '2023-06', programme: 'orphan' }, registrar, '2023-12-31')).toMatchObject({ persons: 1, amountFen: 115000 });
    expect((await allowances.get(living.id, revealing)).residentId).toBe(holder);

    // (b) The dump: no number, no last twelve digits, anywhere.
    const dump = await dumpSchema(dataSource);
    expect(dump).toContain('cemetery_booking: {');
    expect(dump).toContain(cipher.lookupHash(visitor));
    expectNoResidentIdsIn(dump, used);
  });

  it('opens a ciphertext only with the key, and hashes under another key match nothing', async () => {
    const [row] = await dataSource.query<{ visitor_resident_id_hash: string; visitor_resident_id_enc: string }[]>(`SELECT visitor_resident_id_hash, visitor_resident_id_enc FROM cemetery_booking LIMIT 1`);
    if (!row) throw new Error('no booking');
    const number = cipher.decrypt(row.visitor_resident_id_enc);
    expect(number).toMatch(/^\d{17}[\dX]$/);
    expect(cipher.lookupHash(number)).toBe(row.visitor_resident_id_hash);
    const otherKey = new PersonalDataCipher(randomBytes(32).toString('base64'));
    expect(() => otherKey.decrypt(row.visitor_resident_id_enc)).toThrow();
    expect(otherKey.lookupHash(number)).not.toBe(row.visitor_resident_id_hash);
    // Altered by one character, it no longer opens even with the key.
    const tampered = `${row.visitor_resident_id_enc.slice(0, -2)}${row.visitor_resident_id_enc.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(() => cipher.decrypt(tampered)).toThrow();
  });
});

describe('migration 1764000061000 (resident IDs at rest) on existing plain rows', () => {
  it('replaces every number by a hash and a ciphertext of it, and keeps the rules on the hashes', async () => {
    const url = await createTestDatabase('resident_ids_migration');
    const full = serviceDataSource(url, 2);
    const previous = new DataSource({ ...full, migrations: (full.migrations as unknown[]).filter((m) => m !== ResidentIdsAtRest1764000061000) as DataSourceOptions['migrations'] });
    await previous.initialize();
    const ids = {
      a: buildResidentId('430503', '1991-01-01', 11).value,
      b: buildResidentId('430503', '1992-02-02', 12).value,
      visitor: buildResidentId('430503', '1970-03-03', 13).value,
      client: buildResidentId('430503', '1988-04-04', 14).value,
      partner: buildResidentId('430503', '1987-05-05', 15).value,
      holder: buildResidentId('430503', '1960-06-06', 16).value,
      member: buildResidentId('430503', '1961-07-07', 17).value,
    };
    const registration = uuidv7();
    const application = uuidv7();
    const cemeterySlot = uuidv7();
    const cemeteryBooking = uuidv7();
    const counsellor = uuidv7();
    const counsellingSlot = uuidv7();
    const counsellingBooking = uuidv7();
    const enrolment = uuidv7();
    const dibaoCase = uuidv7();
    try {
      await previous.runMigrations();
      const parties = JSON.stringify([
        { name: '男方', residentId: ids.a },
        { name: '女方', residentId: ids.b },
      ]);
      await previous.query(
        `INSERT INTO marriage_appointment (id, registry_id, on_date, party_a_resident_id, party_b_resident_id, status, booked_by) VALUES ($1, $2, '2023-05-20', $3, $4, 'USED', 'r')`,
        [uuidv7(), REGISTRY, ids.a, ids.b],
      );
      await previous.query(`INSERT INTO marriage_registration (id, registry_id, registered_on, parties, declaration, registered_by) VALUES ($1, $2, '2023-05-20', $3, '{}', 'r')`, [registration, REGISTRY, parties]);
      await previous.query(
        `INSERT INTO marriage_certificate (number, registration_id, kind, issued_on, holder_resident_id, particulars, archive_reference, issued_by) VALUES
           ('J430503-2023-000001', $1, 'original', '2023-05-20', NULL, $2, NULL, 'r'),
           ('BJ430503-2023-000001', $1, 'reissue', '2023-06-01', $3, $2, 'DA-1', 'r')`,
        [registration, JSON.stringify({ registeredOn: '2023-05-20', parties: JSON.parse(parties) as unknown }), ids.b],
      );
      await previous.query(`INSERT INTO person_marital_status (resident_id, status, since, registration_id) VALUES ($1, 'married', '2023-05-20', $3), ($2, 'married', '2023-05-20', $3)`, [ids.a, ids.b, registration]);
      await previous.query(
        `INSERT INTO divorce_application (id, registry_id, marriage_registration_id, parties, received_on, cooling_off_ends_on, appear_by_on, status, withdrawn_on, withdrawn_by_resident_id, recorded_by)
         VALUES ($1, $2, $3, $4, '2023-07-03', '2023-08-02', '2023-09-01', 'WITHDRAWN', '2023-07-10', $5, 'r')`,
        [application, REGISTRY, registration, parties, ids.b],
      );
      await previous.query(`INSERT INTO cemetery_slot (id, site_id, visit_date, starts_at, ends_at, capacity, booked) VALUES ($1, $2, '2026-04-03', '08:00', '10:00', 50, 1)`, [cemeterySlot, YUXI_SITE]);
      await previous.query(
        `INSERT INTO cemetery_booking (id, slot_id, booking_code, grave_number, visitor_resident_id, visitor_name, mobile, visitors) VALUES ($1, $2, 'ABCDEFGH', '福区-1号', $3, '张三', '13800138000', 1)`,
        [cemeteryBooking, cemeterySlot, ids.visitor],
      );
      await previous.query(`INSERT INTO counsellor (id, registry_id, name, role, registered_by) VALUES ($1, $2, '咨询师', 'lawyer', 'r')`, [counsellor, REGISTRY]);
      await previous.query(`INSERT INTO counselling_day (registry_id, session_date, opened_by) VALUES ($1, '2026-03-04', 'r')`, [REGISTRY]);
      await previous.query(`INSERT INTO counselling_slot (id, registry_id, session_date, starts_at, ends_at, counsellor_id, capacity, booked) VALUES ($1, $2, '2026-03-04', '09:00', '10:00', $3, 2, 1)`, [
        counsellingSlot,
        REGISTRY,
        counsellor,
      ]);
      await previous.query(`INSERT INTO counselling_booking (id, slot_id, client_resident_id, partner_resident_id, booked_by) VALUES ($1, $2, $3, $4, 'r')`, [counsellingBooking, counsellingSlot, ids.client, ids.partner]);
      await previous.query(
        `INSERT INTO allowance_enrolment (id, programme, resident_id, name, division_code, birth_date, grade, category, certificate_number, findings, decided_on, decided_by, first_period)
         VALUES ($1, 'disability-living', $2, '张三', '430503101000', '1960-06-06', 3, 'physical', $3, '[]', '2023-02-01', 'r', '2023-03')`,
        [enrolment, ids.holder, `${ids.holder}43`],
      );
      await previous.query(`INSERT INTO allowance_payment (period, programme, resident_id, enrolment_id, division_code, amount_fen) VALUES ('2023-03', 'disability-living', $1, $2, '430503101000', 7000)`, [ids.holder, enrolment]);
      await previous.query(`INSERT INTO dibao_case_view (case_id, household_id, division_code, first_period) VALUES ($1, $2, '430503101000', '2022-06')`, [dibaoCase, uuidv7()]);
      await previous.query(`INSERT INTO dibao_case_member_view (case_id, resident_id) VALUES ($1, $2), ($1, $3)`, [dibaoCase, ids.holder, ids.member]);
      expect(await dumpSchema(previous)).toContain(ids.visitor);
    } finally {
      await previous.destroy();
    }

    const current = new DataSource(full);
    await current.initialize();
    try {
      expect((await current.runMigrations()).map((m) => m.name)).toEqual(['ResidentIdsAtRest1764000061000']);
      const opens = (enc: string | null | undefined, to: string): void => {
        expect(cipher.decrypt(enc ?? '')).toBe(to);
      };
      const hashOf = (id: string): string => cipher.lookupHash(id);

      const [appointment] = await current.query<Record<string, string>[]>(`SELECT * FROM marriage_appointment`);
      expect([appointment?.['party_a_resident_id_hash'], appointment?.['party_b_resident_id_hash']]).toEqual([hashOf(ids.a), hashOf(ids.b)]);
      opens(appointment?.['party_a_resident_id_enc'], ids.a);
      opens(appointment?.['party_b_resident_id_enc'], ids.b);

      const [stored] = await current.query<{ parties: { name: string; residentIdHash: string; residentIdEnc: string }[] }[]>(`SELECT parties FROM marriage_registration`);
      expect(stored?.parties.map((p) => [p.name, p.residentIdHash, cipher.decrypt(p.residentIdEnc)])).toEqual([
        ['男方', hashOf(ids.a), ids.a],
        ['女方', hashOf(ids.b), ids.b],
      ]);
      const certificates = await current.query<{ holder_resident_id_hash: string | null; holder_resident_id_enc: string | null; particulars: { parties: { residentIdHash: string }[] } }[]>(
        `SELECT holder_resident_id_hash, holder_resident_id_enc, particulars FROM marriage_certificate ORDER BY kind`,
      );
      expect(certificates.map((c) => c.holder_resident_id_hash)).toEqual([null, hashOf(ids.b)]);
      opens(certificates[1]?.holder_resident_id_enc, ids.b);
      expect(certificates.map((c) => c.particulars.parties.map((p) => p.residentIdHash))).toEqual([
        [hashOf(ids.a), hashOf(ids.b)],
        [hashOf(ids.a), hashOf(ids.b)],
      ]);
      const statuses = await current.query<{ resident_id_hash: string; resident_id_enc: string }[]>(`SELECT resident_id_hash, resident_id_enc FROM person_marital_status`);
      expect(statuses.map((s) => cipher.decrypt(s.resident_id_enc)).sort()).toEqual([ids.a, ids.b].sort());
      expect(statuses.every((s) => s.resident_id_hash === hashOf(cipher.decrypt(s.resident_id_enc)))).toBe(true);
      const [divorce] = await current.query<{ withdrawn_by_resident_id_hash: string; withdrawn_by_resident_id_enc: string; parties: { residentIdEnc: string }[] }[]>(
        `SELECT withdrawn_by_resident_id_hash, withdrawn_by_resident_id_enc, parties FROM divorce_application`,
      );
      expect(divorce?.withdrawn_by_resident_id_hash).toBe(hashOf(ids.b));
      opens(divorce?.withdrawn_by_resident_id_enc, ids.b);
      expect(divorce?.parties.map((p) => cipher.decrypt(p.residentIdEnc))).toEqual([ids.a, ids.b]);

      const [visit] = await current.query<{ visitor_resident_id_hash: string; visitor_resident_id_enc: string }[]>(`SELECT visitor_resident_id_hash, visitor_resident_id_enc FROM cemetery_booking`);
      expect(visit?.visitor_resident_id_hash).toBe(hashOf(ids.visitor));
      opens(visit?.visitor_resident_id_enc, ids.visitor);
      const [counselled] = await current.query<Record<string, string>[]>(`SELECT * FROM counselling_booking`);
      expect([counselled?.['client_resident_id_hash'], counselled?.['partner_resident_id_hash']]).toEqual([hashOf(ids.client), hashOf(ids.partner)]);
      opens(counselled?.['client_resident_id_enc'], ids.client);
      opens(counselled?.['partner_resident_id_enc'], ids.partner);

      const [enrolled] = await current.query<Record<string, string>[]>(`SELECT * FROM allowance_enrolment`);
      expect(enrolled?.['resident_id_hash']).toBe(hashOf(ids.holder));
      opens(enrolled?.['resident_id_enc'], ids.holder);
      opens(enrolled?.['certificate_number_enc'], `${ids.holder}43`);
      const [payment] = await current.query<Record<string, string>[]>(`SELECT * FROM allowance_payment`);
      expect(payment?.['resident_id_hash']).toBe(hashOf(ids.holder));
      opens(payment?.['resident_id_enc'], ids.holder);
      const members = await current.query<{ resident_id_hash: string }[]>(`SELECT resident_id_hash FROM dibao_case_member_view ORDER BY 1`);
      expect(members.map((m) => m.resident_id_hash)).toEqual([hashOf(ids.holder), hashOf(ids.member)].sort());
      const identities = await current.query<{ resident_id_hash: string; resident_id_enc: string }[]>(`SELECT resident_id_hash, resident_id_enc FROM dibao_member_identity`);
      expect(identities.map((i) => [i.resident_id_hash, cipher.decrypt(i.resident_id_enc)]).sort()).toEqual(
        [
          [hashOf(ids.holder), ids.holder],
          [hashOf(ids.member), ids.member],
        ].sort(),
      );

      // No plain column left, and nothing of the numbers in the dump.
      const [plain] = await current.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = current_schema() AND (column_name LIKE '%resident_id' OR column_name = 'certificate_number' AND table_name = 'allowance_enrolment')`,
      );
      expect(plain?.n).toBe(0);
      expectNoResidentIdsIn(await dumpSchema(current), Object.values(ids));

      // The rules hold on the hashes: the same person cannot get a second open enrolment or be
      // both parties of an appointment; the service finds the migrated rows by number.
      const allowances = new AllowancesService(new Outbox('social-affairs', current), current, cipher);
      await domainErrorOf(
        allowances.enrolDisability({ programme: 'disability-living', residentId: ids.holder, name: '张三', divisionCode: '430503101000', certificateNumber: `${ids.holder}43`, decidedOn: '2023-05-01' }, registrar, '2023-12-31'),
        'CONFLICT',
      );
      expect((await allowances.dibaoCaseOf(current.manager, ids.member, '2023-05'))?.first_period).toBe('2022-06');
      await expect(
        current.query(
          `INSERT INTO marriage_appointment (id, registry_id, on_date, party_a_resident_id_hash, party_a_resident_id_enc, party_b_resident_id_hash, party_b_resident_id_enc, status, booked_by)
           VALUES ($1, $2, '2023-06-01', $3, $4, $3, $4, 'BOOKED', 'r')`,
          [uuidv7(), REGISTRY, hashOf(ids.a), cipher.encrypt(ids.a)],
        ),
      ).rejects.toThrow(/check constraint/);
      const counselling = new CounsellingService(new Outbox('social-affairs', current), current, cipher);
      expect((await counselling.get({ id: counsellingBooking }, citizenOf(ids.partner))).clientResidentId).toBe(masked(ids.client));
    } finally {
      await current.destroy();
    }
  });
});
