import { DataSource } from 'typeorm';
import { Outbox, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { Households1764000005000 } from '../migrations/1764000005000-households';
import { AssistanceBase1764000006000 } from '../migrations/1764000006000-assistance-base';
import { Charity1764000013000 } from '../migrations/1764000013000-charity';
import {
  CharityEvents,
  type Actor,
  type CharityActivityRecordedV1,
  type CharityCampaignCreatedV1,
  type CharityDonationReceivedV1,
  type RecordCharityActivityInput,
  type RecordCharityDonationInput,
} from '@civil/contracts';
import { GENERAL_FUND_NAME } from './charity.domain';
import { CharityService } from './charity.service';

/**
 * 慈善 against real PostgreSQL, in 大祥区 (430503): 罗市镇 430503101000 and 蔡锷乡 430503202000.
 * The first test records the bureau's 2023 figures (303万元 pooled, 4700 households visited, 21
 * activities, goods worth 1.5万元, 400 person-times served); the others use later years so the
 * 2023 summary stays exact.
 */
describe('CharityService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let service: CharityService;
  const DISTRICT = '430503000000';
  const LUOSHI = '430503101000';
  const CAIE = '430503202000';
  const districtClerk: Actor = { userId: 'district-clerk', kind: 'staff', roles: ['clerk'], divisions: [DISTRICT] };
  const luoshiClerk: Actor = { userId: 'luoshi-clerk', kind: 'staff', roles: ['clerk'], divisions: [LUOSHI] };
  const caieClerk: Actor = { userId: 'caie-clerk', kind: 'staff', roles: ['township-reviewer'], divisions: [CAIE] };
  const finance: Actor = { userId: 'finance', kind: 'staff', roles: ['finance-officer'], divisions: [DISTRICT] };
  const citizen: Actor = { userId: 'citizen', kind: 'citizen', roles: ['citizen'], divisions: [], residentId: '430503197001010011' };

  let receipts = 0;
  const receipt = (): string => `湘慈票-${String(++receipts).padStart(6, '0')}`;

  async function eventsOf<T>(type: string, subject: string): Promise<{ data: T; divisionCode: string; actor: string }[]> {
    return dataSource.query<{ data: T; divisionCode: string; actor: string }[]>(
      `SELECT envelope->'data' AS data, envelope->>'divisioncode' AS "divisionCode", envelope->>'actor' AS actor
         FROM outbox WHERE type = $1 AND envelope->>'subject' = $2 ORDER BY id`,
      [type, subject],
    );
  }

  async function counts(): Promise<{ campaigns: number; donations: number; activities: number; outbox: number }> {
    const [row] = await dataSource.query<{ campaigns: number; donations: number; activities: number; outbox: number }[]>(
      `SELECT (SELECT count(*) FROM charity_campaign)::int AS campaigns, (SELECT count(*) FROM charity_donation)::int AS donations,
              (SELECT count(*) FROM charity_activity)::int AS activities, (SELECT count(*) FROM outbox)::int AS outbox`,
    );
    if (!row) throw new Error('no counts');
    return row;
  }

  /** What a pool has left, straight from the ledgers. */
  async function fundsLeft(campaignId: string | null): Promise<number> {
    const [row] = await dataSource.query<{ left: string }[]>(
      `SELECT ((SELECT coalesce(sum(amount_fen), 0) FROM charity_donation WHERE campaign_id IS NOT DISTINCT FROM $1::uuid)
             - (SELECT coalesce(sum(funds_distributed_fen), 0) FROM charity_activity WHERE campaign_id IS NOT DISTINCT FROM $1::uuid))::text AS left`,
      [campaignId],
    );
    return Number(row?.left);
  }

  function money(amountFen: number, over: Partial<RecordCharityDonationInput> = {}): RecordCharityDonationInput {
    return { donorKind: 'organisation', donorName: '邵阳某企业', kind: 'money', amountFen, receiptNumber: receipt(), receivedOn: '2024-09-01', ...over };
  }

  function distribution(fundsDistributedFen: number, over: Partial<RecordCharityActivityInput> = {}): RecordCharityActivityInput {
    return { kind: 'distribution', title: '慰问金发放', divisionCode: LUOSHI, heldOn: '2024-09-05', householdsVisited: 1, fundsDistributedFen, ...over };
  }

  beforeAll(async () => {
    dataSource = new DataSource(
      serviceDataSourceOptions({
        url: await createTestDatabase('charity'),
        entities: [],
        migrations: [Households1764000005000, AssistanceBase1764000006000, Charity1764000013000],
        applicationName: 'charity-test',
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    service = new CharityService(new Outbox('social-assistance', dataSource), dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('records the 2023 campaigns, donations and activities, with their events, and sums them as the annual report prints them', async () => {
    const festival = await service.createCampaign({ name: '2023年春节走访慰问', kind: 'festival-visit', divisionCode: '430503', startsOn: '2023-01-10', endsOn: '2023-01-31' }, districtClerk);
    expect(festival).toMatchObject({ kind: 'festival-visit', divisionCode: DISTRICT, startsOn: '2023-01-10', endsOn: '2023-01-31', createdBy: 'district-clerk' });
    const charityDay = await service.createCampaign({ name: '2023年中华慈善日', kind: 'charity-day', divisionCode: DISTRICT, startsOn: '2023-09-01', endsOn: '2023-09-30' }, districtClerk);
    expect(await eventsOf<CharityCampaignCreatedV1>(CharityEvents.campaignCreated, `charity-campaign/${charityDay.id}`)).toEqual([
      { data: { campaignId: charityDay.id, name: '2023年中华慈善日', kind: 'charity-day', startsOn: '2023-09-01', endsOn: '2023-09-30' }, divisionCode: DISTRICT, actor: 'district-clerk' },
    ]);

    // 303万元 pooled: 200万 and 100万 for 中华慈善日, 3万 anonymously to the general fund.
    const big = await service.recordDonation(money(200_000_000, { campaignId: charityDay.id, receivedOn: '2023-09-05' }), districtClerk);
    expect(big).toMatchObject({ campaignId: charityDay.id, divisionCode: DISTRICT, kind: 'money', amountFen: 200_000_000, valueFen: null, receivedOn: '2023-09-05' });
    await service.recordDonation(money(100_000_000, { campaignId: charityDay.id, donorKind: 'person', donorName: '李四', receivedOn: '2023-09-06' }), districtClerk);
    const anonymous = await service.recordDonation({ donorKind: 'anonymous', kind: 'money', amountFen: 3_000_000, divisionCode: DISTRICT, receiptNumber: receipt(), receivedOn: '2023-03-15' }, districtClerk);
    expect(anonymous).toMatchObject({ campaignId: null, donorName: null, donorKind: 'anonymous' });
    // Goods worth 1.5万元, received by 罗市镇 for the festival visits.
    const rice = await service.recordDonation(
      { campaignId: festival.id, divisionCode: LUOSHI, donorKind: 'organisation', donorName: '某粮油公司', kind: 'goods', goodsDescription: '大米（25kg/袋）', quantity: 100, valueFen: 1_500_000, receiptNumber: receipt(), receivedOn: '2023-01-08' },
      luoshiClerk,
    );
    expect(rice).toMatchObject({ kind: 'goods', amountFen: null, quantity: 100, valueFen: 1_500_000, divisionCode: LUOSHI, recordedBy: 'luoshi-clerk' });
    expect(await eventsOf<CharityDonationReceivedV1>(CharityEvents.donationReceived, `charity-donation/${big.id}`)).toEqual([
      { data: { donationId: big.id, campaignId: charityDay.id, kind: 'money', fundsInFen: 200_000_000, goodsInValueFen: 0, receivedOn: '2023-09-05' }, divisionCode: DISTRICT, actor: 'district-clerk' },
    ]);
    expect((await eventsOf<CharityDonationReceivedV1>(CharityEvents.donationReceived, `charity-donation/${rice.id}`)).map((e) => [e.data, e.divisionCode])).toEqual([
      [{ donationId: rice.id, campaignId: festival.id, kind: 'goods', fundsInFen: 0, goodsInValueFen: 1_500_000, receivedOn: '2023-01-08' }, LUOSHI],
    ]);

    // 20 festival visits, 10 in each township: 235 households each (4700), handing out all the rice.
    for (let i = 0; i < 20; i++) {
      const [actor, divisionCode] = i % 2 === 0 ? [luoshiClerk, LUOSHI] : [caieClerk, CAIE];
      await service.recordActivity(
        { campaignId: festival.id, kind: 'visit', title: `春节走访慰问第${i + 1}批`, divisionCode, heldOn: `2023-01-${String(10 + i).padStart(2, '0')}`, householdsVisited: 235, goodsDistributedValueFen: 75_000 },
        actor,
      );
    }
    // 中华慈善日: volunteers served 400 person-times and handed out 1万元.
    const day = await service.recordActivity(
      { campaignId: charityDay.id, kind: 'volunteer-service', title: '中华慈善日志愿服务', divisionCode: DISTRICT, heldOn: '2023-09-05', personsServed: 400, fundsDistributedFen: 1_000_000 },
      districtClerk,
    );
    expect(day).toMatchObject({ campaignId: charityDay.id, householdsVisited: 0, personsServed: 400, fundsDistributedFen: 1_000_000, goodsDistributedValueFen: 0, heldOn: '2023-09-05' });
    expect(await eventsOf<CharityActivityRecordedV1>(CharityEvents.activityRecorded, `charity-activity/${day.id}`)).toEqual([
      {
        data: { activityId: day.id, campaignId: charityDay.id, kind: 'volunteer-service', heldOn: '2023-09-05', householdsVisited: 0, personsServed: 400, fundsOutFen: 1_000_000, goodsValueFen: 0 },
        divisionCode: DISTRICT,
        actor: 'district-clerk',
      },
    ]);
    // The rice is all given out: one more bag is refused.
    await domainErrorOf(service.recordActivity({ campaignId: festival.id, kind: 'distribution', title: '加发', divisionCode: LUOSHI, heldOn: '2023-01-31', goodsDistributedValueFen: 1 }, luoshiClerk), 'CONFLICT');

    const summary = await service.summary({ year: 2023 }, finance);
    expect(summary.total).toEqual({
      fundsReceivedFen: 303_000_000,
      fundsDistributedFen: 1_000_000,
      balanceFen: 302_000_000,
      goodsReceivedValueFen: 1_500_000,
      goodsDistributedValueFen: 1_500_000,
      donations: 4,
      activities: 21,
      householdsVisited: 4700,
      personsServed: 400,
    });
    expect(summary.byCampaign.map((c) => [c.campaignId, c.name, c.kind, c.fundsReceivedFen, c.goodsDistributedValueFen, c.activities, c.householdsVisited, c.personsServed])).toEqual([
      [festival.id, '2023年春节走访慰问', 'festival-visit', 0, 1_500_000, 20, 4700, 0],
      [charityDay.id, '2023年中华慈善日', 'charity-day', 300_000_000, 0, 1, 0, 400],
      [null, GENERAL_FUND_NAME, null, 3_000_000, 0, 0, 0, 0],
    ]);

    // A township sees its own share: the rice it received and its ten visits.
    const luoshi = await service.summary({ year: 2023 }, luoshiClerk);
    expect(luoshi.byCampaign.map((c) => c.campaignId)).toEqual([festival.id]);
    expect(luoshi.total).toMatchObject({ fundsReceivedFen: 0, goodsReceivedValueFen: 1_500_000, goodsDistributedValueFen: 750_000, activities: 10, householdsVisited: 2350 });
    const caie = await service.summary({ year: 2023, divisionCode: CAIE }, finance);
    expect(caie).toMatchObject({ divisionCode: CAIE, total: { goodsReceivedValueFen: 0, goodsDistributedValueFen: 750_000, activities: 10, householdsVisited: 2350 } });
    expect((await service.summary({ year: 2022 }, finance)).total.activities).toBe(0);

    // Both ledgers are append-only.
    await expect(dataSource.query(`DELETE FROM charity_donation WHERE id = $1`, [big.id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`UPDATE charity_activity SET persons_served = 1 WHERE id = $1`, [day.id])).rejects.toThrow(/append-only/);
  });

  it('refuses to hand out more than the pool has left, and writes nothing then', async () => {
    const aid = await service.createCampaign({ name: '2024年金秋助学', kind: 'education-aid', divisionCode: LUOSHI, startsOn: '2024-08-01', endsOn: '2024-09-30' }, luoshiClerk);
    await service.recordDonation(money(1_000_000, { campaignId: aid.id }), luoshiClerk);
    const before = await counts();
    const over = await domainErrorOf(service.recordActivity(distribution(1_000_001, { campaignId: aid.id }), luoshiClerk), 'CONFLICT');
    expect(over.fields).toEqual([expect.objectContaining({ field: 'fundsDistributedFen', rule: 'pool-balance' })]);
    expect(over.message).toContain('1000000 fen left');
    // Goods: the pool received none.
    await domainErrorOf(service.recordActivity(distribution(0, { campaignId: aid.id, goodsDistributedValueFen: 1 }), luoshiClerk), 'CONFLICT');
    expect(await counts()).toEqual(before);

    await service.recordActivity(distribution(600_000, { campaignId: aid.id }), luoshiClerk);
    await service.recordActivity(distribution(400_000, { campaignId: aid.id }), luoshiClerk);
    expect(await fundsLeft(aid.id)).toBe(0);
    await domainErrorOf(service.recordActivity(distribution(1, { campaignId: aid.id }), luoshiClerk), 'CONFLICT');
    // Visits without money need nothing from the pool.
    await service.recordActivity(distribution(0, { campaignId: aid.id, kind: 'visit', householdsVisited: 12 }), luoshiClerk);
  });

  it('of two concurrent distributions from a campaign of which only one fits, exactly one lands', async () => {
    // Several rounds, so the pool's connections are warm and the two transactions really overlap.
    for (let round = 1; round <= 5; round++) {
      const relief = await service.createCampaign({ name: `2024年防汛救灾第${round}批`, kind: 'disaster-relief', divisionCode: DISTRICT, startsOn: '2024-06-01' }, districtClerk);
      await service.recordDonation(money(100_000, { campaignId: relief.id, receivedOn: '2024-06-02' }), districtClerk);
      const before = await counts();
      const results = await Promise.allSettled([
        service.recordActivity(distribution(60_000, { campaignId: relief.id, heldOn: '2024-06-10' }), luoshiClerk),
        service.recordActivity(distribution(60_000, { campaignId: relief.id, divisionCode: CAIE, heldOn: '2024-06-10' }), caieClerk),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused?.reason).toMatchObject({ code: 'CONFLICT', fields: [expect.objectContaining({ field: 'fundsDistributedFen' })] });
      expect(await fundsLeft(relief.id)).toBe(40_000);
      const after = await counts();
      expect([after.activities - before.activities, after.outbox - before.outbox]).toEqual([1, 1]);
    }
  });

  it('of two concurrent distributions from the general fund of which only one fits, exactly one lands', async () => {
    for (let round = 1; round <= 5; round++) {
      await service.recordDonation(money(500_000, { divisionCode: CAIE, receivedOn: '2024-10-01' }), caieClerk);
      const left = await fundsLeft(null);
      const each = Math.floor(left / 2) + 1;
      const results = await Promise.allSettled([
        service.recordActivity(distribution(each, { heldOn: '2024-10-08' }), luoshiClerk),
        service.recordActivity(distribution(each, { divisionCode: CAIE, heldOn: '2024-10-08' }), caieClerk),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(GENERAL_FUND_NAME) });
      expect(await fundsLeft(null)).toBe(left - each);
    }
  });

  it('a receipt number is used once: the second is CONFLICT and nothing is written', async () => {
    const first = money(10_000, { divisionCode: DISTRICT, receiptNumber: '湘慈票-DUP-1' });
    await service.recordDonation(first, districtClerk);
    const before = await counts();
    const duplicate = await domainErrorOf(service.recordDonation({ ...first, amountFen: 99, receiptNumber: '  湘慈票-DUP-1 ' }, districtClerk), 'CONFLICT');
    expect(duplicate.message).toContain('湘慈票-DUP-1');
    expect(await counts()).toEqual(before);
  });

  it('bad input is refused naming every field, and nothing is written', async () => {
    const campaign = await service.createCampaign({ name: '2025年重阳节走访', kind: 'festival-visit', divisionCode: LUOSHI, startsOn: '2025-10-20', endsOn: '2025-10-31' }, luoshiClerk);
    const before = await counts();
    const fieldsOf = async (attempt: Promise<unknown>): Promise<[string, string][]> => ((await domainErrorOf(attempt, 'VALIDATION_FAILED')).fields ?? []).map((f) => [f.field, f.rule]);

    // The schema: every malformed field at once.
    expect(
      await fieldsOf(service.recordDonation({ donorKind: 'person', donorName: '', kind: 'cash', amountFen: -5, receiptNumber: '', receivedOn: '2025-13-01', extra: 1 } as never, luoshiClerk)),
    ).toEqual(
      expect.arrayContaining([
        ['donorName', 'too_small'],
        ['kind', 'invalid_value'],
        ['amountFen', 'too_small'],
        ['receiptNumber', 'too_small'],
        ['receivedOn', 'invalid_format'],
        ['(body)', 'unrecognized_keys'],
      ]),
    );
    // The combination: goods without goods fields but with an amount, a person without a name.
    expect(await fieldsOf(service.recordDonation({ campaignId: campaign.id, donorKind: 'person', kind: 'goods', amountFen: 100, receiptNumber: receipt(), receivedOn: '2025-10-01' }, luoshiClerk))).toEqual([
      ['donorName', 'required'],
      ['goodsDescription', 'required'],
      ['quantity', 'required'],
      ['valueFen', 'required'],
      ['amountFen', 'not-allowed'],
    ]);
    expect(await fieldsOf(service.recordDonation(money(100, { divisionCode: undefined }), luoshiClerk))).toEqual([['divisionCode', 'required']]);
    expect(await fieldsOf(service.recordDonation(money(100, { campaignId: campaign.id, divisionCode: CAIE }), caieClerk))).toEqual([['divisionCode', 'within-campaign']]);
    expect(await fieldsOf(service.recordActivity({ kind: 'visit', title: '空记录', divisionCode: LUOSHI, heldOn: '2025-10-25' }, luoshiClerk))).toEqual([
      ['householdsVisited', 'at-least-one'],
      ['personsServed', 'at-least-one'],
      ['fundsDistributedFen', 'at-least-one'],
      ['goodsDistributedValueFen', 'at-least-one'],
    ]);
    expect(await fieldsOf(service.recordActivity({ campaignId: campaign.id, kind: 'visit', title: '提前走访', divisionCode: LUOSHI, heldOn: '2025-10-19', householdsVisited: 3 }, luoshiClerk))).toEqual([
      ['heldOn', 'within-campaign'],
    ]);
    expect(
      await fieldsOf(service.recordActivity({ kind: 'party', title: '', divisionCode: '12345', heldOn: 'yesterday', householdsVisited: -1, fundsDistributedFen: 1.5 } as never, luoshiClerk)),
    ).toEqual(
      expect.arrayContaining([
        ['kind', 'invalid_value'],
        ['title', 'too_small'],
        ['divisionCode', 'format'],
        ['heldOn', 'invalid_format'],
        ['householdsVisited', 'too_small'],
        ['fundsDistributedFen', 'invalid_type'],
      ]),
    );
    expect(await fieldsOf(service.createCampaign({ name: '倒序', kind: 'other', divisionCode: LUOSHI, startsOn: '2025-05-02', endsOn: '2025-05-01' }, luoshiClerk))).toEqual([
      ['endsOn', 'after-start'],
    ]);
    expect(await fieldsOf(service.summary({ year: 1999 }, finance))).toEqual([['year', 'too_small']]);
    expect(await counts()).toEqual(before);
  });

  it('refuses callers outside the division or without a charity role', async () => {
    const caieCampaign = await service.createCampaign({ name: '2025年蔡锷乡助学', kind: 'education-aid', divisionCode: CAIE, startsOn: '2025-08-01' }, caieClerk);
    const before = await counts();
    await domainErrorOf(service.createCampaign({ name: '越权', kind: 'other', divisionCode: DISTRICT, startsOn: '2025-01-01' }, luoshiClerk), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(service.recordDonation(money(100, { campaignId: caieCampaign.id }), luoshiClerk), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(service.recordDonation(money(100, { divisionCode: CAIE }), luoshiClerk), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(service.recordActivity(distribution(0, { divisionCode: CAIE }), luoshiClerk), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(service.summary({ year: 2025, divisionCode: CAIE }, luoshiClerk), 'OUT_OF_DIVISION_SCOPE');
    // Reading is wider than recording; citizens do neither.
    await domainErrorOf(service.recordDonation(money(100, { divisionCode: DISTRICT }), finance), 'FORBIDDEN');
    await domainErrorOf(service.recordActivity(distribution(0), finance), 'FORBIDDEN');
    await domainErrorOf(service.createCampaign({ name: '市民', kind: 'other', divisionCode: LUOSHI, startsOn: '2025-01-01' }, citizen), 'FORBIDDEN');
    await domainErrorOf(service.summary({ year: 2023 }, citizen), 'FORBIDDEN');
    await domainErrorOf(service.listCampaigns({}, citizen), 'FORBIDDEN');
    // A campaign that does not exist.
    await domainErrorOf(service.recordActivity(distribution(0, { campaignId: '01890000-0000-7000-8000-000000000000' }), luoshiClerk), 'NOT_FOUND');
    expect(await counts()).toEqual(before);

    // A township sees its own campaigns and the district's, not the other township's.
    const names = (await service.listCampaigns({ year: 2025 }, luoshiClerk)).map((c) => c.name);
    expect(names).toContain('2025年重阳节走访');
    expect(names).not.toContain('2025年蔡锷乡助学');
    expect((await service.listCampaigns({ year: 2023 }, luoshiClerk)).map((c) => c.name)).toEqual(['2023年春节走访慰问', '2023年中华慈善日']);
    expect((await service.listCampaigns({ year: 2025 }, finance)).map((c) => c.name)).toEqual(expect.arrayContaining(['2025年重阳节走访', '2025年蔡锷乡助学']));
  });
});
