import { DataSource } from 'typeorm';
import { buildResidentId } from '@civil/domain-kernel';
import { DivorceEvents, SYSTEM_ACTOR, type Actor } from '@civil/contracts';
import { Outbox, PersonalDataCipher } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { serviceDataSource } from '../data-source';
import { MarriageRegistrationService } from '../marriage/marriage-registration.service';
import { DivorceService } from './divorce.service';

/** Divorce by agreement against real PostgreSQL, with the dates chosen by the test. */
describe('DivorceService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let divorces: DivorceService;
  let marriages: MarriageRegistrationService;
  const REGISTRY = '0193a0a0-0000-7000-8000-000000000001';
  const registrar: Actor = { userId: 'registrar', kind: 'staff', roles: ['registrar'], divisions: ['430503'] };
  const citizenOf = (residentId: string): Actor => ({ userId: `c-${residentId}`, kind: 'citizen', roles: ['citizen'], divisions: [], residentId });

  let sequence = 300;
  /** A couple married on 2020-05-20; returns the registration id and both resident IDs. */
  async function married(): Promise<{ id: string; man: string; woman: string }> {
    sequence += 2;
    const man = buildResidentId('430503', '1990-01-01', sequence + 1).value;
    const woman = buildResidentId('430503', '1991-01-01', sequence).value;
    const view = await marriages.register(
      {
        registryId: REGISTRY,
        parties: [
          { name: '男', residentId: man, hukouDivisionCode: '430503101000' },
          { name: '女', residentId: woman, hukouDivisionCode: '430503101000' },
        ],
        declaration: { bothConsent: true, neitherMarried: true, noProhibitedKinship: true },
      },
      registrar,
      '2022-07-01',
    );
    return { id: view.id, man, woman };
  }

  async function statusOf(residentId: string): Promise<string | undefined> {
    const [row] = await dataSource.query<{ status: string }[]>(`SELECT status FROM person_marital_status WHERE resident_id_hash = $1`, [PersonalDataCipher.fromEnvironment(process.env).lookupHash(residentId)]);
    return row?.status;
  }

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('divorce'), 6));
    await dataSource.initialize();
    await dataSource.runMigrations();
    const outbox = new Outbox('social-affairs', dataSource);
    divorces = new DivorceService(outbox, dataSource);
    marriages = new MarriageRegistrationService(outbox, dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('cooling-off, then both appear: registered with the certificate, both divorced and free to marry again', async () => {
    const couple = await married();
    const applied = await divorces.apply({ registryId: REGISTRY, marriageRegistrationId: couple.id }, registrar, '2023-03-07');
    expect(applied).toMatchObject({ receivedOn: '2023-03-07', coolingOffEndsOn: '2023-04-06', appearByOn: '2023-05-06', status: 'COOLING_OFF', timelineProvisional: false });
    await domainErrorOf(divorces.register({ applicationId: applied.id, bothPresent: true }, registrar, '2023-04-06'), 'CONFLICT'); // still cooling off
    expect((await divorces.get(applied.id, citizenOf(couple.man), '2023-04-07')).status).toBe('AWAITING_BOTH');
    const registered = await divorces.register({ applicationId: applied.id, bothPresent: true }, registrar, '2023-04-07');
    expect(registered).toMatchObject({ status: 'REGISTERED', registeredOn: '2023-04-07', certificateNumber: 'L430503-2023-000001' });
    expect([await statusOf(couple.man), await statusOf(couple.woman)]).toEqual(['divorced', 'divorced']);
    const [event] = await dataSource.query<{ data: Record<string, unknown> }[]>(`SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = $2`, [
      DivorceEvents.registered,
      `divorce/${applied.id}`,
    ]);
    expect(event?.data).toMatchObject({ marriageRegistrationId: couple.id, registeredOn: '2023-04-07', certificateNumber: 'L430503-2023-000001' });
    await domainErrorOf(divorces.apply({ registryId: REGISTRY, marriageRegistrationId: couple.id }, registrar, '2023-05-01'), 'CONFLICT'); // no longer married
    const newPartner = buildResidentId('430503', '1993-03-03', 950).value;
    const remarried = await marriages.register(
      {
        registryId: REGISTRY,
        parties: [
          { name: '男', residentId: couple.man, hukouDivisionCode: '430503101000' },
          { name: '新', residentId: newPartner, hukouDivisionCode: '430503101000' },
        ],
        declaration: { bothConsent: true, neitherMarried: true, noProhibitedKinship: true },
      },
      registrar,
      '2023-06-01',
    );
    expect(remarried.certificates).toHaveLength(1);
    expect(await statusOf(couple.man)).toBe('married');
  });

  it('either party may withdraw during cooling-off, not after; one open application per marriage', async () => {
    const couple = await married();
    const applied = await divorces.apply({ registryId: REGISTRY, marriageRegistrationId: couple.id }, registrar, '2023-08-31');
    // Day 30 (2023-09-30) falls in the National Day holiday: cooling-off runs to 10-07, the first working day after it.
    expect([applied.coolingOffEndsOn, applied.appearByOn]).toEqual(['2023-10-07', '2023-11-06']);
    await domainErrorOf(divorces.apply({ registryId: REGISTRY, marriageRegistrationId: couple.id }, registrar, '2023-09-01'), 'CONFLICT');
    const stranger = citizenOf(buildResidentId('430503', '1980-01-01', 901).value);
    await domainErrorOf(divorces.withdraw({ applicationId: applied.id }, stranger, '2023-09-10'), 'NOT_FOUND');
    const withdrawn = await divorces.withdraw({ applicationId: applied.id }, citizenOf(couple.woman), '2023-10-07');
    expect(withdrawn).toMatchObject({ status: 'WITHDRAWN', withdrawnOn: '2023-10-07' });
    expect(await statusOf(couple.man)).toBe('married');

    const again = await divorces.apply({ registryId: REGISTRY, marriageRegistrationId: couple.id }, registrar, '2023-11-01');
    await domainErrorOf(divorces.withdraw({ applicationId: again.id }, citizenOf(couple.man), '2023-12-02'), 'CONFLICT'); // after cooling-off (12-01)
    expect((await divorces.withdraw({ applicationId: again.id, residentId: couple.man }, registrar, '2023-12-01')).status).toBe('WITHDRAWN');
  });

  it('lapses when the two do not both appear in time: the sweep records it once, with its event', async () => {
    const couple = await married();
    const applied = await divorces.apply({ registryId: REGISTRY, marriageRegistrationId: couple.id }, registrar, '2023-01-31');
    expect(applied.appearByOn).toBe('2023-04-03'); // 04-01 is a Saturday
    expect((await divorces.lapse(SYSTEM_ACTOR, '2023-04-03')).lapsed).toBe(0);
    expect((await divorces.lapse(SYSTEM_ACTOR, '2023-04-04')).lapsed).toBe(1);
    expect((await divorces.lapse(SYSTEM_ACTOR, '2023-04-05')).lapsed).toBe(0);
    expect((await divorces.get(applied.id, registrar, '2023-04-05')).status).toBe('LAPSED');
    await domainErrorOf(divorces.register({ applicationId: applied.id, bothPresent: true }, registrar, '2023-04-04'), 'CONFLICT');
    const events = await dataSource.query<{ data: { onDate: string } }[]>(`SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = $2`, [
      DivorceEvents.lapsed,
      `divorce/${applied.id}`,
    ]);
    expect(events.map((e) => e.data.onDate)).toEqual(['2023-04-04']);
    expect(await statusOf(couple.woman)).toBe('married');
    await domainErrorOf(divorces.lapse(citizenOf(couple.man), '2023-04-05'), 'FORBIDDEN');
  });
});
