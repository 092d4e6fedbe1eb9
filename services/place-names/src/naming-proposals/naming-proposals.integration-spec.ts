import { DivisionsService } from '../divisions/divisions.service';
import { PLACE_NAMES_MIGRATIONS } from '../data-source';
import { DataSource } from 'typeorm';
import {
  NamingProposalEvents,
  PlaceNameEvents,
  parseOrThrow,
  submitNamingProposalSchema,
  type Actor,
  type NamingProposalView,
  type NewPlaceName,
  type SubmitNamingProposalInput,
} from '@civil/contracts';
import { Outbox, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { GazetteerService } from '../gazetteer/gazetteer.service';
import { SearchService } from '../gazetteer/search.service';
import { NamingRulesService } from '../naming-rules/naming-rules.service';
import { NamingProposalsService } from './naming-proposals.service';

/**
 * Naming and renaming end to end against real PostgreSQL: submit (rule check) → review by
 * another officer → approval (rule check again) → announcement applying it to the gazetteer in
 * the same transaction. Officers and the approver cover 大祥区; the town officer only 罗市镇.
 */
describe('NamingProposalsService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let gazetteer: GazetteerService;
  let search: SearchService;
  let rules: NamingRulesService;
  let proposals: NamingProposalsService;
  const CENTRE = '430503001000';
  const LUOSHI = '430503101000';
  const submitter: Actor = { userId: 'officer-a', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503000000'] };
  const reviewer: Actor = { userId: 'officer-b', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503000000'] };
  const approver: Actor = { userId: 'approver', kind: 'staff', roles: ['district-approver'], divisions: ['430503000000'] };
  const townOfficer: Actor = { userId: 'officer-luoshi', kind: 'staff', roles: ['place-names-officer'], divisions: [LUOSHI] };
  const clerk: Actor = { userId: 'clerk', kind: 'staff', roles: ['clerk'], divisions: ['430503000000'] };

  const documents = [{ title: '更名申请书', reference: '大祥民地〔2024〕12号' }];
  const residential = (name: string, over: Partial<NewPlaceName> = {}): NewPlaceName => ({
    name,
    category: 'residential-area-or-building',
    divisionCode: CENTRE,
    approvingAuthority: '大祥区人民政府',
    approvalDate: '2012-03-01',
    ...over,
  });
  const renaming = (placeNameId: string, name: string, over: Partial<SubmitNamingProposalInput> = {}): SubmitNamingProposalInput => ({
    kind: 'renaming',
    placeNameId,
    name,
    origin: '取“东方”方位与“华庭”雅称',
    reason: '原名含外国地名，不符合地名管理条例',
    documents,
    ...over,
  });
  const naming = (name: string, over: Partial<SubmitNamingProposalInput> = {}): SubmitNamingProposalInput => ({
    kind: 'naming',
    name,
    category: 'street-road-lane',
    divisionCode: CENTRE,
    locationDescription: '东起红旗路，西至宝庆路',
    longitude: 111.4631,
    latitude: 27.2389,
    origin: '寓意幸福美满',
    reason: '新建道路命名',
    documents,
    ...over,
  });
  const approval = { decision: 'approve' as const, approvingAuthority: '大祥区人民政府', approvalDate: '2024-05-10', documentNumber: '大祥政函〔2024〕31号' };

  /** Submitted by A, forwarded by B, approved: ready to announce. */
  async function throughApproval(input: SubmitNamingProposalInput): Promise<NamingProposalView> {
    const submitted = await proposals.submit(input, submitter);
    await proposals.review({ id: submitted.id, decision: 'forward', opinion: '材料齐全，同意报批' }, reviewer);
    return proposals.approve({ id: submitted.id, ...approval }, approver);
  }

  async function counts(): Promise<{ proposals: number; steps: number; places: number; versions: number; events: number }> {
    const [row] = await dataSource.query<{ proposals: number; steps: number; places: number; versions: number; events: number }[]>(
      `SELECT (SELECT count(*) FROM naming_proposal)::int AS proposals, (SELECT count(*) FROM naming_proposal_step)::int AS steps,
              (SELECT count(*) FROM place_name)::int AS places, (SELECT count(*) FROM place_name_version)::int AS versions,
              (SELECT count(*) FROM outbox)::int AS events`,
    );
    if (!row) throw new Error('no counts');
    return row;
  }

  async function eventsOf(type: string, subject: string): Promise<Record<string, unknown>[]> {
    const rows = await dataSource.query<{ data: Record<string, unknown> }[]>(
      `SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = $2 ORDER BY id`,
      [type, subject],
    );
    return rows.map((r) => r.data);
  }

  beforeAll(async () => {
    dataSource = new DataSource(
      serviceDataSourceOptions({
        url: await createTestDatabase('naming_proposals'),
        entities: [],
        migrations: PLACE_NAMES_MIGRATIONS,
        applicationName: 'naming-proposals-test',
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    const outbox = new Outbox('place-names', dataSource);
    gazetteer = new GazetteerService(outbox, dataSource, new DivisionsService(outbox, dataSource));
    search = new SearchService(dataSource);
    rules = new NamingRulesService(dataSource);
    proposals = new NamingProposalsService(outbox, dataSource, gazetteer, rules);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it.each([
    ['东方威尼斯小区', '东方华庭', 'Dongfang Huating'],
    ['大顺米兰豪苑', '文庭雅苑', undefined],
  ])('renames %s to %s end to end; the old name is found as a former name', async (oldName, newName, pinyin) => {
    const place = await gazetteer.create(residential(oldName), submitter);

    const submitted = await proposals.submit(renaming(place.id, newName), submitter);
    expect(submitted).toMatchObject({
      kind: 'renaming',
      status: 'submitted',
      placeNameId: place.id,
      currentName: oldName,
      name: newName,
      category: 'residential-area-or-building',
      divisionCode: CENTRE,
      findings: { submission: { name: newName, passes: true, findings: [] }, approval: null },
      version: 1,
      createdBy: 'officer-a',
    });
    const reviewed = await proposals.review({ id: submitted.id, decision: 'forward', opinion: '同意报批', expectedVersion: 1, ...(pinyin ? { pinyin } : {}) }, reviewer);
    expect(reviewed).toMatchObject({ status: 'reviewed', review: { reviewer: 'officer-b', decision: 'forward', opinion: '同意报批' }, version: 2 });
    const approved = await proposals.approve({ id: submitted.id, ...approval, expectedVersion: 2 }, approver);
    expect(approved).toMatchObject({
      status: 'approved',
      approval: { decision: 'approve', approver: 'approver', approvingAuthority: '大祥区人民政府', approvalDate: '2024-05-10', documentNumber: '大祥政函〔2024〕31号' },
      findings: { approval: { passes: true, findings: [] } },
    });
    const announced = await proposals.announce(
      { id: submitted.id, announcementNumber: '大祥区地名公告〔2024〕第3号', announcedOn: '2024-05-20', effectiveDate: '2024-06-01' },
      reviewer,
    );
    expect(announced.status).toBe('announced');
    expect(announced.announcement).toEqual({
      announcementNumber: '大祥区地名公告〔2024〕第3号',
      announcedOn: '2024-05-20',
      effectiveDate: '2024-06-01',
      filing: {
        standardName: newName,
        romanization: pinyin ?? announced.pinyin,
        category: 'residential-area-or-building',
        divisionCode: CENTRE,
        locationDescription: null,
        longitude: null,
        latitude: null,
        approvingAuthority: '大祥区人民政府',
        approvalDate: '2024-05-10',
        documentNumber: '大祥政函〔2024〕31号',
      },
    });
    expect(announced.history.map((s) => [s.step, s.actor, s.opinion])).toEqual([
      ['submitted', 'officer-a', null],
      ['reviewed', 'officer-b', '同意报批'],
      ['approved', 'approver', null],
      ['announced', 'officer-b', null],
    ]);

    const renamed = await gazetteer.get(place.id);
    expect(renamed).toMatchObject({ name: newName, approvingAuthority: '大祥区人民政府', approvalDate: '2024-05-10', pinyinEdited: pinyin !== undefined });
    if (pinyin) expect(renamed.pinyin).toBe(pinyin);
    expect(renamed.versions.map((v) => [v.name, v.status, v.validFrom, v.validTo])).toEqual([
      [newName, 'standard', '2024-06-01', null],
      [oldName, 'former', '2012-03-01', '2024-06-01'],
    ]);

    const byOld = await search.search({ q: oldName, limit: 5 });
    expect(byOld.items[0]).toMatchObject({ id: place.id, name: newName, matched: { name: oldName, status: 'former' } });
    const byNew = await search.search({ q: newName, limit: 5 });
    expect(byNew.items[0]).toMatchObject({ id: place.id, name: newName, matched: { name: newName, status: 'standard' } });

    expect(await eventsOf(PlaceNameEvents.renamed, `place-name/${place.id}`)).toEqual([
      expect.objectContaining({ nameId: place.id, oldName, newName, effectiveDate: '2024-06-01', proposalId: submitted.id }),
    ]);
    const subject = `naming-proposal/${submitted.id}`;
    expect(await eventsOf(NamingProposalEvents.submitted, subject)).toEqual([
      { proposalId: submitted.id, kind: 'renaming', name: newName, category: 'residential-area-or-building', divisionCode: CENTRE, placeNameId: place.id, warnings: 0 },
    ]);
    expect(await eventsOf(NamingProposalEvents.approved, subject)).toHaveLength(1);
    expect(await eventsOf(NamingProposalEvents.announced, subject)).toEqual([
      expect.objectContaining({ proposalId: submitted.id, placeNameId: place.id, announcementNumber: '大祥区地名公告〔2024〕第3号', effectiveDate: '2024-06-01' }),
    ]);
  });

  it('names a new place on announcement, keeping the homophone warning found at submission', async () => {
    await gazetteer.create({ name: '富星路', category: 'street-road-lane', divisionCode: CENTRE }, submitter);
    const approved = await throughApproval(naming('福星路'));
    expect(approved.findings.submission).toMatchObject({ passes: true, findings: [{ rule: 'homophone-in-scope', severity: 'warning', evidence: { name: '富星路' } }] });
    expect(approved.findings.approval?.findings.map((f) => f.rule)).toEqual(['homophone-in-scope']);
    const before = await counts();
    const announced = await proposals.announce({ id: approved.id, announcementNumber: '大祥区地名公告〔2024〕第4号', announcedOn: '2024-05-20' }, reviewer);
    expect(announced.announcement?.effectiveDate).toBe('2024-05-20');
    expect(announced.placeNameId).not.toBeNull();
    const place = await gazetteer.get(announced.placeNameId ?? '');
    expect(place).toMatchObject({
      name: '福星路',
      category: 'street-road-lane',
      divisionCode: CENTRE,
      locationDescription: '东起红旗路，西至宝庆路',
      longitude: 111.4631,
      latitude: 27.2389,
      approvingAuthority: '大祥区人民政府',
      approvalDate: '2024-05-10',
      origin: '寓意幸福美满',
    });
    expect(await eventsOf(PlaceNameEvents.named, `place-name/${place.id}`)).toEqual([expect.objectContaining({ name: '福星路', proposalId: approved.id })]);
    expect(await counts()).toMatchObject({ places: before.places + 1, steps: before.steps + 1, events: before.events + 2 });
  });

  it('refuses a submission whose name breaks a rule, listing each violation, and writes nothing', async () => {
    const before = await counts();
    const refused = await domainErrorOf(proposals.submit(naming('A区威尼斯3号路'), submitter), 'NOT_ELIGIBLE');
    expect(refused.fields?.map((f) => [f.field, f.rule])).toEqual([
      ['name', 'foreign-word'],
      ['name', 'latin-letters'],
      ['name', 'digits-symbols-pinyin-mix'],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('cannot approve a name that broke a rule since submission; nothing is applied; the approver can reject it', async () => {
    const submitted = await proposals.submit(naming('幸福路'), submitter);
    await proposals.review({ id: submitted.id, decision: 'forward', opinion: '同意报批' }, reviewer);
    // meanwhile 幸福路 is recorded in the same town
    await gazetteer.create({ name: '幸福路', category: 'street-road-lane', divisionCode: '430503001003' }, submitter);
    const before = await counts();
    const refused = await domainErrorOf(proposals.approve({ id: submitted.id, ...approval }, approver), 'NOT_ELIGIBLE');
    expect(refused.fields?.map((f) => f.rule)).toEqual(['duplicate-in-scope']);
    expect(await counts()).toEqual(before);
    expect(await proposals.get(submitted.id, approver)).toMatchObject({ status: 'reviewed', approval: null, findings: { approval: null } });
    await domainErrorOf(proposals.announce({ id: submitted.id, announcementNumber: 'X', announcedOn: '2024-05-20' }, reviewer), 'CONFLICT');

    const rejected = await proposals.approve({ id: submitted.id, decision: 'reject', opinion: '与现有道路重名' }, approver);
    expect(rejected).toMatchObject({ status: 'rejected', approval: { decision: 'reject', opinion: '与现有道路重名', approvingAuthority: null } });
    expect(await eventsOf(NamingProposalEvents.rejected, `naming-proposal/${submitted.id}`)).toHaveLength(1);

    // a word listed after submission stops the approval too
    const other = await proposals.submit(naming('和美路'), submitter);
    await proposals.review({ id: other.id, decision: 'forward', opinion: '同意报批' }, reviewer);
    await rules.changeWord({ action: 'add', word: '和美', kind: 'forbidden', date: '2024-01-01' }, submitter);
    const forbidden = await domainErrorOf(proposals.approve({ id: other.id, ...approval }, approver), 'NOT_ELIGIBLE');
    expect(forbidden.fields?.map((f) => f.rule)).toEqual(['forbidden-word']);
    await rules.changeWord({ action: 'retire', word: '和美', kind: 'forbidden', date: '2024-01-01' }, submitter);
  });

  it('keeps the submitter from reviewing, and checks roles and division scope', async () => {
    const submitted = await proposals.submit(naming('和顺路'), submitter);
    const before = await counts();
    const own = await domainErrorOf(proposals.review({ id: submitted.id, decision: 'forward', opinion: '同意' }, submitter), 'FORBIDDEN');
    expect(own.message).toContain('other than the submitter');
    await domainErrorOf(proposals.review({ id: submitted.id, decision: 'forward', opinion: '同意' }, townOfficer), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(proposals.review({ id: submitted.id, decision: 'forward', opinion: '同意' }, approver), 'FORBIDDEN');
    await domainErrorOf(proposals.submit(naming('和顺路'), townOfficer), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(proposals.submit(naming('和顺路'), clerk), 'FORBIDDEN');
    await domainErrorOf(proposals.get(submitted.id, clerk), 'FORBIDDEN');
    await domainErrorOf(proposals.get(submitted.id, townOfficer), 'OUT_OF_DIVISION_SCOPE');
    // approval comes after review, and only from an approver
    await domainErrorOf(proposals.approve({ id: submitted.id, ...approval }, approver), 'CONFLICT');
    await proposals.review({ id: submitted.id, decision: 'forward', opinion: '同意', expectedVersion: 1 }, reviewer);
    await domainErrorOf(proposals.approve({ id: submitted.id, ...approval }, reviewer), 'FORBIDDEN');
    await domainErrorOf(proposals.approve({ id: submitted.id, ...approval, expectedVersion: 1 }, approver), 'CONFLICT');
    expect(await counts()).toEqual({ ...before, steps: before.steps + 1 });
  });

  it('returns a proposal with the reviewer’s opinion; returned is final', async () => {
    const submitted = await proposals.submit(naming('和谐路'), submitter);
    const returned = await proposals.review({ id: submitted.id, decision: 'return', opinion: '缺少来历说明' }, reviewer);
    expect(returned).toMatchObject({ status: 'returned', review: { decision: 'return', opinion: '缺少来历说明' } });
    expect(await eventsOf(NamingProposalEvents.returned, `naming-proposal/${submitted.id}`)).toHaveLength(1);
    await domainErrorOf(proposals.review({ id: submitted.id, decision: 'forward', opinion: '同意' }, reviewer), 'CONFLICT');
    await domainErrorOf(proposals.withdraw({ id: submitted.id }, submitter), 'CONFLICT');
  });

  it('refuses bad input naming each field, with nothing written', async () => {
    const before = await counts();
    let fields: { field: string; rule: string }[] = [];
    try {
      parseOrThrow(submitNamingProposalSchema, {
        kind: 'renaming',
        name: '苑',
        origin: '',
        reason: '更名',
        documents: [],
        longitude: 111.4,
        divisionCode: '123',
        extra: true,
      });
    } catch (error) {
      expect((error as { code: string }).code).toBe('VALIDATION_FAILED');
      fields = (error as { fields: { field: string; rule: string }[] }).fields;
    }
    expect(fields.map((f) => f.field).sort()).toEqual(['(body)', 'divisionCode', 'documents', 'latitude', 'name', 'origin', 'placeNameId'].sort());
    expect(await counts()).toEqual(before);
    // a renaming must change the name of a place in use, in its own category and division
    const place = await gazetteer.create(residential('金桂园'), submitter);
    const same = await domainErrorOf(proposals.submit(renaming(place.id, '金桂园'), submitter), 'VALIDATION_FAILED');
    expect(same.fields?.map((f) => [f.field, f.rule])).toEqual([['name', 'changed']]);
    const mismatch = await domainErrorOf(proposals.submit(renaming(place.id, '金桂苑', { category: 'street-road-lane', divisionCode: LUOSHI }), submitter), 'VALIDATION_FAILED');
    expect(mismatch.fields?.map((f) => f.field)).toEqual(['category', 'divisionCode']);
    await domainErrorOf(proposals.submit(renaming('0190f5a0-0000-7000-8000-000000000000', '金桂苑'), submitter), 'NOT_FOUND');
  });

  it('announces once: a second announcement, even a concurrent one, is a CONFLICT and changes nothing', async () => {
    const place = await gazetteer.create(residential('维也纳花园'), submitter);
    const approved = await throughApproval(renaming(place.id, '清和花园'));
    // one open renaming per place
    await domainErrorOf(proposals.submit(renaming(place.id, '清雅花园'), submitter), 'CONFLICT');
    const announce = (number: string) => proposals.announce({ id: approved.id, announcementNumber: number, announcedOn: '2024-05-20', effectiveDate: '2024-06-01' }, reviewer);
    const results = await Promise.allSettled([announce('公告第5号'), announce('公告第6号')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect((failed?.reason as { code?: string }).code).toBe('CONFLICT');
    const before = await counts();
    await domainErrorOf(announce('公告第7号'), 'CONFLICT');
    expect(await counts()).toEqual(before);
    expect(await eventsOf(PlaceNameEvents.renamed, `place-name/${place.id}`)).toHaveLength(1);
    expect(await eventsOf(NamingProposalEvents.announced, `naming-proposal/${approved.id}`)).toHaveLength(1);
    expect((await gazetteer.get(place.id)).versions.map((v) => [v.name, v.status])).toEqual([
      ['清和花园', 'standard'],
      ['维也纳花园', 'former'],
    ]);
  });

  it('lets only the submitter withdraw, and only before approval', async () => {
    const submitted = await proposals.submit(naming('和平路'), submitter);
    await domainErrorOf(proposals.withdraw({ id: submitted.id }, reviewer), 'FORBIDDEN');
    const withdrawn = await proposals.withdraw({ id: submitted.id, reason: '规划调整' }, submitter);
    expect(withdrawn.status).toBe('withdrawn');
    expect(withdrawn.history.at(-1)).toMatchObject({ step: 'withdrawn', actor: 'officer-a', opinion: '规划调整' });
    await domainErrorOf(proposals.review({ id: submitted.id, decision: 'forward', opinion: '同意' }, reviewer), 'CONFLICT');

    const approved = await throughApproval(naming('安康路'));
    await domainErrorOf(proposals.withdraw({ id: approved.id }, submitter), 'CONFLICT');
  });

  it('lists proposals by status and division, within the actor’s divisions', async () => {
    await proposals.submit(naming('吉祥巷', { divisionCode: LUOSHI }), townOfficer);
    const announced = await proposals.list({ status: 'announced', limit: 50, offset: 0 }, approver);
    expect(announced.items.map((p) => p.name)).toEqual(expect.arrayContaining(['东方华庭', '文庭雅苑', '福星路']));
    expect(announced.items.every((p) => p.status === 'announced')).toBe(true);
    expect(announced.total).toBe(announced.items.length);
    const luoshi = await proposals.list({ divisionCode: LUOSHI, limit: 50, offset: 0 }, approver);
    expect(luoshi.items.map((p) => p.name)).toEqual(['吉祥巷']);
    const mine = await proposals.list({ limit: 50, offset: 0 }, townOfficer);
    expect(mine.items.map((p) => p.name)).toEqual(['吉祥巷']);
    const page = await proposals.list({ limit: 2, offset: 0 }, approver);
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(2);
  });
});
