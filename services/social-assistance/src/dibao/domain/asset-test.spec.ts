import { assessDibaoAssets, type DibaoAssetRule, type HouseholdAssets } from './asset-test';

const rule: DibaoAssetRule = { financialLimitMonths: 24, vehicleExemptValueFen: 1_000_000, nonResidentialPropertyAllowed: false, businessCapitalCapFen: 5_000_000 };
const none: HouseholdAssets = { financialFen: 0, largestVehicleFen: 0, nonResidentialPropertyFen: 0, businessCapitalFen: 0 };
// Urban demo standard 620.00元: 24 months = 14,880.00元 per person.
const STANDARD = 62_000;

describe('assessDibaoAssets', () => {
  it.each<[string, Partial<HouseholdAssets>, number, boolean]>([
    ['no assets', {}, 1, true],
    ['deposits of exactly 24 months for one person', { financialFen: 1_488_000 }, 1, true],
    ['one fen more', { financialFen: 1_488_001 }, 1, false],
    ['the same deposits shared by three persons', { financialFen: 1_488_001 * 3 }, 3, false],
    ['deposits per person rounded down', { financialFen: 1_488_000 * 3 + 2 }, 3, true],
    ['an exempt vehicle (a motorcycle)', { largestVehicleFen: 1_000_000 }, 2, true],
    ['a car', { largestVehicleFen: 6_000_000 }, 2, false],
    ['a shop (non-residential property)', { nonResidentialPropertyFen: 1 }, 2, false],
    ['business capital at the cap', { businessCapitalFen: 5_000_000 }, 2, true],
    ['business capital over the cap', { businessCapitalFen: 5_000_001 }, 2, false],
  ])('%s → %s', (_label, assets, size, passed) => {
    expect(assessDibaoAssets({ ...none, ...assets }, size, STANDARD, rule).passed).toBe(passed);
  });

  it('lists every failed rule', () => {
    const result = assessDibaoAssets({ financialFen: 9_000_000, largestVehicleFen: 8_000_000, nonResidentialPropertyFen: 100, businessCapitalFen: 9_000_000 }, 1, STANDARD, rule);
    expect(result.failures).toHaveLength(4);
    expect(result.financialLimitPerCapitaFen).toBe(1_488_000);
  });

  it('allows non-residential property where the rule does', () => {
    expect(assessDibaoAssets({ ...none, nonResidentialPropertyFen: 100 }, 1, STANDARD, { ...rule, nonResidentialPropertyAllowed: true }).passed).toBe(true);
  });

  it('refuses a household of no one', () => {
    expect(() => assessDibaoAssets(none, 0, STANDARD, rule)).toThrow(RangeError);
  });
});
