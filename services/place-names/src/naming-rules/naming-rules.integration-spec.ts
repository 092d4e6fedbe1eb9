import { DivisionsService } from '../divisions/divisions.service';
import { PLACE_NAMES_MIGRATIONS } from '../data-source';
import { DataSource } from 'typeorm';
import { type Actor, type CheckNameInput, type NewPlaceName } from '@civil/contracts';
import { Outbox, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { GazetteerService } from '../gazetteer/gazetteer.service';
import { NamingRulesService } from './naming-rules.service';

/**
 * The naming check against real PostgreSQL: duplicate and homophone scope (same town, another
 * town, another county), the place being renamed, and the configurable word lists.
 */
describe('NamingRulesService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let gazetteer: GazetteerService;
  let rules: NamingRulesService;
  const CENTRE = '430503001000';
  const CENTRE_COMMUNITY = '430503001004';
  const OTHER_TOWN = '430503002000';
  const LUOSHI = '430503101000';
  const OTHER_TOWNSHIP = '430503102000';
  const OTHER_COUNTY = '430502101000';
  const officer: Actor = { userId: 'pn-officer', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503000000', '430502000000'] };
  const clerk: Actor = { userId: 'clerk', kind: 'staff', roles: ['clerk'], divisions: ['430503000000'] };

  const record = async (name: string, over: Partial<NewPlaceName> = {}): Promise<string> =>
    (await gazetteer.create({ name, category: 'street-road-lane', divisionCode: CENTRE, ...over }, officer)).id;
  const check = (name: string, over: Partial<CheckNameInput> = {}) =>
    rules.check({ name, category: 'street-road-lane', divisionCode: CENTRE, ...over });
  const rulesOf = async (name: string, over: Partial<CheckNameInput> = {}): Promise<string[]> => (await check(name, over)).findings.map((f) => f.rule);

  let xingfu: string;

  beforeAll(async () => {
    dataSource = new DataSource(
      serviceDataSourceOptions({
        url: await createTestDatabase('naming_rules'),
        entities: [],
        migrations: PLACE_NAMES_MIGRATIONS,
        applicationName: 'naming-rules-test',
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    gazetteer = new GazetteerService(new Outbox('place-names', dataSource), dataSource, new DivisionsService(new Outbox('place-names', dataSource), dataSource));
    rules = new NamingRulesService(dataSource);
    xingfu = await record('幸福路');
    await record('富星路');
    await record('罗市镇', { category: 'administrative-division', divisionCode: LUOSHI });
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('refuses a street name already standard in the same town, and not in another town', async () => {
    const same = await check('幸福路');
    expect(same.passes).toBe(false);
    expect(same.findings).toEqual([
      expect.objectContaining({ rule: 'duplicate-in-scope', severity: 'error', evidence: { placeNameId: xingfu, name: '幸福路', divisionCode: CENTRE } }),
    ]);
    // a community of the same street office is the same scope
    expect(await rulesOf('幸福路', { divisionCode: CENTRE_COMMUNITY })).toEqual(['duplicate-in-scope']);
    expect(await check('幸福路', { divisionCode: OTHER_TOWN })).toEqual({ name: '幸福路', passes: true, findings: [] });
    // another category is another list of names
    expect(await rulesOf('幸福路', { category: 'residential-area-or-building' })).toEqual([]);
  });

  it('warns of a homophone in the same town only', async () => {
    const same = await check('兴福路');
    expect(same).toMatchObject({ passes: true, findings: [{ rule: 'homophone-in-scope', severity: 'warning', evidence: { placeNameId: xingfu, name: '幸福路' } }] });
    expect(await rulesOf('福星路')).toEqual(['homophone-in-scope']);
    expect(await rulesOf('兴福路', { divisionCode: OTHER_TOWN })).toEqual([]);
    expect(await rulesOf('福星路', { divisionCode: OTHER_TOWN })).toEqual([]);
  });

  it('compares township names within the county', async () => {
    expect(await rulesOf('罗市镇', { category: 'administrative-division', divisionCode: OTHER_TOWNSHIP })).toEqual(['duplicate-in-scope']);
    expect(await rulesOf('罗市镇', { category: 'administrative-division', divisionCode: OTHER_COUNTY })).toEqual([]);
  });

  it('does not count the place being renamed, nor abolished places', async () => {
    expect(await rulesOf('幸福路', { placeNameId: xingfu })).toEqual([]);
    const old = await record('长乐路', { divisionCode: OTHER_TOWN });
    expect(await rulesOf('长乐路', { divisionCode: OTHER_TOWN })).toEqual(['duplicate-in-scope']);
    await gazetteer.abolish({ id: old, effectiveDate: '2024-01-01', reason: '道路拆除' }, officer);
    expect(await rulesOf('长乐路', { divisionCode: OTHER_TOWN })).toEqual([]);
  });

  it('reads the word lists from the table: added and retired words apply from their dates', async () => {
    expect(await rulesOf('中华路')).toEqual(['forbidden-word']);
    expect(await rulesOf('东方威尼斯小区', { category: 'residential-area-or-building' })).toEqual(['foreign-word']);
    expect(await rulesOf('和美路')).toEqual([]);

    const added = await rules.changeWord({ action: 'add', word: '和美', kind: 'forbidden', note: '试点', date: '2024-03-01' }, officer);
    expect(added).toMatchObject({ word: '和美', kind: 'forbidden', note: '试点', validFrom: '2024-03-01', validTo: null });
    expect(await rulesOf('和美路', { date: '2024-03-01' })).toEqual(['forbidden-word']);
    expect(await rulesOf('和美路', { date: '2024-02-29' })).toEqual([]);
    await domainErrorOf(rules.changeWord({ action: 'add', word: '和美', kind: 'forbidden' }, officer), 'DUPLICATE_NAME');

    await domainErrorOf(rules.changeWord({ action: 'retire', word: '和美', kind: 'forbidden', date: '2024-02-01' }, officer), 'VALIDATION_FAILED');
    const retired = await rules.changeWord({ action: 'retire', word: '和美', kind: 'forbidden', date: '2024-06-01' }, officer);
    expect(retired.validTo).toBe('2024-06-01');
    expect(await rulesOf('和美路', { date: '2024-06-01' })).toEqual([]);
    expect(await rulesOf('和美路', { date: '2024-05-31' })).toEqual(['forbidden-word']);
    await domainErrorOf(rules.changeWord({ action: 'retire', word: '和美', kind: 'forbidden' }, officer), 'NOT_FOUND');

    const listed = await rules.listWords({ kind: 'forbidden' }, officer);
    expect(listed.items.map((w) => w.word)).toEqual(expect.arrayContaining(['中华', '帝', '宇宙']));
    expect(listed.items.map((w) => w.word)).not.toContain('和美');
    expect((await rules.listWords({ kind: 'forbidden', includeRetired: true }, officer)).items.map((w) => w.word)).toContain('和美');
    expect((await rules.listWords({ kind: 'foreign' }, officer)).items.map((w) => w.word)).toEqual(expect.arrayContaining(['威尼斯', '米兰']));
    await domainErrorOf(rules.listWords({}, clerk), 'FORBIDDEN');
    await domainErrorOf(rules.changeWord({ action: 'add', word: '大同', kind: 'forbidden' }, clerk), 'FORBIDDEN');
  });
});
