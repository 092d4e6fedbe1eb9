import { DomainError, type Actor, type Role } from '@civil/contracts';
import {
  GENERAL_FUND_NAME,
  ancestorsOf,
  checkActivityFigures,
  checkCampaignDates,
  checkDonation,
  checkHeldWithinCampaign,
  checkPoolCovers,
  checkWithinCampaignDivision,
  donationFieldErrors,
  mayReadCharity,
  mayRecordCharity,
  poolRemaining,
  requireScope,
  summarise,
  yearRange,
  type ActivityFigures,
  type CampaignBounds,
  type DonationShape,
  type PoolTotals,
  type PoolYearRow,
} from './charity.domain';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const staff = (roles: Role[], divisions = ['430503000000']): Actor => ({ userId: 'u', kind: 'staff', roles, divisions });

describe('who may record and read charity work', () => {
  it.each<[Actor['kind'], Role[], boolean, boolean]>([
    ['staff', ['clerk'], true, true],
    ['staff', ['township-reviewer'], true, true],
    ['staff', ['district-approver'], true, true],
    ['staff', ['admin'], true, true],
    ['staff', ['finance-officer'], false, true],
    ['staff', ['auditor'], false, true],
    ['staff', ['leader'], false, true],
    ['staff', ['registrar'], false, false],
    ['staff', ['elderly-care-officer'], false, false],
    ['staff', [], false, false],
    ['citizen', ['citizen'], false, false],
    // A citizen token never records, whatever roles it claims.
    ['citizen', ['clerk'], false, false],
    ['system', ['admin'], true, true],
  ])('%s with %j: record %s, read %s', (kind, roles, record, read) => {
    expect(mayRecordCharity({ kind, roles })).toBe(record);
    expect(mayReadCharity({ kind, roles })).toBe(read);
  });

  it.each<[string[], string, boolean]>([
    [['430503000000'], '430503101000', true],
    [['430503101000'], '430503101000', true],
    [['430503101000'], '430503101201', true],
    [['430503101000'], '430503202000', false],
    [['430503101000'], '430503000000', false],
  ])('an actor in %j covers %s: %s', (divisions, code, covered) => {
    const check = (): void => requireScope(staff(['clerk'], divisions), code, 'an activity');
    if (covered) expect(check).not.toThrow();
    else expect(errorOf(check).code).toBe('OUT_OF_DIVISION_SCOPE');
  });

  it.each([
    ['430503101000', ['430503000000', '430500000000', '430000000000']],
    ['430503000000', ['430500000000', '430000000000']],
    ['430000000000', []],
  ])('the ancestors of %s are %j', (code, expected) => {
    expect(ancestorsOf(code)).toEqual(expected);
  });
});

describe('campaign dates and bounds', () => {
  it.each<[string, string | undefined, boolean]>([
    ['2023-09-01', '2023-09-30', true],
    ['2023-09-05', '2023-09-05', true],
    ['2023-09-05', undefined, true],
    ['2023-09-05', '2023-09-04', false],
  ])('starts %s, ends %s → valid %s', (startsOn, endsOn, valid) => {
    if (valid) expect(() => checkCampaignDates({ startsOn, endsOn })).not.toThrow();
    else expect(errorOf(() => checkCampaignDates({ startsOn, endsOn })).fields).toEqual([expect.objectContaining({ field: 'endsOn', rule: 'after-start' })]);
  });

  const charityDay: CampaignBounds = { name: '中华慈善日', divisionCode: '430503000000', startsOn: '2023-09-01', endsOn: '2023-09-30' };
  const openEnded: CampaignBounds = { ...charityDay, endsOn: null };
  it.each<[CampaignBounds, string, boolean]>([
    [charityDay, '2023-08-31', false],
    [charityDay, '2023-09-01', true],
    [charityDay, '2023-09-05', true],
    [charityDay, '2023-09-30', true],
    [charityDay, '2023-10-01', false],
    [openEnded, '2030-01-01', true],
    [openEnded, '2023-08-31', false],
  ])('held within %j on %s: %s', (campaign, heldOn, ok) => {
    if (ok) expect(() => checkHeldWithinCampaign(heldOn, campaign)).not.toThrow();
    else expect(errorOf(() => checkHeldWithinCampaign(heldOn, campaign)).fields).toEqual([expect.objectContaining({ field: 'heldOn', rule: 'within-campaign' })]);
  });

  it.each<[string, string, boolean]>([
    ['430503000000', '430503101000', true],
    ['430503000000', '430503000000', true],
    ['430503101000', '430503101000', true],
    ['430503101000', '430503202000', false],
    ['430503101000', '430503000000', false],
  ])('a campaign of %s admits entries in %s: %s', (campaignDivision, divisionCode, ok) => {
    const check = (): void => checkWithinCampaignDivision(divisionCode, { ...charityDay, divisionCode: campaignDivision });
    if (ok) expect(check).not.toThrow();
    else expect(errorOf(check).fields).toEqual([expect.objectContaining({ field: 'divisionCode', rule: 'within-campaign' })]);
  });
});

describe('donation fields fit the kind', () => {
  const campaignId = '01890000-0000-7000-8000-000000000000';
  const money: DonationShape = { campaignId, donorKind: 'organisation', donorName: '某公司', kind: 'money', amountFen: 100000 };
  const goods: DonationShape = { campaignId, donorKind: 'person', donorName: '张三', kind: 'goods', goodsDescription: '大米', quantity: 50, valueFen: 250000 };

  it.each<[string, DonationShape, [string, string][]]>([
    ['money', money, []],
    ['goods', goods, []],
    ['anonymous money', { campaignId, donorKind: 'anonymous', kind: 'money', amountFen: 1 }, []],
    ['general fund with its division', { ...money, campaignId: undefined, divisionCode: '430503000000' }, []],
    ['general fund without a division', { ...money, campaignId: undefined }, [['divisionCode', 'required']]],
    ['money without an amount', { ...money, amountFen: undefined }, [['amountFen', 'required']]],
    [
      'money with goods fields',
      { ...money, goodsDescription: '大米', quantity: 1, valueFen: 1 },
      [
        ['goodsDescription', 'not-allowed'],
        ['quantity', 'not-allowed'],
        ['valueFen', 'not-allowed'],
      ],
    ],
    [
      'goods with nothing of goods, and an amount',
      { campaignId, donorKind: 'person', donorName: '张三', kind: 'goods', amountFen: 5 },
      [
        ['goodsDescription', 'required'],
        ['quantity', 'required'],
        ['valueFen', 'required'],
        ['amountFen', 'not-allowed'],
      ],
    ],
    ['goods without a value', { ...goods, valueFen: undefined }, [['valueFen', 'required']]],
    ['a person without a name', { ...goods, donorName: undefined }, [['donorName', 'required']]],
    ['an organisation without a name', { ...money, donorName: undefined }, [['donorName', 'required']]],
    ['an anonymous donor with a name', { ...money, donorKind: 'anonymous' }, [['donorName', 'not-allowed']]],
  ])('%s', (_label, donation, expected) => {
    expect(donationFieldErrors(donation).map((f) => [f.field, f.rule])).toEqual(expected);
    if (expected.length === 0) expect(() => checkDonation(donation)).not.toThrow();
    else expect(errorOf(() => checkDonation(donation)).code).toBe('VALIDATION_FAILED');
  });
});

describe('an activity records something', () => {
  const nothing: ActivityFigures = { householdsVisited: 0, personsServed: 0, fundsDistributedFen: 0, goodsDistributedValueFen: 0 };
  it.each<[Partial<ActivityFigures>, boolean]>([
    [{}, false],
    [{ householdsVisited: 1 }, true],
    [{ personsServed: 1 }, true],
    [{ fundsDistributedFen: 1 }, true],
    [{ goodsDistributedValueFen: 1 }, true],
  ])('%j → %s', (figures, ok) => {
    const check = (): void => checkActivityFigures({ ...nothing, ...figures });
    if (ok) expect(check).not.toThrow();
    else {
      const error = errorOf(check);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.fields?.map((f) => [f.field, f.rule])).toEqual([
        ['householdsVisited', 'at-least-one'],
        ['personsServed', 'at-least-one'],
        ['fundsDistributedFen', 'at-least-one'],
        ['goodsDistributedValueFen', 'at-least-one'],
      ]);
    }
  });
});

describe('a pool never hands out more than it has left', () => {
  // 10,000.00元 received, 3,000.00元 out; goods worth 1,500.00元 received, 500.00元 out.
  const pool: PoolTotals = { fundsReceivedFen: 1_000_000, fundsDistributedFen: 300_000, goodsReceivedValueFen: 150_000, goodsDistributedValueFen: 50_000 };

  it('has received minus distributed left', () => {
    expect(poolRemaining(pool)).toEqual({ fundsFen: 700_000, goodsValueFen: 100_000 });
  });

  it.each<[number, number, string[]]>([
    [0, 0, []],
    [700_000, 0, []],
    [700_000, 100_000, []],
    [700_001, 0, ['fundsDistributedFen']],
    [0, 100_001, ['goodsDistributedValueFen']],
    [700_001, 100_001, ['fundsDistributedFen', 'goodsDistributedValueFen']],
  ])('%d fen and goods worth %d fen → refused for %j', (fundsDistributedFen, goodsDistributedValueFen, refused) => {
    const check = (): void => checkPoolCovers(pool, { fundsDistributedFen, goodsDistributedValueFen }, 'campaign 中华慈善日');
    if (refused.length === 0) {
      expect(check).not.toThrow();
    } else {
      const error = errorOf(check);
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain('中华慈善日');
      expect(error.fields?.map((f) => [f.field, f.rule])).toEqual(refused.map((field) => [field, 'pool-balance']));
    }
  });

  it('an empty pool refuses any money', () => {
    const empty: PoolTotals = { fundsReceivedFen: 0, fundsDistributedFen: 0, goodsReceivedValueFen: 0, goodsDistributedValueFen: 0 };
    expect(errorOf(() => checkPoolCovers(empty, { fundsDistributedFen: 1, goodsDistributedValueFen: 0 }, GENERAL_FUND_NAME)).code).toBe('CONFLICT');
  });
});

describe('the summary', () => {
  it.each([
    [2023, { from: '2023-01-01', to: '2024-01-01' }],
    [2024, { from: '2024-01-01', to: '2025-01-01' }],
  ])('year %d spans %j', (year, range) => {
    expect(yearRange(year)).toEqual(range);
  });

  const row = (over: Partial<PoolYearRow>): PoolYearRow => ({
    campaignId: null,
    name: null,
    kind: null,
    fundsReceivedFen: 0,
    fundsDistributedFen: 0,
    goodsReceivedValueFen: 0,
    goodsDistributedValueFen: 0,
    donations: 0,
    activities: 0,
    householdsVisited: 0,
    personsServed: 0,
    ...over,
  });

  it('adds the pools up, names the general fund and computes each balance', () => {
    const view = summarise(2023, null, [
      row({ campaignId: 'c1', name: '中华慈善日', kind: 'charity-day', fundsReceivedFen: 300_000_000, fundsDistributedFen: 100_000_000, donations: 2, activities: 1, personsServed: 400 }),
      row({ fundsReceivedFen: 3_000_000, fundsDistributedFen: 5_000_000, goodsReceivedValueFen: 1_500_000, goodsDistributedValueFen: 1_500_000, donations: 1, activities: 20, householdsVisited: 4700 }),
    ]);
    expect(view.byCampaign.map((c) => [c.campaignId, c.name, c.kind, c.balanceFen])).toEqual([
      ['c1', '中华慈善日', 'charity-day', 200_000_000],
      [null, GENERAL_FUND_NAME, null, -2_000_000],
    ]);
    expect(view).toMatchObject({ year: 2023, divisionCode: null });
    expect(view.total).toEqual({
      fundsReceivedFen: 303_000_000,
      fundsDistributedFen: 105_000_000,
      balanceFen: 198_000_000,
      goodsReceivedValueFen: 1_500_000,
      goodsDistributedValueFen: 1_500_000,
      donations: 3,
      activities: 21,
      householdsVisited: 4700,
      personsServed: 400,
    });
  });

  it('is all zeros with no rows', () => {
    const view = summarise(2022, '430503101000', []);
    expect(view.byCampaign).toEqual([]);
    expect(Object.values(view.total).every((v) => v === 0)).toBe(true);
    expect(view.divisionCode).toBe('430503101000');
  });
});
