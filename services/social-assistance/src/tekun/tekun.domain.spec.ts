import { computeTekunAmount, evaluateTekunEligibility, type TekunFacts, type TekunRule } from './tekun.domain';

const rule: TekunRule = {
  basicMultipleBp: 13000,
  careBp: { full: 1000, partial: 1667, none: 3334 },
  centralizedCareBonusBp: 5000,
  depositLimitMonths: 24,
  funeralSubsidyFen: 300000,
};

/** A 70-year-old alone, no income or assets, no supporters, rural standard 430元. */
const eligible: TekunFacts = {
  ageYears: 70,
  livesOnOwnLabour: false,
  monthlyIncomeFen: 0,
  financialAssetsFen: 0,
  ownsVehicle: false,
  ownsNonResidentialProperty: false,
  legalSupporters: { status: 'none', detail: '' },
  dibaoStandardFen: 43000,
};

function finding(facts: Partial<TekunFacts>, condition: string): { met: boolean; basis: string } {
  const result = evaluateTekunEligibility({ ...eligible, ...facts }, rule);
  const found = result.conditions.find((c) => c.condition === condition);
  if (!found) throw new Error(`no finding for ${condition}`);
  return found;
}

describe('evaluateTekunEligibility', () => {
  it('finds a person meeting all three conditions eligible, with the basis of each', () => {
    const result = evaluateTekunEligibility(eligible, rule);
    expect(result.eligible).toBe(true);
    expect(result.conditions.map((c) => [c.condition, c.met])).toEqual([
      ['unable-to-work', true],
      ['no-means-of-living', true],
      ['no-legal-supporter', true],
    ]);
    expect(result.conditions[0]?.basis).toBe('aged 70 (60 or over)');
  });

  it.each<[string, Partial<TekunFacts>, boolean]>([
    ['60 exactly', { ageYears: 60 }, true],
    ['59 without disability', { ageYears: 59 }, false],
    ['15', { ageYears: 15 }, true],
    ['16 not living on own labour', { ageYears: 16 }, true],
    ['17 living on own labour', { ageYears: 17, livesOnOwnLabour: true }, false],
    ['18', { ageYears: 18 }, false],
    ['40, intellectual grade 3', { ageYears: 40, disability: { category: 'intellectual', grade: 3 } }, true],
    ['40, intellectual grade 4', { ageYears: 40, disability: { category: 'intellectual', grade: 4 } }, false],
    ['40, mental grade 3', { ageYears: 40, disability: { category: 'mental', grade: 3 } }, true],
    ['40, physical grade 2', { ageYears: 40, disability: { category: 'physical', grade: 2 } }, true],
    ['40, physical grade 3', { ageYears: 40, disability: { category: 'physical', grade: 3 } }, false],
    ['40, visual grade 1', { ageYears: 40, disability: { category: 'visual', grade: 1 } }, true],
    ['40, visual grade 2', { ageYears: 40, disability: { category: 'visual', grade: 2 } }, false],
    ['40, hearing grade 1', { ageYears: 40, disability: { category: 'hearing', grade: 1 } }, false],
    ['40, multiple grade 2', { ageYears: 40, disability: { category: 'multiple', grade: 2 } }, true],
  ])('unable to work: %s → %s', (_label, facts, met) => {
    expect(finding(facts, 'unable-to-work').met).toBe(met);
  });

  it.each<[string, Partial<TekunFacts>, boolean]>([
    ['income just below the standard', { monthlyIncomeFen: 42999 }, true],
    ['income at the standard', { monthlyIncomeFen: 43000 }, false],
    ['deposits at the limit (24 months)', { financialAssetsFen: 43000 * 24 }, true],
    ['deposits one fen over the limit', { financialAssetsFen: 43000 * 24 + 1 }, false],
    ['a vehicle', { ownsVehicle: true }, false],
    ['non-residential property', { ownsNonResidentialProperty: true }, false],
  ])('no means of living: %s → %s', (_label, facts, met) => {
    expect(finding(facts, 'no-means-of-living').met).toBe(met);
  });

  it('lists every failing means test in the basis', () => {
    const basis = finding({ monthlyIncomeFen: 50000, ownsVehicle: true }, 'no-means-of-living').basis;
    expect(basis).toContain('not below the 低保 standard');
    expect(basis).toContain('owns a vehicle');
  });

  it.each<[string, TekunFacts['legalSupporters'], boolean]>([
    ['no supporters', { status: 'none', detail: '' }, true],
    ['supporters unable, with the reason', { status: 'unable', detail: '独子重度残疾' }, true],
    ['supporters unable, no reason', { status: 'unable', detail: '  ' }, false],
  ])('no legal supporter: %s → %s', (_label, legalSupporters, met) => {
    expect(finding({ legalSupporters }, 'no-legal-supporter').met).toBe(met);
  });

  it('refuses when any one condition fails', () => {
    expect(evaluateTekunEligibility({ ...eligible, ageYears: 45 }, rule).eligible).toBe(false);
    expect(evaluateTekunEligibility({ ...eligible, ownsVehicle: true }, rule).eligible).toBe(false);
    expect(evaluateTekunEligibility({ ...eligible, legalSupporters: { status: 'unable', detail: '' } }, rule).eligible).toBe(false);
  });
});

describe('computeTekunAmount', () => {
  // Minimum wage 1740元: 1/10 = 174.00, 16.67 % = 290.058 → 290.06, 33.34 % = 580.116 → 580.12.
  it.each<['centralized' | 'dispersed', 'full' | 'partial' | 'none', number, number]>([
    ['dispersed', 'full', 55900, 17400],
    ['dispersed', 'partial', 55900, 29006],
    ['dispersed', 'none', 55900, 58012],
    ['centralized', 'full', 55900, 26100],
    ['centralized', 'partial', 55900, 43509],
    ['centralized', 'none', 55900, 87018],
  ])('%s, self-care %s: basic %i + care %i', (careMode, selfCareLevel, basic, care) => {
    const amount = computeTekunAmount({ dibaoStandardFen: 43000, minimumWageFen: 174000, rule, careMode, selfCareLevel });
    expect(amount).toEqual({ basicLivingFen: basic, careAllowanceFen: care, monthlyAmountFen: basic + care });
  });

  it('rounds the basic living standard up, never below 1.3 × the standard', () => {
    const amount = computeTekunAmount({ dibaoStandardFen: 62001, minimumWageFen: 174000, rule, careMode: 'dispersed', selfCareLevel: 'full' });
    expect(amount.basicLivingFen).toBe(80602); // 62001 × 1.3 = 80601.3
    expect(amount.basicLivingFen * 10_000).toBeGreaterThanOrEqual(62001 * 13000);
  });

  it('keeps every care allowance at or above its statutory floor', () => {
    for (const minimumWageFen of [150001, 174000, 193333]) {
      const share = (level: 'full' | 'partial' | 'none'): number =>
        computeTekunAmount({ dibaoStandardFen: 43000, minimumWageFen, rule, careMode: 'dispersed', selfCareLevel: level }).careAllowanceFen;
      expect(share('full') * 10).toBeGreaterThanOrEqual(minimumWageFen);
      expect(share('partial') * 6).toBeGreaterThanOrEqual(minimumWageFen);
      expect(share('none') * 3).toBeGreaterThanOrEqual(minimumWageFen);
    }
  });
});
