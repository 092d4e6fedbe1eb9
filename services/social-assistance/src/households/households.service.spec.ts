import type { DataSource } from 'typeorm';
import { SocialAssistanceEvents, type Actor } from '@civil/contracts';
import { PersonalDataCipher, type DomainEvent, type Outbox, type Transaction } from '@civil/platform';
import { HouseholdsHandlers } from './households.handlers';
import { HouseholdsService, type NewHousehold } from './households.service';
import { domainErrorOf, untouchable } from '@civil/testing';

const TOWNSHIP = '430503101000';
const HEAD_ID = '34052419800101001X';
const SPOUSE_ID = '11010519491231002X';
const HOUSEHOLD_ID = '0190a3e2-7b1c-7d4e-8f00-123456789abc';
const cipher = PersonalDataCipher.fromEnvironment({});

const INPUT: NewHousehold = {
  divisionCode: TOWNSHIP,
  urbanRural: 'rural',
  address: '东风村1组12号',
  members: [
    { name: '张三', residentId: HEAD_ID, relationship: 'head' },
    { name: '李四', residentId: SPOUSE_ID, relationship: 'spouse' },
  ],
};

function clerk(overrides: Partial<Actor> = {}): Actor {
  return { userId: 'clerk-1', kind: 'staff', roles: ['clerk'], divisions: ['430503000000'], ...overrides };
}



interface Stored {
  household?: { id: string; division_code: string; urban_rural: 'urban' | 'rural'; address: string; created_at: Date };
  members: { id: string; name: string; resident_id_hash: string; resident_id_enc: string; relationship: string }[];
}

/** An in-memory stand-in for the two tables, the outbox transaction and the data source. */
function fakeDatabase(options: { failInsertWith?: Error; stored?: Stored; unknownDivision?: boolean } = {}) {
  const stored: Stored = options.stored ?? { members: [] };
  const memberInsertParams: unknown[][] = [];
  const emitted: { actor: Actor | null; events: DomainEvent<unknown>[] }[] = [];
  const tx = {
    manager: {
      query: async (sql: string, params: unknown[]) => {
        if (options.failInsertWith) throw options.failInsertWith;
        if (sql.includes('INSERT INTO household (')) {
          const [id, division, urbanRural, address] = params as [string, string, 'urban' | 'rural', string];
          stored.household = { id, division_code: division, urban_rural: urbanRural, address, created_at: new Date('2025-06-30T01:00:00.000Z') };
        } else if (sql.includes('INSERT INTO household_history')) {
          // the change history: checked by the real-database tests
        } else if (sql.includes('INSERT INTO household_member')) {
          memberInsertParams.push(params);
          const [, ids, names, hashes, encs, relationships] = params as [string, string[], string[], string[], string[], string[]];
          ids.forEach((id, i) => stored.members.push({ id, name: names[i] ?? '', resident_id_hash: hashes[i] ?? '', resident_id_enc: encs[i] ?? '', relationship: relationships[i] ?? '' }));
        } else {
          throw new Error(`unexpected SQL: ${sql}`);
        }
        return [];
      },
    },
    emit: async (actor: Actor | null, events: DomainEvent<unknown>[]) => {
      emitted.push({ actor, events });
      return [];
    },
  } as unknown as Transaction;
  const outbox = { transaction: <T>(work: (t: Transaction) => Promise<T>) => work(tx) } as unknown as Outbox;
  const dataSource = {
    query: async (sql: string, params: unknown[]) => {
      if (sql.includes('FROM known_division')) return options.unknownDivision ? [] : [{ '?column?': 1 }];
      if (sql.includes('FROM household WHERE')) return stored.household && stored.household.id === params[0] ? [stored.household] : [];
      if (sql.includes('FROM household_member')) return stored.household?.id === params[0] ? stored.members : [];
      throw new Error(`unexpected SQL: ${sql}`);
    },
  } as unknown as DataSource;
  return { outbox, dataSource, stored, memberInsertParams, emitted };
}

describe('HouseholdsService.register', () => {
  const guarded = () => new HouseholdsService(untouchable<Outbox>('outbox'), untouchable<DataSource>('dataSource'), cipher);

  it.each<[string, Partial<Actor>]>([
    ['a citizen', { kind: 'citizen', roles: ['citizen'], divisions: [] }],
    ['a township reviewer', { roles: ['township-reviewer'] }],
    ['a district approver', { roles: ['district-approver'] }],
    ['a place-names officer', { roles: ['place-names-officer'] }],
    ['an actor with no roles', { roles: [] }],
  ])('refuses %s with FORBIDDEN before touching the database', async (_label, overrides) => {
    expect((await domainErrorOf(guarded().register(INPUT, clerk(overrides)))).code).toBe('FORBIDDEN');
  });

  it.each<[string, string[]]>([
    ['a sibling township', ['430503102000']],
    ['another county', ['430502000000']],
    ['a village of the township only', ['430503101201']],
    ['no divisions', []],
  ])('refuses a clerk of %s with OUT_OF_DIVISION_SCOPE before touching the database', async (_label, divisions) => {
    const error = await domainErrorOf(guarded().register(INPUT, clerk({ divisions })));
    expect(error.code).toBe('OUT_OF_DIVISION_SCOPE');
    expect(error.message).toBe(`division ${TOWNSHIP} is outside your scope`);
  });

  it('refuses an admin outside its divisions too', async () => {
    expect((await domainErrorOf(guarded().register(INPUT, clerk({ roles: ['admin'], divisions: ['430502000000'] })))).code).toBe('OUT_OF_DIVISION_SCOPE');
  });

  it.each<[string, Partial<Actor>]>([
    ['a clerk of the county', {}],
    ['a clerk of the township', { divisions: [TOWNSHIP] }],
    ['an admin of the county', { roles: ['admin'] }],
  ])('lets %s register: members stored with birth date and sex from the ID, event emitted, masked view returned', async (_label, overrides) => {
    const db = fakeDatabase();
    const who = clerk(overrides);
    const view = await new HouseholdsService(db.outbox, db.dataSource, cipher).register(INPUT, who);

    const [params] = db.memberInsertParams;
    expect(params?.[0]).toBe(view.id);
    expect(params?.slice(2)).toEqual([
      ['张三', '李四'],
      [cipher.lookupHash(HEAD_ID), cipher.lookupHash(SPOUSE_ID)],
      [expect.stringMatching(/^v1\./), expect.stringMatching(/^v1\./)],
      ['head', 'spouse'],
      ['1980-01-01', '1949-12-31'],
      ['male', 'female'],
    ]);
    // At rest: the lookup hash and the ciphertext, never the number.
    expect((params?.[4] as string[]).map((enc) => cipher.decrypt(enc))).toEqual([HEAD_ID, SPOUSE_ID]);
    expect(JSON.stringify(params)).not.toContain(HEAD_ID.slice(6));
    expect(db.emitted).toEqual([
      {
        actor: who,
        events: [
          {
            type: SocialAssistanceEvents.householdRegistered,
            subject: `household/${view.id}`,
            divisionCode: TOWNSHIP,
            data: { householdId: view.id, urbanRural: 'rural', persons: 2 },
          },
        ],
      },
    ]);
    expect(view).toMatchObject({ divisionCode: TOWNSHIP, urbanRural: 'rural', address: '东风村1组12号', createdAt: '2025-06-30T01:00:00.000Z' });
    expect(view.members.map((m) => [m.name, m.residentId, m.relationship, m.birthDate, m.sex])).toEqual([
      ['张三', '340524********001X', 'head', '1980-01-01', 'male'],
      ['李四', '110105********002X', 'spouse', '1949-12-31', 'female'],
    ]);
    expect(JSON.stringify(view)).not.toContain(HEAD_ID);
  });

  it('turns a unique violation (person already in a household) into CONFLICT', async () => {
    const db = fakeDatabase({ failInsertWith: Object.assign(new Error('duplicate key'), { code: '23505' }) });
    const error = await domainErrorOf(new HouseholdsService(db.outbox, db.dataSource, cipher).register(INPUT, clerk()));
    expect(error.code).toBe('CONFLICT');
  });

  it.each([
    ['a division this office does not serve', { unknownDivision: true }, TOWNSHIP],
    ['a county code instead of a township or village', {}, '430503000000'],
  ])('refuses %s as VALIDATION_FAILED naming divisionCode, writing nothing', async (_label, options, divisionCode) => {
    const db = fakeDatabase(options);
    const error = await domainErrorOf(new HouseholdsService(db.outbox, db.dataSource, cipher).register({ ...INPUT, divisionCode }, clerk()), 'VALIDATION_FAILED');
    expect(error.fields).toEqual([expect.objectContaining({ field: 'divisionCode', rule: 'unknown-division' })]);
    expect(db.stored.household).toBeUndefined();
    expect(db.emitted).toEqual([]);
  });

  it('lets other database errors through unchanged', async () => {
    const failure = Object.assign(new Error('connection reset'), { code: '08006' });
    const db = fakeDatabase({ failInsertWith: failure });
    await expect(new HouseholdsService(db.outbox, db.dataSource, cipher).register(INPUT, clerk())).rejects.toBe(failure);
  });
});

describe('HouseholdsService.get', () => {
  const stored = (): Stored => ({
    household: { id: HOUSEHOLD_ID, division_code: TOWNSHIP, urban_rural: 'urban', address: '解放路1号', created_at: new Date('2025-01-01T00:00:00.000Z') },
    members: [
      { id: 'm-1', name: '张三', resident_id_hash: cipher.lookupHash(HEAD_ID), resident_id_enc: cipher.encrypt(HEAD_ID), relationship: 'head' },
      { id: 'm-2', name: '李四', resident_id_hash: cipher.lookupHash(SPOUSE_ID), resident_id_enc: cipher.encrypt(SPOUSE_ID), relationship: 'spouse' },
    ],
  });
  const service = () => {
    const db = fakeDatabase({ stored: stored() });
    return new HouseholdsService(untouchable<Outbox>('outbox'), db.dataSource, cipher);
  };

  it.each<[string, Actor]>([
    ['a clerk in scope', clerk()],
    ['a township reviewer of the township', clerk({ roles: ['township-reviewer'], divisions: [TOWNSHIP] })],
    ['a district approver', clerk({ roles: ['district-approver'] })],
    ['a citizen who is a member', { userId: 'c-1', kind: 'citizen', roles: ['citizen'], divisions: [], residentId: SPOUSE_ID }],
  ])('shows the household to %s with masked resident IDs', async (_label, who) => {
    const view = await service().get(HOUSEHOLD_ID, who);
    expect(view.id).toBe(HOUSEHOLD_ID);
    expect(view.members.map((m) => m.residentId)).toEqual(['340524********001X', '110105********002X']);
  });

  it('shows full resident IDs to a caseworker the gateway let reveal them (personal-data:reveal)', async () => {
    const view = await service().get(HOUSEHOLD_ID, clerk({ permissions: ['personal-data:reveal'] }));
    expect(view.members.map((m) => m.residentId)).toEqual([HEAD_ID, SPOUSE_ID]);
  });

  it.each<[string, Actor]>([
    ['a clerk of another township', clerk({ divisions: ['430503102000'] })],
    ['an auditor in scope', clerk({ roles: ['auditor'] })],
    ['a citizen who is not a member', { userId: 'c-2', kind: 'citizen', roles: ['citizen'], divisions: [], residentId: '430503200001011234' }],
    ['a citizen with a clerk role and the county in scope', { userId: 'c-3', kind: 'citizen', roles: ['citizen', 'clerk'], divisions: ['430503000000'], residentId: 'x' }],
  ])('answers NOT_FOUND (not FORBIDDEN) to %s', async (_label, who) => {
    const error = await domainErrorOf(service().get(HOUSEHOLD_ID, who));
    expect(error.code).toBe('NOT_FOUND');
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    expect((await domainErrorOf(service().get('0190a3e2-7b1c-7d4e-8f00-000000000000', clerk()))).code).toBe('NOT_FOUND');
  });
});

describe('HouseholdsHandlers', () => {
  const handlers = new HouseholdsHandlers(untouchable<HouseholdsService>('service'));

  it('refuses register without an actor as UNAUTHENTICATED', async () => {
    expect((await domainErrorOf(handlers.register(INPUT, { subject: 's', actor: null }))).code).toBe('UNAUTHENTICATED');
  });

  it('refuses get without an actor as UNAUTHENTICATED', async () => {
    expect((await domainErrorOf(handlers.get({ id: HOUSEHOLD_ID }, { subject: 's', actor: null }))).code).toBe('UNAUTHENTICATED');
  });
});
