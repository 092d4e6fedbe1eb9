import { DataSource, type MigrationInterface } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { buildResidentId } from '@civil/domain-kernel';
import { DibaoEvents, TekunEvents, type DibaoHouseholdStartedV1, type SealedResidentId, type TekunEnrolledV1 } from '@civil/contracts';
import { PersonalDataCipher, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase } from '@civil/testing';
import { SERVICE_MIGRATIONS } from '../data-source';
import { SealedEventEnvelopes1764000063000 } from './1764000063000-sealed-event-envelopes';

/**
 * SealedEventEnvelopes1764000063000 on an outbox written before events were sealed: more
 * 低保 starts than one batch, a 特困 enrolment, an event of a type that never carried numbers, and
 * one sealed already. Afterwards no number is readable in the outbox, the sealed members open to
 * the numbers that were there, and the other envelopes are untouched.
 */
describe('migration SealedEventEnvelopes1764000063000 (PostgreSQL)', () => {
  const cipher = PersonalDataCipher.fromEnvironment(process.env);
  const STARTS = 1_003; // a full batch of 1000 and a partial one
  let url: string;
  let dataSource: DataSource;
  const memberOf = (i: number): [string, string] => [buildResidentId('430503', '1975-05-05', 100 + (i % 800)).value, buildResidentId('430503', '2010-10-10', 100 + (i % 800)).value];
  const tekunPerson = buildResidentId('430503', '1941-04-04', 21).value;
  const sealedAlready = buildResidentId('430503', '1980-08-08', 22).value;

  async function connect(migrations: (new () => MigrationInterface)[]): Promise<DataSource> {
    const ds = new DataSource(serviceDataSourceOptions({ url, entities: [], migrations, applicationName: 'sealed-events-migration-test' }));
    await ds.initialize();
    return ds;
  }

  async function insertEvent(ds: DataSource, type: string, data: object, publishedAt: string | null = '2024-01-01T00:00:00Z'): Promise<string> {
    const id = uuidv7();
    const envelope = { specversion: '1.0', id, type, source: 'social-assistance', subject: `test/${id}`, time: '2024-01-01T00:00:00Z', datacontenttype: 'application/json', divisioncode: '430503101001', actor: 'test', data };
    await ds.query(`INSERT INTO outbox (id, type, subject, envelope, published_at) VALUES ($1, $2, $3, $4, $5)`, [id, type, envelope.subject, JSON.stringify(envelope), publishedAt]);
    return id;
  }

  let tekunEventId: string;
  let otherEventId: string;
  let sealedEventId: string;
  let unpublishedId: string;

  beforeAll(async () => {
    url = await createTestDatabase('sealed_events_migration');
    const old = await connect(SERVICE_MIGRATIONS.filter((m) => m !== SealedEventEnvelopes1764000063000));
    await old.runMigrations();
    for (let i = 0; i < STARTS; i += 1) {
      const started: DibaoHouseholdStartedV1 = { householdId: uuidv7(), caseId: uuidv7(), urbanRural: 'rural', persons: 2, monthlyAmountFen: 60_000, effectivePeriod: '2023-06', memberResidentIds: memberOf(i) };
      const id = await insertEvent(old, DibaoEvents.householdStarted, started, i === 0 ? null : '2024-01-01T00:00:00Z');
      if (i === 0) unpublishedId = id;
    }
    const enrolled: TekunEnrolledV1 = { personId: uuidv7(), residentId: tekunPerson, urbanRural: 'rural', careMode: 'dispersed', selfCareLevel: 'full', monthlyAmountFen: 73_300, effectivePeriod: '2023-04', origin: 'application' };
    tekunEventId = await insertEvent(old, TekunEvents.enrolled, enrolled);
    // A type that never carried numbers keeps whatever it holds, even a field of the same name.
    otherEventId = await insertEvent(old, 'civil.social-assistance.charity-donation.received.v1', { donationId: uuidv7(), residentId: 'not-a-number' });
    const members: SealedResidentId[] = [{ hash: cipher.lookupHash(sealedAlready), enc: cipher.encrypt(sealedAlready) }];
    sealedEventId = await insertEvent(old, DibaoEvents.householdStarted, { householdId: uuidv7(), caseId: uuidv7(), urbanRural: 'urban', persons: 1, monthlyAmountFen: 70_000, effectivePeriod: '2023-07', members });
    await old.destroy();

    dataSource = await connect(SERVICE_MIGRATIONS);
    const applied = await dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(['SealedEventEnvelopes1764000063000']);
  }, 120_000);

  afterAll(async () => {
    await dataSource.destroy();
  });

  async function dataOf(id: string): Promise<Record<string, unknown>> {
    const [row] = await dataSource.query<{ data: Record<string, unknown> }[]>(`SELECT envelope->'data' AS data FROM outbox WHERE id = $1`, [id]);
    return row?.data ?? {};
  }

  it('leaves no resident ID readable anywhere in the outbox', async () => {
    const rows = await dataSource.query<{ row: string }[]>(`SELECT row_to_json(o)::text AS row FROM outbox o`);
    expect(rows).toHaveLength(STARTS + 3);
    const dump = rows.map((r) => r.row).join('\n');
    for (let i = 0; i < STARTS; i += 1) for (const id of memberOf(i)) expect(dump.includes(id.slice(6))).toBe(false);
    expect(dump.includes(tekunPerson.slice(6))).toBe(false);
    expect(dump).not.toContain('memberResidentIds');
  });

  it('seals each 低保 start’s members, in order, into hashes and ciphertexts that open to the numbers, across batches', async () => {
    const rows = await dataSource.query<{ members: SealedResidentId[]; published: boolean }[]>(
      `SELECT envelope->'data'->'members' AS members, published_at IS NOT NULL AS published FROM outbox WHERE type = $1 AND id <> $2 ORDER BY id`,
      [DibaoEvents.householdStarted, sealedEventId],
    );
    expect(rows).toHaveLength(STARTS);
    rows.forEach((row, i) => {
      expect(row.members.map((m) => cipher.unseal(m))).toEqual(memberOf(i));
      expect(row.members.map((m) => m.hash)).toEqual(memberOf(i).map((id) => cipher.lookupHash(id)));
    });
    // An envelope the relay has not published yet stays unpublished: it goes out sealed.
    const [unpublished] = await dataSource.query<{ published_at: string | null }[]>(`SELECT published_at FROM outbox WHERE id = $1`, [unpublishedId]);
    expect(unpublished?.published_at).toBeNull();
  });

  it('seals a 特困 enrolment’s resident ID and keeps its other fields', async () => {
    const data = await dataOf(tekunEventId);
    expect(data).not.toHaveProperty('residentId');
    expect(cipher.unseal(data.resident as SealedResidentId)).toBe(tekunPerson);
    expect(data).toMatchObject({ careMode: 'dispersed', monthlyAmountFen: 73_300, origin: 'application' });
  });

  it('leaves other types and envelopes sealed already as they were', async () => {
    expect(await dataOf(otherEventId)).toMatchObject({ residentId: 'not-a-number' });
    const sealed = await dataOf(sealedEventId);
    expect((sealed.members as SealedResidentId[]).map((m) => cipher.unseal(m))).toEqual([sealedAlready]);
    // Running it again finds nothing left to seal.
    const again = await dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM outbox WHERE envelope->'data' ? 'memberResidentIds' OR (type LIKE 'civil.social-assistance.tekun-person.%' AND envelope->'data' ? 'residentId')`,
    );
    expect(again[0]?.n).toBe(0);
  });
});
