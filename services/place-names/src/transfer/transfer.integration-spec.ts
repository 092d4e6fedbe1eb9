import { DivisionsService } from '../divisions/divisions.service';
import { PLACE_NAMES_MIGRATIONS } from '../data-source';
import { DataSource } from 'typeorm';
import { PlaceNameEvents, SYSTEM_ACTOR, type Actor, type PlaceNameImportReport, type PlaceNameView } from '@civil/contracts';
import { Outbox, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { GazetteerService } from '../gazetteer/gazetteer.service';
import { SearchService } from '../gazetteer/search.service';
import { PlaceNameExportService, type ExportPlaceNames } from './export.service';
import { PlaceNameImportService } from './import.service';

/**
 * Import and export of the gazetteer against real PostgreSQL. The officer covers 大祥区; the
 * township officer only 罗市镇 (430503101000). Every division code used is one the divisions
 * migration seeds (district-seed.ts), since the gazetteer only takes codes in force today.
 */
describe('PlaceNameImportService and PlaceNameExportService (PostgreSQL)', () => {
  const LUOSHI = '430503101000';
  const CENTRE = '430503001000';
  /** 蔡锷乡 and one of its demo villages (蔡锷示例村一): nothing else in the tests is recorded under 蔡锷乡. */
  const CAIE = '430503202000';
  const CAIE_VILLAGE = '430503202201';
  const HEADER = 'name,category,type,divisionCode,pinyin,locationDescription,longitude,latitude,approvingAuthority,approvalDate,origin,aliases';
  const officer: Actor = { userId: 'pn-officer', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503000000'] };
  const townshipOfficer: Actor = { userId: 'township-officer', kind: 'staff', roles: ['place-names-officer'], divisions: [LUOSHI] };
  const clerk: Actor = { userId: 'clerk', kind: 'staff', roles: ['clerk'], divisions: ['430503000000'] };

  interface Gazetteer {
    dataSource: DataSource;
    gazetteer: GazetteerService;
    search: SearchService;
    importer: PlaceNameImportService;
    exporter: PlaceNameExportService;
  }
  const opened: DataSource[] = [];
  let main: Gazetteer;

  async function openGazetteer(prefix: string): Promise<Gazetteer> {
    const dataSource = new DataSource(
      serviceDataSourceOptions({
        url: await createTestDatabase(prefix),
        entities: [],
        migrations: PLACE_NAMES_MIGRATIONS,
        applicationName: 'place-name-transfer-test',
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    opened.push(dataSource);
    const outbox = new Outbox('place-names', dataSource);
    const gazetteer = new GazetteerService(outbox, dataSource, new DivisionsService(outbox, dataSource));
    return { dataSource, gazetteer, search: new SearchService(dataSource), importer: new PlaceNameImportService(gazetteer, new DivisionsService(outbox, dataSource), outbox, dataSource), exporter: new PlaceNameExportService(dataSource) };
  }

  async function counts(dataSource = main.dataSource): Promise<{ places: number; versions: number; events: number }> {
    const [row] = await dataSource.query<{ places: number; versions: number; events: number }[]>(
      `SELECT (SELECT count(*) FROM place_name)::int AS places, (SELECT count(*) FROM place_name_version)::int AS versions, (SELECT count(*) FROM outbox)::int AS events`,
    );
    return row ?? { places: -1, versions: -1, events: -1 };
  }

  const csv = (...rows: string[]): string => `${HEADER}\n${rows.join('\n')}\n`;
  /** A CSV row of the common columns; the rest empty. */
  const row = (name: string, category: string, divisionCode: string, aliases = ''): string => `${name},${category},,${divisionCode},,,,,,,,${aliases}`;

  function accepted(report: PlaceNameImportReport): { ids: string[]; imported: number } {
    if (!report.accepted) throw new Error(`the import was rejected: ${JSON.stringify(report.errors)}`);
    return report;
  }

  /** Every page of an export, as the gateway would stream them. */
  async function download(exporter: PlaceNameExportService, format: 'csv' | 'geojson', request: ExportPlaceNames = {}, limits = { rows: 2, characters: 1_000_000 }): Promise<{ text: string; pages: number }> {
    let page = await exporter.page(format, request, limits);
    let text = page.text;
    let pages = 1;
    while (page.next !== null) {
      page = await exporter.page(format, { ...request, exportId: page.exportId, after: page.next }, limits);
      text += page.text;
      pages += 1;
    }
    return { text, pages };
  }

  /** A place as a re-import should reproduce it: everything but ids, timestamps and the edit counter. */
  function comparable(view: PlaceNameView): Record<string, unknown> {
    const { id: _id, createdAt: _created, updatedAt: _updated, version: _version, versions, ...rest } = view;
    return { ...rest, versions: versions.map(({ id: _versionId, ...v }) => v).sort((a, b) => `${a.status}${a.name}`.localeCompare(`${b.status}${b.name}`)) };
  }

  async function allPlaces(target: Gazetteer): Promise<Record<string, unknown>[]> {
    const ids = await target.dataSource.query<{ id: string }[]>(`SELECT id FROM place_name ORDER BY division_code, name`);
    return Promise.all(ids.map(async ({ id }) => comparable(await target.gazetteer.get(id))));
  }

  beforeAll(async () => {
    main = await openGazetteer('place_name_transfer');
  });

  afterAll(async () => {
    await Promise.all(opened.map((d) => d.destroy()));
  });

  describe('import', () => {
    it('refuses a file with bad rows, reporting exactly those rows, fields and reasons, and writes nothing', async () => {
      const before = await counts();
      const report = await main.importer.import(
        {
          format: 'csv',
          content: csv(
            row('罗市一路', 'street-road-lane', '430503101'),
            row('罗市二路', 'street-road-lane', '430503101'),
            row('罗市三路', 'street', '430503101'),
            row('罗市四路', 'street-road-lane', '430503101'),
            row('中心五路', 'street-road-lane', '430503001'),
            row('罗市六路', 'street-road-lane', '430503101'),
          ),
        },
        townshipOfficer,
      );
      expect(report).toEqual({
        accepted: false,
        dryRun: false,
        rows: 6,
        errors: [
          { row: 3, field: 'category', rule: 'unknown-category', message: expect.stringContaining('"street" is not a category') },
          { row: 5, field: 'divisionCode', rule: 'out-of-scope', message: expect.stringContaining(CENTRE) },
        ],
        errorsOmitted: 0,
      });
      expect(await counts()).toEqual(before);
    });

    it('refuses a row whose division code is in force nowhere, reporting it and importing nothing', async () => {
      const before = await counts();
      // 430503099000 is well-formed and inside the officer's 大祥区, but no division has it.
      const content = csv(row('存在路', 'street-road-lane', CENTRE), row('无此路', 'street-road-lane', '430503099000'));
      const expected = {
        accepted: false,
        rows: 2,
        errors: [{ row: 2, field: 'divisionCode', rule: 'division-in-force', message: expect.stringContaining('430503099000') }],
        errorsOmitted: 0,
      };
      expect(await main.importer.import({ format: 'csv', content }, officer)).toEqual({ ...expected, dryRun: false });
      expect(await main.importer.import({ format: 'csv', content, dryRun: true }, officer)).toEqual({ ...expected, dryRun: true });
      expect(await counts()).toEqual(before);
      expect(await main.dataSource.query(`SELECT name FROM place_name WHERE name IN ('存在路', '无此路')`)).toEqual([]);
    });

    it('imports a clean CSV in one go: every place, one named event each, aliases found by the search', async () => {
      const before = await counts();
      const report = accepted(
        await main.importer.import(
          {
            format: 'csv',
            content: csv(
              row('导入一路', 'street-road-lane', '430503001', 'former:老街@~2010-01-01|colloquial:一路街'),
              row('导入小区', 'residential-area-or-building', '430503001', 'abbreviation:导小'),
              row('导入公园', 'park-or-protected-area', '430503101'),
            ),
          },
          officer,
        ),
      );
      expect(report.imported).toBe(3);
      expect(await counts()).toEqual({ places: before.places + 3, versions: before.versions + 6, events: before.events + 3 });
      const events = await main.dataSource.query<{ nameId: string }[]>(
        `SELECT envelope->'data'->>'nameId' AS "nameId" FROM outbox WHERE type = $1 AND envelope->'data'->>'nameId' = ANY($2::text[]) ORDER BY id`,
        [PlaceNameEvents.named, report.ids],
      );
      expect(events.map((e) => e.nameId)).toEqual(report.ids);

      const hits = (await main.search.search({ q: '老街', limit: 20 })).items;
      expect(hits).toEqual([expect.objectContaining({ id: report.ids[0], name: '导入一路', matched: expect.objectContaining({ name: '老街', status: 'former' }) })]);
      expect((await main.search.search({ q: '导小', limit: 20 })).items[0]).toMatchObject({ id: report.ids[1], matched: { status: 'abbreviation' } });
      const first = await main.gazetteer.get(report.ids[0] ?? '');
      expect(first.versions.map((v) => [v.name, v.status, v.validTo])).toEqual(
        expect.arrayContaining([
          ['导入一路', 'standard', null],
          ['老街', 'former', '2010-01-01'],
          ['一路街', 'colloquial', null],
        ]),
      );
    });

    it('imports GeoJSON with coordinates; a feature without geometry has none', async () => {
      const report = accepted(
        await main.importer.import(
          {
            format: 'geojson',
            content: JSON.stringify({
              type: 'FeatureCollection',
              features: [
                { type: 'Feature', geometry: { type: 'Point', coordinates: [111.461234, 27.213456] }, properties: { name: '雨溪大桥', category: 'infrastructure', divisionCode: '430503001', type: '桥', aliases: [{ name: '老雨溪桥', status: 'former' }] } },
                { type: 'Feature', geometry: null, properties: { name: '雨溪水库', category: 'infrastructure', divisionCode: '430503001' } },
              ],
            }),
          },
          officer,
        ),
      );
      const [bridge, reservoir] = await Promise.all(report.ids.map((id) => main.gazetteer.get(id)));
      expect(bridge).toMatchObject({ name: '雨溪大桥', type: '桥', longitude: 111.461234, latitude: 27.213456, pinyin: 'Yuxi Daqiao', pinyinEdited: false });
      expect(reservoir).toMatchObject({ name: '雨溪水库', longitude: null, latitude: null });
    });

    it('refuses a name twice in the file, naming both rows, and a name already in the gazetteer', async () => {
      await main.gazetteer.create({ name: '已有路', category: 'street-road-lane', divisionCode: CENTRE }, officer);
      const before = await counts();
      const report = await main.importer.import(
        {
          format: 'csv',
          content: csv(
            row('重复一路', 'street-road-lane', '430503001'),
            row('重复二路', 'street-road-lane', '430503001'),
            row('已有路', 'street-road-lane', '430503001'),
            row('重复二路', 'street-road-lane', '430503001000'),
            row('重复二路', 'street-road-lane', '430503101'),
          ),
        },
        officer,
      );
      expect(report.accepted).toBe(false);
      expect(!report.accepted && report.errors).toEqual([
        { row: 2, field: 'name', rule: 'duplicate-in-file', message: expect.stringContaining('also on row 4') },
        { row: 3, field: 'name', rule: 'duplicate-in-gazetteer', message: expect.stringContaining('已有路') },
        { row: 4, field: 'name', rule: 'duplicate-in-file', message: expect.stringContaining('also on row 2') },
      ]);
      expect(await counts()).toEqual(before);
    });

    it('reports a romanization that cannot be generated and a bad one given', async () => {
      const report = await main.importer.import({ format: 'csv', content: csv('ABC路口,street-road-lane,,430503001,Lu Kou 2,,,,,,,', row('XYZ', 'other', '430503001')) }, officer);
      expect(!report.accepted && report.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
        [1, 'pinyin', 'invalid_format'],
        [2, 'pinyin', 'romanization'],
      ]);
    });

    it('a dry run validates only: the report says the file is good, nothing is written', async () => {
      const before = await counts();
      const report = await main.importer.import({ format: 'csv', content: csv(row('试运行路', 'street-road-lane', '430503001')), dryRun: true }, officer);
      expect(report).toEqual({ accepted: true, dryRun: true, rows: 1, imported: 0, ids: [] });
      expect(await counts()).toEqual(before);
      const bad = await main.importer.import({ format: 'csv', content: csv(row('试运行路', 'nope', '430503001')), dryRun: true }, officer);
      expect(bad).toMatchObject({ accepted: false, dryRun: true, errors: [{ row: 1, field: 'category' }] });
    });

    it('a duplicate that appears while the file is written rolls everything back and is reported against its row', async () => {
      const before = await counts();
      const outbox = new Outbox('place-names', main.dataSource);
      // Another officer records the second row's name between validation and writing.
      const racing = Object.create(main.gazetteer) as GazetteerService;
      let calls = 0;
      racing.recordWithin = async (tx, input, actor, options) => {
        calls += 1;
        if (calls === 2) await main.gazetteer.create({ name: input.name, category: input.category, divisionCode: input.divisionCode }, officer);
        return main.gazetteer.recordWithin(tx, input, actor, options);
      };
      const importer = new PlaceNameImportService(racing, new DivisionsService(outbox, main.dataSource), outbox, main.dataSource);
      const report = await importer.import({ format: 'csv', content: csv(row('竞争一路', 'street-road-lane', '430503001'), row('竞争二路', 'street-road-lane', '430503001'), row('竞争三路', 'street-road-lane', '430503001')) }, officer);
      expect(report).toMatchObject({ accepted: false, errors: [{ row: 2, field: 'name', rule: 'duplicate-in-gazetteer' }] });
      // Only the other officer's place (with its name and event) is there; row 1 was rolled back.
      expect(await counts()).toEqual({ places: before.places + 1, versions: before.versions + 1, events: before.events + 1 });
      expect(await main.dataSource.query(`SELECT name FROM place_name WHERE name LIKE '竞争%'`)).toEqual([{ name: '竞争二路' }]);
    });

    it('refuses an actor who may not change the gazetteer, and a file that is no CSV', async () => {
      await domainErrorOf(main.importer.import({ format: 'csv', content: csv(row('无权路', 'street-road-lane', '430503001')) }, clerk), 'FORBIDDEN');
      expect(await main.importer.import({ format: 'csv', content: 'name,category\n"open' }, officer)).toMatchObject({ accepted: false, rows: 0, errors: [{ row: 0, rule: 'csv-syntax' }] });
      expect(await main.importer.import({ format: 'csv', content: HEADER }, officer)).toMatchObject({ accepted: false, errors: [{ row: 0, rule: 'empty' }] });
    });
  });

  describe('export', () => {
    it('round-trips quotes, commas and line breaks inside CSV fields', async () => {
      const tricky = {
        locationDescription: '位于"城南", 紫薇路\r\n北侧，靠近"老"码头',
        origin: '因"原有古井"得名,\n1990年定名',
        approvingAuthority: '大祥区人民政府, 地名办',
      };
      const content = csv(
        `引号巷,street-road-lane,巷,${CAIE_VILLAGE},,"${tricky.locationDescription.replace(/"/g, '""')}",111.5,27.1,"${tricky.approvingAuthority}",2001-02-03,"${tricky.origin.replace(/"/g, '""')}",`,
      );
      const [id] = accepted(await main.importer.import({ format: 'csv', content }, officer)).ids;
      expect(await main.gazetteer.get(id ?? '')).toMatchObject({ name: '引号巷', ...tricky, longitude: 111.5, latitude: 27.1, approvalDate: '2001-02-03' });

      const { text } = await download(main.exporter, 'csv', { divisionCode: CAIE_VILLAGE });
      const copy = await openGazetteer('place_name_transfer_quotes');
      const [copied] = accepted(await copy.importer.import({ format: 'csv', content: text }, SYSTEM_ACTOR)).ids;
      expect(comparable(await copy.gazetteer.get(copied ?? ''))).toEqual(comparable(await main.gazetteer.get(id ?? '')));
    });

    it('an export imported into an empty gazetteer reproduces every record, across pages (CSV and GeoJSON)', async () => {
      // Edited romanization, coordinates, approval, origin, aliases, a renaming.
      await main.gazetteer.create(
        { name: '长乐路', category: 'street-road-lane', divisionCode: CENTRE, pinyin: 'Chang Le Lu', type: '路', longitude: 111.45, latitude: 27.23, approvingAuthority: '邵阳市人民政府', approvalDate: '1995-05-01', origin: '取长久安乐之意', aliases: [{ name: '长乐街', status: 'colloquial' }] },
        officer,
      );
      const renamed = await main.gazetteer.create({ name: '东方威尼斯小区', category: 'residential-area-or-building', divisionCode: CENTRE, approvalDate: '2005-03-01' }, officer);
      await new Outbox('place-names', main.dataSource).transaction((tx) =>
        main.gazetteer.renameWithin(tx, { placeNameId: renamed.id, newName: '东方华庭', effectiveDate: '2019-05-01', approval: { authority: '大祥区人民政府', date: '2019-05-01' } }, officer),
      );
      const expected = await allPlaces(main);

      const csvExport = await download(main.exporter, 'csv');
      expect(csvExport.pages).toBeGreaterThan(2);
      const csvCopy = await openGazetteer('place_name_transfer_csv');
      expect(accepted(await csvCopy.importer.import({ format: 'csv', content: csvExport.text }, SYSTEM_ACTOR)).imported).toBe(expected.length);
      expect(await allPlaces(csvCopy)).toEqual(expected);

      const geoExport = await download(main.exporter, 'geojson');
      const collection = JSON.parse(geoExport.text) as { type: string; features: { geometry: unknown; properties: { name: string } }[] };
      expect(collection.type).toBe('FeatureCollection');
      expect(collection.features).toHaveLength(expected.length);
      expect(collection.features.find((f) => f.properties.name === '雨溪水库')?.geometry).toBeNull();
      expect(collection.features.find((f) => f.properties.name === '长乐路')?.geometry).toEqual({ type: 'Point', coordinates: [111.45, 27.23] });
      const geoCopy = await openGazetteer('place_name_transfer_geojson');
      accepted(await geoCopy.importer.import({ format: 'geojson', content: geoExport.text }, SYSTEM_ACTOR));
      expect(await allPlaces(geoCopy)).toEqual(expected);
    });

    it('filters by category and division (in or below), leaves abolished places out unless asked', async () => {
      const abolished = await main.gazetteer.create({ name: '废止路', category: 'street-road-lane', divisionCode: '430503101000' }, officer);
      await main.gazetteer.abolish({ id: abolished.id, effectiveDate: '2024-01-01', reason: '道路拆除' }, officer);
      const namesIn = async (request: ExportPlaceNames): Promise<string[]> =>
        (JSON.parse((await download(main.exporter, 'geojson', request, { rows: 100, characters: 1_000_000 })).text) as { features: { properties: { name: string } }[] }).features
          .map((f) => f.properties.name)
          .sort();

      expect(await namesIn({ divisionCode: '430503101' })).toEqual(['导入公园']);
      expect(await namesIn({ divisionCode: '430503101', includeAbolished: true })).toEqual(['导入公园', '废止路']);
      expect(await namesIn({ category: 'infrastructure' })).toEqual(['雨溪大桥', '雨溪水库']);
      // 引号巷 is recorded at one of 蔡锷乡's villages: below the township.
      expect(await namesIn({ category: 'street-road-lane', divisionCode: CAIE })).toEqual(['引号巷']);
    });

    it('cuts pages by size as well as by rows, and an empty export is still a whole file', async () => {
      const small = await download(main.exporter, 'csv', {}, { rows: 500, characters: 1 });
      // One record a page; the abolished place is left out.
      expect(small.pages).toBe((await counts()).places - 1);
      const none = await download(main.exporter, 'geojson', { divisionCode: '430503999' });
      expect(JSON.parse(none.text)).toEqual({ type: 'FeatureCollection', features: [] });
      expect((await download(main.exporter, 'csv', { divisionCode: '430503999' })).text).toBe(`${HEADER}\r\n`);
    });
  });
});
