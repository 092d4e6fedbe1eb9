import { DataSource } from 'typeorm';
import { Outbox, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf, eventually } from '@civil/testing';
import { DivisionEvents, type Actor, type DivisionChangeInput, type DivisionTreeNode } from '@civil/contracts';
import { DivisionsSchema1764000040000 } from '../migrations/1764000040000-divisions';
import { CODE_IN_USE } from './divisions.domain';
import { SEED_TOWNSHIPS, seedVillageUnits, type SeedTownship } from './district-seed';
import { DivisionsService } from './divisions.service';

/**
 * 行政区划 against real PostgreSQL: the seed, the exclusion constraints, and each change kind with
 * its versions, lineage and outbox event. The tests share one database and run in order; each
 * names the dates it acts on.
 */
describe('DivisionsService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let service: DivisionsService;
  const officer: Actor = { userId: 'pn-officer', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503000000'] };
  const townshipOfficer: Actor = { userId: 'luoshi-officer', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503101000'] };
  const clerk: Actor = { userId: 'clerk', kind: 'staff', roles: ['clerk'], divisions: ['430503000000'] };
  const doc = { documentNumber: '湘政函〔2023〕12号' };

  const TOWNSHIP_CODES = [
    '430503001000', '430503002000', '430503003000', '430503004000', '430503005000', '430503006000', '430503007000',
    '430503008000', '430503009000', '430503010000', '430503011000', '430503101000', '430503202000', '430503203000',
  ];

  /** The seeded township-level unit with this code (the migration seeds from district-seed.ts). */
  function seedTownship(code: string): SeedTownship {
    const township = SEED_TOWNSHIPS.find((t) => t.code === code);
    if (!township) throw new Error(`no seeded township ${code}`);
    return township;
  }
  /** The codes of the demo communities or villages seeded under a township, in code order. */
  const seededUnder = (code: string): string[] => seedVillageUnits(seedTownship(code)).map((u) => u.code);

  interface Counts {
    divisions: number;
    versions: number;
    changes: number;
    lineage: number;
    outbox: number;
  }
  async function counts(): Promise<Counts> {
    const [row] = await dataSource.query<Counts[]>(
      `SELECT (SELECT count(*) FROM division)::int AS divisions, (SELECT count(*) FROM division_version)::int AS versions,
              (SELECT count(*) FROM division_change)::int AS changes, (SELECT count(*) FROM division_lineage)::int AS lineage,
              (SELECT count(*) FROM outbox)::int AS outbox`,
    );
    if (!row) throw new Error('no counts');
    return row;
  }

  /** Pairs of versions breaking "one code, one division at a time" or "one version per division at a time". */
  async function overlaps(): Promise<{ code: number; division: number }> {
    const [row] = await dataSource.query<{ code: number; division: number }[]>(
      `SELECT (SELECT count(*) FROM division_version a JOIN division_version b ON a.id < b.id AND a.code = b.code
                WHERE daterange(a.valid_from, a.valid_to) && daterange(b.valid_from, b.valid_to))::int AS code,
              (SELECT count(*) FROM division_version a JOIN division_version b ON a.id < b.id AND a.division_id = b.division_id
                WHERE daterange(a.valid_from, a.valid_to) && daterange(b.valid_from, b.valid_to))::int AS division`,
    );
    if (!row) throw new Error('no overlap row');
    return row;
  }

  /**
   * Lineage rows breaking "every successor is valid at its predecessor's end": the predecessor's
   * last version must end exactly at the change's effective date, and the successor must have a
   * version in force on it.
   */
  async function lineageBreaks(): Promise<unknown[]> {
    return dataSource.query(
      `SELECT l.change_id, l.predecessor_id, l.successor_id
         FROM division_lineage l JOIN division_change c ON c.id = l.change_id
        WHERE NOT EXISTS (SELECT 1 FROM division_version p WHERE p.division_id = l.predecessor_id AND p.valid_to = c.effective_date)
           OR EXISTS (SELECT 1 FROM division_version p WHERE p.division_id = l.predecessor_id AND p.valid_to > c.effective_date
                        AND NOT EXISTS (SELECT 1 FROM division_lineage s WHERE s.change_id = l.change_id AND s.successor_id = l.predecessor_id))
           OR NOT EXISTS (SELECT 1 FROM division_version s WHERE s.division_id = l.successor_id AND daterange(s.valid_from, s.valid_to) @> c.effective_date)`,
    );
  }

  async function eventOf(changeId: string): Promise<{ subject: string; divisioncode: string; actor: string; data: Record<string, unknown> }[]> {
    return dataSource.query(
      `SELECT envelope->>'subject' AS subject, envelope->>'divisioncode' AS divisioncode, envelope->>'actor' AS actor, envelope->'data' AS data
         FROM outbox WHERE type = $1 AND envelope->'data'->>'changeId' = $2`,
      [DivisionEvents.changed, changeId],
    );
  }

  function find(node: DivisionTreeNode, code: string): DivisionTreeNode | undefined {
    if (node.code === code) return node;
    for (const child of node.children) {
      const hit = find(child, code);
      if (hit) return hit;
    }
    return undefined;
  }

  async function change(input: DivisionChangeInput, actor: Actor = officer): Promise<Awaited<ReturnType<DivisionsService['change']>>> {
    return service.change(input, actor);
  }

  beforeAll(async () => {
    dataSource = new DataSource(
      serviceDataSourceOptions({
        url: await createTestDatabase('place_names_divisions'),
        entities: [],
        migrations: [DivisionsSchema1764000040000],
        applicationName: 'divisions-test',
        poolSize: 8,
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    service = new DivisionsService(new Outbox('place-names', dataSource), dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('seeds 大祥区 with its 14 township-level units, each with demo communities or villages, in force today', async () => {
    const tree = await service.tree({});
    expect(tree.root).toMatchObject({ code: '430503000000', name: '大祥区', level: 'county', urbanRural: 'urban', demo: false, validFrom: '2000-01-01', validTo: null });
    expect(tree.root.children.map((c) => c.code)).toEqual(TOWNSHIP_CODES);
    expect(tree.root.children.map((c) => c.name)).toEqual([
      '中心路街道', '红旗路街道', '城北路街道', '城西街道', '翠园街道', '百春园街道', '城南街道', '火车南站街道', '学院路街道', '雨溪街道', '檀江街道', '罗市镇', '蔡锷乡', '板桥乡',
    ]);
    const luoshi = find(tree.root, '430503101000');
    expect(luoshi).toMatchObject({ name: '罗市镇', level: 'town', urbanRural: 'rural', demo: false });
    expect(find(tree.root, '430503202000')).toMatchObject({ level: 'township', urbanRural: 'rural' });
    expect(find(tree.root, '430503001000')).toMatchObject({ level: 'street', urbanRural: 'urban' });
    let seededUnits = 0;
    for (const township of tree.root.children) {
      const units = seedVillageUnits(seedTownship(township.code));
      expect(units.length).toBeGreaterThan(0);
      seededUnits += units.length;
      // Exactly the seed's units, in force today, under the right township.
      expect(township.children.map((c) => [c.code, c.name, c.level, c.urbanRural, c.demo, c.validTo])).toEqual(
        units.map((u) => [u.code, u.name, u.level, u.urbanRural, true, null]),
      );
      const expected = township.level === 'street' ? 'community' : 'village';
      for (const child of township.children) {
        expect(child).toMatchObject({ level: expected, demo: true, urbanRural: township.urbanRural });
        expect(child.code.startsWith(township.code.slice(0, 9))).toBe(true);
        expect(child.name).toContain('示例');
        // The statistical code rule: communities 001–199, villages 201–399.
        const part = Number(child.code.slice(9));
        if (expected === 'community') expect(part >= 1 && part <= 199).toBe(true);
        else expect(part >= 201 && part <= 399).toBe(true);
      }
    }
    expect(find(tree.root, '430503001001')).toMatchObject({ name: '中心路示例社区一', level: 'community' });
    expect(find(tree.root, '430503101201')).toMatchObject({ name: '罗市示例村一', level: 'village' });
    // No demo unit anywhere but under the township-level units.
    const [demo] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM division WHERE demo`);
    expect(demo?.n).toBe(seededUnits);

    const up = await service.tree({ root: '430000000000', asOf: '2020-01-01' });
    expect(up.root.name).toBe('湖南省');
    expect(up.root.children.map((c) => c.name)).toEqual(['邵阳市']);
    expect(up.root.children[0]?.children.map((c) => c.name)).toEqual(['大祥区']);
    await domainErrorOf(service.tree({ asOf: '1999-12-31' }), 'NOT_FOUND');

    expect(await service.resolve({ code: '430503101', asOf: '2020-01-01' })).toMatchObject({
      code: '430503101000',
      name: '罗市镇',
      level: 'town',
      parent: { code: '430503000000', name: '大祥区' },
      validFrom: '2000-01-01',
      validTo: null,
    });
    expect(await service.inForce('430503010000', '2020-01-01')).toMatchObject({ code: '430503010000', name: '雨溪街道', level: 'street' });
    expect(await service.inForce('430503010000', '1999-12-31')).toBeNull();
  });

  it('has the exclusion constraints in the database itself', async () => {
    const [township] = await dataSource.query<{ division_id: string }[]>(`SELECT division_id FROM division_version WHERE code = '430503202000'`);
    const [other] = await dataSource.query<{ id: string }[]>(`SELECT id FROM division WHERE level = 'township' AND id <> $1 LIMIT 1`, [township?.division_id]);
    const insert = (divisionId: string | undefined, code: string, from: string): Promise<unknown> =>
      dataSource.query(`INSERT INTO division_version (id, division_id, code, name, urban_rural, valid_from) VALUES (gen_random_uuid(), $1, $2, '重叠', 'rural', $3)`, [divisionId, code, from]);
    await expect(insert(other?.id, '430503202000', '2020-01-01')).rejects.toMatchObject({ code: '23P01' });
    await expect(insert(township?.division_id, '430503299000', '2020-01-01')).rejects.toMatchObject({ code: '23P01' });
    await expect(insert(township?.division_id, '43050320200X', '2020-01-01')).rejects.toMatchObject({ code: '23514' });
  });

  it('refuses a create reusing a code in force, naming it, and writes nothing', async () => {
    const before = await counts();
    const refused = await domainErrorOf(change({ kind: 'create', ...doc, effectiveDate: '2024-03-01', code: '430503006000', name: '新百春园街道', parentCode: '430503', urbanRural: 'urban' }), 'CONFLICT');
    expect(refused.fields).toEqual([{ field: 'code', rule: CODE_IN_USE, message: expect.stringContaining('百春园街道') }]);
    expect(await counts()).toEqual(before);
  });

  it('maps an exclusion violation the check could not see (a concurrent writer) to CODE_IN_USE, writing nothing', async () => {
    const before = await counts();
    // Another transaction holds 430503013000 from 2023-06-01 but has not committed: the service's
    // check cannot see it, so its insert waits on the exclusion constraint and fails once the other commits.
    const other = dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    const [county] = (await other.query(`SELECT division_id FROM division_version WHERE code = '430503000000'`)) as { division_id: string }[];
    await other.query(`INSERT INTO division (id, level) VALUES ('0190a000-0000-7000-8000-000000000013', 'street')`);
    await other.query(
      `INSERT INTO division_version (id, division_id, code, name, parent_id, urban_rural, valid_from)
       VALUES (gen_random_uuid(), '0190a000-0000-7000-8000-000000000013', '430503013000', '东站街道', $1, 'urban', '2023-06-01')`,
      [county?.division_id],
    );
    const pending = domainErrorOf(change({ kind: 'create', ...doc, effectiveDate: '2023-09-01', code: '430503013000', name: '西站街道', parentCode: '430503000000', urbanRural: 'urban' }), 'CONFLICT');
    await eventually(
      async () => (await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0]?.n ?? 0,
      (n) => n > 0,
      'the create to wait on the exclusion constraint',
    );
    await other.commitTransaction();
    await other.release();
    const refused = await pending;
    expect(refused.fields).toEqual([{ field: 'code', rule: CODE_IN_USE, message: expect.stringContaining('430503013000') }]);
    expect(await counts()).toEqual({ ...before, divisions: before.divisions + 1, versions: before.versions + 1 });
  });

  it('merges 百春园街道 and 城南街道 into a new division on 2024-01-01, moving their communities, with lineage and one event', async () => {
    const before = await counts();
    const merged = await change({
      kind: 'merge',
      ...doc,
      effectiveDate: '2024-01-01',
      predecessorCodes: ['430503006000', '430503007000'],
      successor: { code: '430503012000', name: '百春城南街道', urbanRural: 'urban' },
      note: 'demo merge',
    });
    expect(merged).toMatchObject({ kind: 'merge', effectiveDate: '2024-01-01', documentNumber: doc.documentNumber, recordedBy: 'pn-officer', note: 'demo merge' });
    expect(merged.predecessors.map((p) => [p.code, p.name])).toEqual([
      ['430503006000', '百春园街道'],
      ['430503007000', '城南街道'],
    ]);
    expect(merged.successors.map((s) => [s.code, s.name])).toEqual([['430503012000', '百春城南街道']]);

    const eve = await service.tree({ asOf: '2023-12-31' });
    const baichun = find(eve.root, '430503006000');
    const chengnan = find(eve.root, '430503007000');
    expect(baichun?.children.map((c) => c.code)).toEqual(seededUnder('430503006000'));
    expect(chengnan?.children.map((c) => c.code)).toEqual(seededUnder('430503007000'));
    expect(find(eve.root, '430503012000')).toBeUndefined();
    const communities = [...(baichun?.children ?? []), ...(chengnan?.children ?? [])].map((c) => c.code).sort();

    const day = await service.tree({ asOf: '2024-01-01' });
    expect(find(day.root, '430503006000')).toBeUndefined();
    expect(find(day.root, '430503007000')).toBeUndefined();
    const successor = find(day.root, '430503012000');
    expect(successor).toMatchObject({ name: '百春城南街道', level: 'street', validFrom: '2024-01-01', validTo: null });
    expect(successor?.children.map((c) => c.code).sort()).toEqual(communities);
    expect(day.root.children.map((c) => c.code)).toContain('430503012000');

    // Two divisions end, one begins, every community of both moves (a new version each); two lineage rows; one event.
    expect(communities.length).toBeGreaterThan(0);
    expect(await counts()).toEqual({
      divisions: before.divisions + 1,
      versions: before.versions + 1 + communities.length,
      changes: before.changes + 1,
      lineage: before.lineage + 2,
      outbox: before.outbox + 1,
    });
    expect(await lineageBreaks()).toEqual([]);
    expect(await overlaps()).toEqual({ code: 0, division: 0 });

    const [event, ...more] = await eventOf(merged.id);
    expect(more).toEqual([]);
    expect(event).toEqual({
      subject: `division/${merged.successors[0]?.divisionId}`,
      divisioncode: '430503012000',
      actor: 'pn-officer',
      data: { changeId: merged.id, kind: 'merge', effectiveDate: '2024-01-01', documentNumber: doc.documentNumber, predecessors: merged.predecessors, successors: merged.successors },
    });

    const history = await service.history({ code: '430503006000' });
    expect(history.versions.map((v) => [v.name, v.validFrom, v.validTo])).toEqual([['百春园街道', '2000-01-01', '2024-01-01']]);
    expect(history.successors.map((s) => [s.code, s.kind, s.effectiveDate])).toEqual([['430503012000', 'merge', '2024-01-01']]);
    expect(history.changes.map((c) => c.kind)).toEqual(['create', 'merge']);
    const successorHistory = await service.history({ code: '430503012000' });
    expect(successorHistory.predecessors.map((p) => [p.code, p.name]).sort()).toEqual([
      ['430503006000', '百春园街道'],
      ['430503007000', '城南街道'],
    ]);
    const community = await service.history({ code: communities[0] ?? '' });
    expect(community.versions.map((v) => [v.parent?.code, v.validFrom, v.validTo])).toEqual([
      [communities[0]?.slice(0, 9) + '000', '2000-01-01', '2024-01-01'],
      ['430503012000', '2024-01-01', null],
    ]);
  });

  it('refuses a change dated on or before the current version of a division began', async () => {
    const before = await counts();
    const early = await domainErrorOf(change({ kind: 'rename', ...doc, effectiveDate: '2024-01-01', code: '430503012000', newName: '百春街道' }), 'CONFLICT');
    expect(early.fields?.[0]).toMatchObject({ field: 'effectiveDate', rule: 'after-current-version' });
    // 百春园街道 ended on 2024-01-01: a later change of it is refused.
    const ended = await domainErrorOf(change({ kind: 'rename', ...doc, effectiveDate: '2024-06-01', code: '430503006000', newName: '百春街道' }), 'NOT_FOUND');
    expect(ended.message).toContain('430503006000');
    const stale = await domainErrorOf(change({ kind: 'rename', ...doc, effectiveDate: '2023-06-01', code: '430503006000', newName: '百春街道' }), 'CONFLICT');
    expect(stale.fields?.[0]).toMatchObject({ field: 'effectiveDate', rule: 'current-version' });
    expect(await counts()).toEqual(before);
  });

  it('refuses a split that leaves a child unassigned, naming it, and writes nothing; a complete split moves the villages', async () => {
    const before = await counts();
    // 罗市镇 keeps its first two villages; the new town is to take all the others.
    const villages = seededUnder('430503101000');
    const kept = villages.slice(0, 2);
    const given = villages.slice(2);
    expect(given.length).toBeGreaterThanOrEqual(2);
    const plan = (childCodes: string[]): DivisionChangeInput => ({
      kind: 'split',
      ...doc,
      effectiveDate: '2024-03-01',
      predecessorCode: '430503101000',
      successors: [
        { existingCode: '430503101000', childCodes: kept },
        { code: '430503102000', name: '罗市新镇', urbanRural: 'rural', childCodes },
      ],
    });
    const refused = await domainErrorOf(change(plan(given.slice(0, 1))), 'VALIDATION_FAILED');
    expect(refused.fields).toEqual(given.slice(1).map((code) => ({ field: 'successors', rule: 'every-child-assigned', message: expect.stringContaining(code) })));
    expect(await counts()).toEqual(before);

    const split = await change(plan(given));
    expect(split.successors.map((s) => s.code)).toEqual(['430503101000', '430503102000']);
    const tree = await service.tree({ asOf: '2024-03-01' });
    expect(find(tree.root, '430503101000')?.children.map((c) => c.code)).toEqual(kept);
    expect(find(tree.root, '430503102000')?.children.map((c) => c.code)).toEqual(given);
    const luoshi = await service.history({ code: '430503101000' });
    expect(luoshi.versions.map((v) => [v.validFrom, v.validTo])).toEqual([
      ['2000-01-01', '2024-03-01'],
      ['2024-03-01', null],
    ]);
    expect(luoshi.successors.map((s) => s.code)).toEqual(['430503102000']);
    expect(await lineageBreaks()).toEqual([]);
    expect((await eventOf(split.id))[0]?.data).toMatchObject({ kind: 'split', predecessors: [{ code: '430503101000' }], successors: split.successors });
  });

  it('renames with history kept: the old name as of the day before, the new one from the effective date', async () => {
    const renamed = await change({ kind: 'rename', ...doc, effectiveDate: '2024-05-01', code: '430503010000', newName: '雨溪桥街道' });
    expect(renamed.predecessors).toEqual([{ divisionId: expect.any(String), code: '430503010000', name: '雨溪街道' }]);
    expect(renamed.successors).toEqual([{ divisionId: renamed.predecessors[0]?.divisionId, code: '430503010000', name: '雨溪桥街道' }]);
    expect((await service.resolve({ code: '430503010000', asOf: '2024-04-30' })).name).toBe('雨溪街道');
    expect((await service.resolve({ code: '430503010000', asOf: '2024-05-01' })).name).toBe('雨溪桥街道');
    const history = await service.history({ code: '430503010000' });
    expect(history.versions.map((v) => [v.name, v.validFrom, v.validTo])).toEqual([
      ['雨溪街道', '2000-01-01', '2024-05-01'],
      ['雨溪桥街道', '2024-05-01', null],
    ]);
    expect(history.changes.map((c) => c.kind)).toEqual(['create', 'rename']);
    expect((await eventOf(renamed.id))[0]?.data).toEqual({
      changeId: renamed.id,
      kind: 'rename',
      effectiveDate: '2024-05-01',
      documentNumber: doc.documentNumber,
      predecessors: renamed.predecessors,
      successors: renamed.successors,
    });
    await domainErrorOf(change({ kind: 'rename', ...doc, effectiveDate: '2024-06-01', code: '430503010000', newName: '雨溪桥街道' }), 'VALIDATION_FAILED');
  });

  it('recodes, and lets the old code be used again only after its holder gave it up', async () => {
    const recoded = await change({ kind: 'recode', ...doc, effectiveDate: '2024-07-01', code: '430503011000', newCode: '430503103000' });
    expect(recoded.successors[0]).toMatchObject({ code: '430503103000', name: '檀江街道' });
    expect(await service.inForce('430503103000', '2024-07-01')).toMatchObject({ name: '檀江街道', level: 'town' });
    expect(await service.inForce('430503011000', '2024-07-01')).toBeNull();
    expect(await service.inForce('430503011000', '2024-06-30')).toMatchObject({ name: '檀江街道', level: 'street' });

    const reuseEarly = await domainErrorOf(change({ kind: 'create', ...doc, effectiveDate: '2024-06-01', code: '430503011000', name: '新檀江街道', parentCode: '430503', urbanRural: 'urban' }), 'CONFLICT');
    expect(reuseEarly.fields?.[0]?.rule).toBe(CODE_IN_USE);
    const reused = await change({ kind: 'create', ...doc, effectiveDate: '2024-08-01', code: '430503011000', name: '新檀江街道', parentCode: '430503', urbanRural: 'urban' });
    expect(reused.predecessors).toEqual([]);
    expect(reused.successors[0]?.divisionId).not.toBe(recoded.successors[0]?.divisionId);
    const history = await service.history({ code: '430503011000' });
    expect(history.versions.map((v) => [v.name, v.validFrom])).toEqual([['新檀江街道', '2024-08-01']]);

    const taken = await domainErrorOf(change({ kind: 'recode', ...doc, effectiveDate: '2024-09-01', code: '430503103000', newCode: '430503001000' }), 'CONFLICT');
    expect(taken.fields?.[0]).toMatchObject({ field: 'newCode', rule: CODE_IN_USE });
    expect(await overlaps()).toEqual({ code: 0, division: 0 });
  });

  it('moves a village to another township', async () => {
    const moved = await change({ kind: 'move', ...doc, effectiveDate: '2024-04-01', code: '430503202201', newParentCode: '430503203000' });
    expect(moved.successors[0]?.code).toBe('430503202201');
    expect((await service.resolve({ code: '430503202201', asOf: '2024-04-01' })).parent?.name).toBe('板桥乡');
    expect((await service.resolve({ code: '430503202201', asOf: '2024-03-31' })).parent?.name).toBe('蔡锷乡');
    const wrongLevel = await domainErrorOf(change({ kind: 'move', ...doc, effectiveDate: '2024-05-01', code: '430503202202', newParentCode: '430503' }), 'VALIDATION_FAILED');
    expect(wrongLevel.fields?.map((f) => [f.field, f.rule])).toEqual([['newParentCode', 'parent-level']]);
  });

  it('refuses to abolish a township with villages and no successor; with a successor the villages move to it', async () => {
    const before = await counts();
    // 430503103000 (檀江, recoded) only exists from 2024-07-01: it cannot take the villages on 2024-06-15.
    const notYet = await domainErrorOf(change({ kind: 'abolish', ...doc, effectiveDate: '2024-06-15', code: '430503203000', successorCode: '430503103000' }), 'CONFLICT');
    expect(notYet.fields?.[0]).toMatchObject({ field: 'successorCode', rule: 'in-force-from-effective-date' });
    const refused = await domainErrorOf(change({ kind: 'abolish', ...doc, effectiveDate: '2024-10-01', code: '430503203000' }), 'CONFLICT');
    expect(refused.message).toContain('板桥乡');
    // Its own villages and the one moved to it on 2024-04-01.
    const banqiao = seededUnder('430503203000');
    expect(refused.message).toContain(` ${banqiao.length + 1} division(s)`);
    expect(await counts()).toEqual(before);

    const abolished = await change({ kind: 'abolish', ...doc, effectiveDate: '2024-10-01', code: '430503203000', successorCode: '430503202000' });
    expect(abolished.successors.map((s) => s.code)).toEqual(['430503202000']);
    const tree = await service.tree({ asOf: '2024-10-01' });
    expect(find(tree.root, '430503203000')).toBeUndefined();
    // 蔡锷乡's villages (430503202201 back from 板桥乡 among them) and all of 板桥乡's.
    expect(find(tree.root, '430503202000')?.children.map((c) => c.code)).toEqual([...seededUnder('430503202000'), ...banqiao]);
    expect(await lineageBreaks()).toEqual([]);

    // A village-level unit with no children may go without a successor.
    const gone = await change({ kind: 'abolish', ...doc, effectiveDate: '2024-11-01', code: '430503203204' });
    expect(gone.successors).toEqual([]);
    expect(await service.inForce('430503203204', '2024-11-01')).toBeNull();
    expect((await service.history({ code: '430503203204' })).changes.map((c) => c.kind)).toEqual(['create', 'abolish', 'abolish']);
  });

  it('refuses bad input naming each bad field, and writes nothing', async () => {
    const before = await counts();
    const bad = await domainErrorOf(
      service.change({ kind: 'create', effectiveDate: '2024-13-01', documentNumber: '', code: '43050301', name: '', parentCode: 'x', urbanRural: 'suburban' } as unknown as DivisionChangeInput, officer),
      'VALIDATION_FAILED',
    );
    expect(bad.fields?.map((f) => f.field).sort()).toEqual(['code', 'documentNumber', 'effectiveDate', 'name', 'parentCode', 'urbanRural']);
    const unknownKind = await domainErrorOf(service.change({ kind: 'annex', ...doc, effectiveDate: '2024-01-01' } as unknown as DivisionChangeInput, officer), 'VALIDATION_FAILED');
    expect(unknownKind.fields?.map((f) => f.field)).toEqual(['kind']);
    const level = await domainErrorOf(change({ kind: 'create', ...doc, effectiveDate: '2024-12-01', code: '430503301000', name: '某开发区', parentCode: '430503', urbanRural: 'urban' }), 'VALIDATION_FAILED');
    expect(level.fields?.map((f) => [f.field, f.rule])).toEqual([['code', 'level']]);
    const noParent = await domainErrorOf(change({ kind: 'create', ...doc, effectiveDate: '2024-12-01', code: '430503104201', name: '某村', parentCode: '430503104000', urbanRural: 'rural' }), 'VALIDATION_FAILED');
    expect(noParent.fields?.map((f) => [f.field, f.rule])).toEqual([['parentCode', 'in-force']]);
    expect(await counts()).toEqual(before);
  });

  it('lets only place-names officers and admins write, within their divisions; reads need nobody', async () => {
    const before = await counts();
    await domainErrorOf(change({ kind: 'rename', ...doc, effectiveDate: '2024-12-01', code: '430503001000', newName: '中心街道' }, clerk), 'FORBIDDEN');
    await domainErrorOf(change({ kind: 'rename', ...doc, effectiveDate: '2024-12-01', code: '430503001000', newName: '中心街道' }, townshipOfficer), 'OUT_OF_DIVISION_SCOPE');
    expect(await counts()).toEqual(before);
    const own = await change({ kind: 'rename', ...doc, effectiveDate: '2024-12-01', code: '430503101201', newName: '罗市示例村甲' }, townshipOfficer);
    expect(own.recordedBy).toBe('luoshi-officer');
  });

  it('lists the changes of a period and puts exactly one event per change in the outbox', async () => {
    const year = await service.changes({ from: '2024-01-01', to: '2024-12-31' });
    expect(year.items.map((c) => [c.effectiveDate, c.kind])).toEqual([
      ['2024-01-01', 'merge'],
      ['2024-03-01', 'split'],
      ['2024-04-01', 'move'],
      ['2024-05-01', 'rename'],
      ['2024-07-01', 'recode'],
      ['2024-08-01', 'create'],
      ['2024-10-01', 'abolish'],
      ['2024-11-01', 'abolish'],
      ['2024-12-01', 'rename'],
    ]);
    expect((await service.changes({ kind: 'merge' })).items).toHaveLength(1);
    const [row] = await dataSource.query<{ changes: number; events: number; unmatched: number }[]>(
      `SELECT (SELECT count(*) FROM division_change WHERE recorded_by <> 'migration')::int AS changes,
              (SELECT count(*) FROM outbox WHERE type = $1)::int AS events,
              (SELECT count(*) FROM division_change c WHERE c.recorded_by <> 'migration'
                  AND (SELECT count(*) FROM outbox o WHERE o.envelope->'data'->>'changeId' = c.id::text) <> 1)::int AS unmatched`,
      [DivisionEvents.changed],
    );
    expect(row).toEqual({ changes: 9, events: 9, unmatched: 0 });
    expect(await overlaps()).toEqual({ code: 0, division: 0 });
    expect(await lineageBreaks()).toEqual([]);
  });
});
