import { DivisionsService } from '../divisions/divisions.service';
import { PLACE_NAMES_MIGRATIONS } from '../data-source';
import { DataSource } from 'typeorm';
import { PlaceNameEvents, type Actor, type NewPlaceName } from '@civil/contracts';
import { Outbox, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { PlaceNamesSchema1764000001000 } from '../migrations/1764000001000-place-names';
import { GazetteerService } from './gazetteer.service';
import { SearchService } from './search.service';

/**
 * The gazetteer and its public search against real PostgreSQL. The officer covers 大祥区; the
 * township officer only 罗市镇 (430503101000).
 */
describe('GazetteerService and SearchService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let outbox: Outbox;
  let gazetteer: GazetteerService;
  let search: SearchService;
  const LUOSHI = '430503101000';
  const CENTRE = '430503001000';
  const officer: Actor = { userId: 'pn-officer', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503000000'] };
  const townshipOfficer: Actor = { userId: 'township-officer', kind: 'staff', roles: ['place-names-officer'], divisions: [LUOSHI] };
  const clerk: Actor = { userId: 'clerk', kind: 'staff', roles: ['clerk'], divisions: ['430503000000'] };

  const street = (name: string, over: Partial<NewPlaceName> = {}): NewPlaceName => ({ name, category: 'street-road-lane', divisionCode: CENTRE, ...over });

  async function counts(): Promise<{ places: number; versions: number; events: number }> {
    const [row] = await dataSource.query<{ places: number; versions: number; events: number }[]>(
      `SELECT (SELECT count(*) FROM place_name)::int AS places, (SELECT count(*) FROM place_name_version)::int AS versions, (SELECT count(*) FROM outbox)::int AS events`,
    );
    return row ?? { places: -1, versions: -1, events: -1 };
  }

  async function eventsOf(type: string, id: string): Promise<Record<string, unknown>[]> {
    const rows = await dataSource.query<{ data: Record<string, unknown> }[]>(
      `SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = $2 ORDER BY id`,
      [type, `place-name/${id}`],
    );
    return rows.map((r) => r.data);
  }

  const names = async (q: string, extra: Partial<Parameters<SearchService['search']>[0]> = {}): Promise<string[]> =>
    (await search.search({ q, limit: 20, ...extra })).items.map((hit) => hit.name);

  beforeAll(async () => {
    dataSource = new DataSource(
      serviceDataSourceOptions({
        url: await createTestDatabase('gazetteer'),
        entities: [],
        migrations: PLACE_NAMES_MIGRATIONS,
        applicationName: 'gazetteer-test',
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    outbox = new Outbox('place-names', dataSource);
    gazetteer = new GazetteerService(outbox, dataSource, new DivisionsService(outbox, dataSource));
    search = new SearchService(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  describe('records', () => {
    it('records a place with its generated romanization, its aliases and one named event', async () => {
      const place = await gazetteer.create(
        street('中心路', {
          type: '路',
          locationDescription: '东起红旗路，西至城西路',
          longitude: 111.4623,
          latitude: 27.2314,
          approvingAuthority: '邵阳市大祥区人民政府',
          approvalDate: '1985-06-01',
          origin: '以位于城区中心得名',
          aliases: [{ name: '老中街', status: 'former', validTo: '1985-06-01' }, { name: '中街', status: 'colloquial' }],
        }),
        officer,
      );
      expect(place).toMatchObject({
        name: '中心路',
        pinyin: 'Zhongxin Lu',
        pinyinEdited: false,
        type: '路',
        divisionCode: CENTRE,
        longitude: 111.4623,
        latitude: 27.2314,
        approvalDate: '1985-06-01',
        status: 'in-use',
        demo: false,
        version: 1,
      });
      expect(place.versions.map((v) => [v.name, v.status, v.validFrom, v.validTo])).toEqual([
        ['中心路', 'standard', '1985-06-01', null],
        ['老中街', 'former', null, '1985-06-01'],
        ['中街', 'colloquial', null, null],
      ]);
      expect(await eventsOf(PlaceNameEvents.named, place.id)).toEqual([
        { nameId: place.id, name: '中心路', category: 'street-road-lane', divisionCode: CENTRE, approval: { authority: '邵阳市大祥区人民政府', date: '1985-06-01' } },
      ]);
    });

    it.each<[string, Actor, string, string]>([
      ['a clerk', clerk, CENTRE, 'FORBIDDEN'],
      ['a township officer outside the township', townshipOfficer, CENTRE, 'OUT_OF_DIVISION_SCOPE'],
    ])('refuses %s and writes nothing', async (_label, actor, divisionCode, code) => {
      const before = await counts();
      expect((await domainErrorOf(gazetteer.create(street('禁行路', { divisionCode }), actor))).code).toBe(code);
      expect(await counts()).toEqual(before);
    });

    it('refuses the same standard name twice in one division and writes nothing', async () => {
      await gazetteer.create(street('红旗路'), officer);
      const before = await counts();
      expect((await domainErrorOf(gazetteer.create(street('红旗路', { aliases: [{ name: '红路', status: 'colloquial' }] }), officer))).code).toBe('DUPLICATE_NAME');
      expect(await counts()).toEqual(before);
      // …but the same name in another township is another place
      await expect(gazetteer.create(street('红旗路', { divisionCode: LUOSHI }), townshipOfficer)).resolves.toMatchObject({ divisionCode: LUOSHI });
    });

    it('corrects details under optimistic locking, keeps an edited romanization and names the corrected fields in the event', async () => {
      const place = await gazetteer.create(street('重阳街'), officer);
      expect(place.pinyin).toBe('Chongyang Jie');
      const corrected = await gazetteer.update({ id: place.id, expectedVersion: 1, pinyin: 'Chongyangjie', locationDescription: '城南' }, officer);
      expect(corrected).toMatchObject({ pinyin: 'Chongyangjie', pinyinEdited: true, locationDescription: '城南', version: 2 });
      expect(corrected.versions[0]).toMatchObject({ name: '重阳街', pinyin: 'Chongyangjie', status: 'standard' });
      expect(await eventsOf(PlaceNameEvents.corrected, place.id)).toEqual([
        { nameId: place.id, category: 'street-road-lane', divisionCode: CENTRE, fields: ['pinyin', 'locationDescription'] },
      ]);
      const stale = await domainErrorOf(gazetteer.update({ id: place.id, expectedVersion: 1, origin: '重阳节' }, officer));
      expect(stale.code).toBe('CONFLICT');
      expect((await gazetteer.get(place.id)).origin).toBeNull();
    });

    it('renames: the old name ends on the effective date and stays findable as former, the new one is standard', async () => {
      const venice = await gazetteer.create(
        { name: '东方威尼斯小区', category: 'residential-area-or-building', divisionCode: '430503003000', approvalDate: '2010-05-01' },
        officer,
      );
      await outbox.transaction((tx) =>
        gazetteer.renameWithin(
          tx,
          { placeNameId: venice.id, newName: '东方华庭', effectiveDate: '2023-08-01', approval: { authority: '邵阳市大祥区人民政府', date: '2023-07-20' } },
          officer,
        ),
      );
      const renamed = await gazetteer.get(venice.id);
      expect(renamed).toMatchObject({ name: '东方华庭', pinyin: 'Dongfanghuating', approvalDate: '2023-07-20', version: 2 });
      expect(renamed.versions.map((v) => [v.name, v.status, v.validFrom, v.validTo])).toEqual([
        ['东方华庭', 'standard', '2023-08-01', null],
        ['东方威尼斯小区', 'former', '2010-05-01', '2023-08-01'],
      ]);
      const byOldName = await search.search({ q: '东方威尼斯', limit: 20 });
      expect(byOldName.items).toEqual([expect.objectContaining({ id: venice.id, name: '东方华庭', matched: { name: '东方威尼斯小区', status: 'former', by: 'name-prefix' } })]);
      expect((await search.search({ q: '东方华庭', limit: 20 })).items[0]).toMatchObject({ id: venice.id, matched: { status: 'standard', by: 'name' } });
      expect(await eventsOf(PlaceNameEvents.renamed, venice.id)).toEqual([
        {
          nameId: venice.id,
          oldName: '东方威尼斯小区',
          newName: '东方华庭',
          category: 'residential-area-or-building',
          divisionCode: '430503003000',
          effectiveDate: '2023-08-01',
          approval: { authority: '邵阳市大祥区人民政府', date: '2023-07-20' },
        },
      ]);
      const early = await domainErrorOf(
        outbox.transaction((tx) =>
          gazetteer.renameWithin(tx, { placeNameId: venice.id, newName: '华庭', effectiveDate: '2023-08-01', approval: { authority: 'x', date: '2023-07-01' } }, officer),
        ),
      );
      expect(early.code).toBe('VALIDATION_FAILED');
      expect((await gazetteer.get(venice.id)).name).toBe('东方华庭');
    });

    it('abolishes from a date: gone from the search unless asked for, never deleted', async () => {
      const lane = await gazetteer.create(street('废弃巷'), officer);
      const abolished = await gazetteer.abolish({ id: lane.id, effectiveDate: '2024-03-01', reason: '旧城改造，巷道已拆除' }, officer);
      expect(abolished).toMatchObject({ status: 'abolished', abolishedOn: '2024-03-01' });
      expect(abolished.versions[0]).toMatchObject({ name: '废弃巷', status: 'standard', validTo: '2024-03-01' });
      expect(await names('废弃巷')).toEqual([]);
      expect(await names('废弃巷', { includeAbolished: true })).toEqual(['废弃巷']);
      expect((await domainErrorOf(gazetteer.abolish({ id: lane.id, effectiveDate: '2024-04-01', reason: '再次' }, officer))).code).toBe('CONFLICT');
      expect(await eventsOf(PlaceNameEvents.abolished, lane.id)).toHaveLength(1);
    });

    it('adds a colloquial name that is then found, and refuses the same alias twice', async () => {
      const park = await gazetteer.create({ name: '城南公园', category: 'park-or-protected-area', divisionCode: '430503007000' }, officer);
      await gazetteer.addVersion({ id: park.id, name: '南门口公园', status: 'colloquial' }, officer);
      expect((await search.search({ q: '南门口', limit: 20 })).items.map((h) => [h.name, h.matched.status])).toEqual([['城南公园', 'colloquial']]);
      expect((await domainErrorOf(gazetteer.addVersion({ id: park.id, name: '南门口公园', status: 'colloquial' }, officer))).code).toBe('DUPLICATE_NAME');
    });
  });

  describe('search', () => {
    beforeAll(async () => {
      for (const name of ['檀江路', '檀江大道', '新檀江路', '檀香巷', '学院路', '西安路']) await gazetteer.create(street(name, { divisionCode: '430503011000' }), officer);
      await gazetteer.create({ name: '檀江村', category: 'committee-seat', divisionCode: '430503202201' }, officer);
    });

    it('ranks the exact name first, then names starting with it, then names containing it', async () => {
      expect(await names('檀江路')).toEqual(['檀江路', '新檀江路']);
      expect(await names('檀江')).toEqual(['檀江村', '檀江路', '檀江大道', '新檀江路']);
    });

    it('finds by toneless pinyin, pinyin prefix and initials, whatever the case and spaces', async () => {
      expect(await names('tanjianglu')).toEqual(['檀江路']);
      expect(await names('Tan Jiang')).toEqual(['檀江村', '檀江路', '檀江大道']);
      expect(await names('TJDD')).toEqual(['檀江大道']);
      expect(await names("xi'an lu")).toEqual(['西安路']);
    });

    it('filters by category and by division (in or below it)', async () => {
      expect(await names('檀江', { category: 'committee-seat' })).toEqual(['檀江村']);
      expect(await names('檀江', { divisionCode: '430503202000' })).toEqual(['檀江村']);
      expect(await names('檀江', { divisionCode: '430503011000' })).toEqual(['檀江路', '檀江大道', '新檀江路']);
      expect(await names('檀江', { divisionCode: '430503000000' })).toHaveLength(4);
    });

    it('lists places in name order within the filters when the query is empty or only symbols', async () => {
      const listed = await names('', { category: 'committee-seat' });
      expect(listed).toEqual(['檀江村']);
      expect((await search.search({ q: '  ！？%%__ ', category: 'committee-seat', limit: 20 })).items[0]?.matched.by).toBe('browse');
    });

    it('treats LIKE wildcards and backslashes as text', async () => {
      const percent = await search.search({ q: '%', limit: 100 });
      expect(percent.query).toBe('');
      expect(percent.items.every((hit) => hit.matched.by === 'browse')).toBe(true);
      expect(percent.items).toHaveLength((await counts()).places - 1); // all but the abolished lane
      expect(await names('檀_路')).toEqual([]);
      expect(await names('檀%')).toEqual(['檀江村', '檀江路', '檀香巷', '檀江大道']);
    });

    it.each([
      ['empty', ''],
      ['very long', '檀'.repeat(1000)],
      ['symbols only', `'";--\\/*!@#$%^&*()[]{}<>?`],
      ['mixed scripts', '檀江 Road ДОМ ١٢٣ 𠮷野家 😀'],
      ['control characters', '\u0000\u0007檀江\u202e'],
      ['lone surrogate', '\ud800檀'],
      ['SQL', "檀江'; DROP TABLE place_name; --"],
    ])('never fails on odd input (%s)', async (_label, q) => {
      const result = await search.search({ q, limit: 20 });
      expect(Array.isArray(result.items)).toBe(true);
      expect(result.query.length).toBeLessThanOrEqual(100);
    });

    it('still has its tables after the odd inputs', async () => {
      expect((await counts()).places).toBeGreaterThan(10);
    });
  });
});

describe('Gazetteer migration over walking-skeleton data', () => {
  it('turns each existing place name into a standard name with its search keys and romanization', async () => {
    const dataSource = new DataSource(
      serviceDataSourceOptions({ url: await createTestDatabase('gazetteer_upgrade'), entities: [], migrations: [PlaceNamesSchema1764000001000], applicationName: 'gazetteer-upgrade-test' }),
    );
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
      await dataSource.query(
        `INSERT INTO place_name (id, name, category, division_code, created_by) VALUES ('0190a3e2-7b1c-7d4e-8f00-123456789abc', '文庭雅苑', 'residential-area-or-building', '430503003000', 'skeleton')`,
      );
      dataSource.setOptions({ migrations: PLACE_NAMES_MIGRATIONS });
      await dataSource.destroy();
      await dataSource.initialize();
      await dataSource.runMigrations();
      const search = new SearchService(dataSource);
      const found = await search.search({ q: 'wtyy', limit: 5 });
      expect(found.items).toEqual([expect.objectContaining({ name: '文庭雅苑', pinyin: 'Wentingya Yuan', status: 'in-use', matched: { name: '文庭雅苑', status: 'standard', by: 'initials' } })]);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
    }
  });
});
