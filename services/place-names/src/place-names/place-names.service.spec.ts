import type { Repository } from 'typeorm';
import { PlaceNameEvents, type Actor } from '@civil/contracts';
import type { DomainEvent, Outbox, Transaction } from '@civil/platform';
import { PlaceName } from './place-name.entity';
import { PlaceNamesHandlers } from './place-names.handlers';
import { PlaceNamesService, type NewPlaceName } from './place-names.service';
import { domainErrorOf, untouchable } from '@civil/testing';

const TOWNSHIP = '430503101000';
const INPUT: NewPlaceName = { name: '东风路', category: 'street-road-lane', divisionCode: TOWNSHIP };
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function actor(overrides: Partial<Actor> = {}): Actor {
  return { userId: 'officer-1', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503000000'], ...overrides };
}



/** An outbox whose transaction runs the work against an in-memory manager and records events. */
function recordingOutbox(options: { failSaveWith?: Error } = {}) {
  const saved: PlaceName[] = [];
  const emitted: { actor: Actor | null; events: DomainEvent<unknown>[] }[] = [];
  const tx = {
    manager: {
      create: (_entity: unknown, data: Partial<PlaceName>) => Object.assign(new PlaceName(), data),
      save: async (entity: PlaceName) => {
        if (options.failSaveWith) throw options.failSaveWith;
        entity.createdAt = new Date('2025-06-30T02:00:00.000Z');
        saved.push(entity);
        return entity;
      },
    },
    emit: async (a: Actor | null, events: DomainEvent<unknown>[]) => {
      emitted.push({ actor: a, events });
      return [];
    },
  } as unknown as Transaction;
  const outbox = { transaction: <T>(work: (t: Transaction) => Promise<T>) => work(tx) } as unknown as Outbox;
  return { outbox, saved, emitted };
}

describe('PlaceNamesService.create', () => {
  const guarded = () => new PlaceNamesService(untouchable<Repository<PlaceName>>('repository'), untouchable<Outbox>('outbox'));

  it.each<[string, Partial<Actor>]>([
    ['a clerk', { roles: ['clerk'] }],
    ['a citizen', { kind: 'citizen', roles: ['citizen'], divisions: [] }],
    ['an actor with no roles', { roles: [] }],
    ['an auditor', { roles: ['auditor', 'leader'] }],
  ])('refuses %s with FORBIDDEN before touching the database', async (_label, overrides) => {
    const error = await domainErrorOf(guarded().create(INPUT, actor(overrides)));
    expect(error.code).toBe('FORBIDDEN');
  });

  it.each<[string, string[], string]>([
    ['a sibling township', ['430503102000'], TOWNSHIP],
    ['another county', ['430502000000'], TOWNSHIP],
    ['no divisions at all', [], TOWNSHIP],
    ['the county above the officer’s township', [TOWNSHIP], '430503000000'],
  ])('refuses an officer working on %s with OUT_OF_DIVISION_SCOPE before touching the database', async (_label, divisions, target) => {
    const error = await domainErrorOf(guarded().create({ ...INPUT, divisionCode: target }, actor({ divisions })));
    expect(error.code).toBe('OUT_OF_DIVISION_SCOPE');
    expect(error.message).toContain(target);
  });

  it('refuses an admin outside its divisions too', async () => {
    expect((await domainErrorOf(guarded().create(INPUT, actor({ roles: ['admin'], divisions: ['430502000000'] })))).code).toBe('OUT_OF_DIVISION_SCOPE');
  });

  it.each<[string, Partial<Actor>]>([
    ['a place-names officer of the county', {}],
    ['a place-names officer of the township', { divisions: [TOWNSHIP] }],
    ['an admin of the county', { roles: ['admin'] }],
    ['the system actor, whatever its divisions', { userId: 'system', kind: 'system', roles: ['admin'], divisions: [] }],
  ])('lets %s record a name: saved, event emitted, view returned', async (_label, overrides) => {
    const { outbox, saved, emitted } = recordingOutbox();
    const who = actor(overrides);
    const view = await new PlaceNamesService(untouchable<Repository<PlaceName>>('repository'), outbox).create(
      { ...INPUT, pinyin: 'Dōngfēng Lù' },
      who,
    );

    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ name: '东风路', divisionCode: TOWNSHIP, status: 'standard', createdBy: who.userId, pinyin: 'Dōngfēng Lù', origin: null, locationDescription: null });
    expect(view).toEqual({
      id: expect.stringMatching(UUID_V7),
      name: '东风路',
      category: 'street-road-lane',
      divisionCode: TOWNSHIP,
      pinyin: 'Dōngfēng Lù',
      locationDescription: null,
      origin: null,
      status: 'standard',
      createdAt: '2025-06-30T02:00:00.000Z',
    });
    expect(emitted).toEqual([
      {
        actor: who,
        events: [
          {
            type: PlaceNameEvents.named,
            subject: `place-name/${view.id}`,
            divisionCode: TOWNSHIP,
            data: { nameId: view.id, name: '东风路', category: 'street-road-lane', divisionCode: TOWNSHIP, approval: { authority: null, date: null } },
          },
        ],
      },
    ]);
  });

  it('turns a unique violation into DUPLICATE_NAME', async () => {
    const { outbox } = recordingOutbox({ failSaveWith: Object.assign(new Error('duplicate key'), { code: '23505' }) });
    const error = await domainErrorOf(new PlaceNamesService(untouchable<Repository<PlaceName>>('repository'), outbox).create(INPUT, actor()));
    expect(error.code).toBe('DUPLICATE_NAME');
    expect(error.message).toBe(`"东风路" already exists in division ${TOWNSHIP}`);
  });

  it('lets other database errors through unchanged', async () => {
    const failure = Object.assign(new Error('connection reset'), { code: '08006' });
    const { outbox } = recordingOutbox({ failSaveWith: failure });
    await expect(new PlaceNamesService(untouchable<Repository<PlaceName>>('repository'), outbox).create(INPUT, actor())).rejects.toBe(failure);
  });
});

describe('PlaceNamesService reads', () => {
  const row = Object.assign(new PlaceName(), {
    id: '0190a3e2-7b1c-7d4e-8f00-123456789abc',
    name: '东风路',
    category: 'street-road-lane',
    divisionCode: TOWNSHIP,
    pinyin: null,
    locationDescription: null,
    origin: null,
    status: 'standard',
    createdAt: new Date('2025-01-02T03:04:05.000Z'),
    createdBy: 'officer-1',
  });

  it('get returns the view of a found row and NOT_FOUND otherwise', async () => {
    const repository = { findOneBy: jest.fn(async ({ id }: { id: string }) => (id === row.id ? row : null)) } as unknown as Repository<PlaceName>;
    const service = new PlaceNamesService(repository, untouchable<Outbox>('outbox'));
    expect(await service.get(row.id)).toMatchObject({ id: row.id, createdAt: '2025-01-02T03:04:05.000Z' });
    const error = await domainErrorOf(service.get('0190a3e2-7b1c-7d4e-8f00-000000000000'));
    expect(error.code).toBe('NOT_FOUND');
  });

  function recordingQueryBuilder(rows: PlaceName[]) {
    const calls: { method: string; args: unknown[] }[] = [];
    const qb: Record<string, unknown> = {};
    for (const method of ['orderBy', 'addOrderBy', 'limit', 'andWhere']) {
      qb[method] = (...args: unknown[]) => {
        calls.push({ method, args });
        return qb;
      };
    }
    qb.getMany = async () => rows;
    const repository = { createQueryBuilder: () => qb } as unknown as Repository<PlaceName>;
    return { repository, calls };
  }

  it('list orders by name, applies the limit and no filters when none are given', async () => {
    const { repository, calls } = recordingQueryBuilder([row]);
    const views = await new PlaceNamesService(repository, untouchable<Outbox>('outbox')).list({ limit: 20 });
    expect(views.map((v) => v.id)).toEqual([row.id]);
    expect(calls.filter((c) => c.method === 'andWhere')).toEqual([]);
    expect(calls).toContainEqual({ method: 'limit', args: [20] });
    expect(calls).toContainEqual({ method: 'orderBy', args: ['p.name', 'ASC'] });
  });

  it.each([
    ['东风', '东风%'],
    ['50%', '50\\%%'],
    ['a_b', 'a\\_b%'],
    ['back\\slash', 'back\\\\slash%'],
  ])('list searches the prefix %p as the LIKE pattern %p (wildcards escaped)', async (q, pattern) => {
    const { repository, calls } = recordingQueryBuilder([]);
    await new PlaceNamesService(repository, untouchable<Outbox>('outbox')).list({ limit: 50, q });
    expect(calls).toContainEqual({ method: 'andWhere', args: ['p.name LIKE :prefix', { prefix: pattern }] });
  });

  it('list filters by division code when given', async () => {
    const { repository, calls } = recordingQueryBuilder([]);
    await new PlaceNamesService(repository, untouchable<Outbox>('outbox')).list({ limit: 50, divisionCode: TOWNSHIP });
    expect(calls).toContainEqual({ method: 'andWhere', args: ['p.division_code = :division', { division: TOWNSHIP }] });
  });
});

describe('PlaceNamesHandlers.create', () => {
  it('refuses a request without an actor as UNAUTHENTICATED', async () => {
    const handlers = new PlaceNamesHandlers(untouchable<PlaceNamesService>('service'));
    const error = await domainErrorOf(handlers.create(INPUT, { subject: 'place-names.place-name.create', actor: null }));
    expect(error.code).toBe('UNAUTHENTICATED');
  });
});
