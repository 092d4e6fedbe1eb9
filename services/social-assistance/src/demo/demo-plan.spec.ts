import { computeTekunAmount } from '../tekun/tekun.domain';
import { perCapitaMonthlyLevel } from '../dibao/domain/benefit';
import { planDemo2023, type DemoRules, type PlannedDibaoHousehold } from './demo-plan';
import { SEED_2023 } from './seed-2023';

/** The seeded demo rules (migrations 1764000006000, 1764000010000, 1764000012000). */
const rules: DemoRules = {
  dibaoStandardFen: { urban: 62000, rural: 43000 },
  dibaoFloorBp: { urban: 2000, rural: 2000 },
  minorTopUpBp: 1000,
  temporaryCapBp: 60000,
  tekunAmountFen: (urbanRural, careMode, selfCareLevel) =>
    computeTekunAmount({
      dibaoStandardFen: urbanRural === 'urban' ? 62000 : 43000,
      minimumWageFen: 174000,
      rule: { basicMultipleBp: 13000, careBp: { full: 1000, partial: 1667, none: 3334 }, centralizedCareBonusBp: 5000, depositLimitMonths: 24, funeralSubsidyFen: 300000 },
      careMode,
      selfCareLevel,
    }).monthlyAmountFen,
};

describe('the 2023 demo plan', () => {
  const plan = planDemo2023(rules);
  const persons = (h: PlannedDibaoHousehold): number => h.household.members.length;
  const sum = <T>(items: readonly T[], f: (item: T) => number): number => items.reduce((s, i) => s + f(i), 0);

  it('is the same plan every time', () => {
    const again = planDemo2023(rules);
    expect(again.dibao.map((h) => h.household.members[0]?.residentId)).toEqual(plan.dibao.map((h) => h.household.members[0]?.residentId));
  });

  it('has the report’s 低保 flows and year-end stock', () => {
    const added = plan.dibao.filter((h) => h.plan.origin === 'new');
    const stopped = plan.dibao.filter((h) => h.plan.origin === 'opening' && h.plan.stopMonth !== null);
    expect([added.length, sum(added, persons)]).toEqual([SEED_2023.dibao.newHouseholds, SEED_2023.dibao.newPersons]);
    expect([stopped.length, sum(stopped, persons)]).toEqual([SEED_2023.dibao.stoppedHouseholds, SEED_2023.dibao.stoppedPersons]);
    for (const urbanRural of ['urban', 'rural'] as const) {
      const yearEnd = plan.dibao.filter((h) => h.household.urbanRural === urbanRural && !(h.plan.origin === 'opening' && h.plan.stopMonth !== null));
      expect({ households: yearEnd.length, persons: sum(yearEnd, persons) }).toEqual(SEED_2023.dibao.yearEnd[urbanRural]);
    }
  });

  it.each(['urban', 'rural'] as const)('pays the report’s %s total at its per-capita level', (urbanRural) => {
    const households = plan.dibao.filter((h) => h.household.urbanRural === urbanRural);
    const paid = sum(households, (h) => h.monthlyAmountFen * h.monthsPaid);
    const personMonths = sum(households, (h) => persons(h) * h.monthsPaid);
    expect(paid).toBe(SEED_2023.dibao.paidFen[urbanRural]);
    expect(perCapitaMonthlyLevel(paid, personMonths)).toBe(SEED_2023.dibao.perCapitaLevelFen[urbanRural]);
  });

  it('spreads households over the 14 township-level units', () => {
    const townships = new Set(plan.dibao.map((h) => h.household.divisionCode.slice(0, 9)));
    expect(townships.size).toBe(14);
  });

  it('has the report’s 特困 persons and total', () => {
    const yearEnd = plan.tekun.filter((p) => p.deathMonth === null);
    expect(yearEnd.length).toBe(SEED_2023.tekun.persons);
    expect(yearEnd.filter((p) => p.careMode === 'centralized').length).toBe(SEED_2023.tekun.centralized);
    expect(sum(plan.tekun, (p) => p.monthlyAmountFen * p.monthsPaid)).toBe(SEED_2023.tekun.paidFen);
    expect(plan.tekun.some((p) => p.deathMonth !== null)).toBe(true);
  });

  it('has the report’s temporary assistance, every case within its cap', () => {
    expect(sum(plan.temporary, (c) => c.persons)).toBe(SEED_2023.temporary.personTimes);
    expect(sum(plan.temporary, (c) => c.amountFen)).toBe(SEED_2023.temporary.amountFen);
    for (const c of plan.temporary) {
      const urbanRural = plan.dibao[c.dibaoHouseholdIndex]?.household.urbanRural ?? 'rural';
      expect(c.amountFen).toBeLessThanOrEqual(rules.dibaoStandardFen[urbanRural] * 6);
      expect(c.amountFen).toBeGreaterThan(0);
    }
  });

  it('uses every resident ID once', () => {
    const ids = [...plan.dibao, ...plan.tekun].flatMap((h) => h.household.members.map((m) => m.residentId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
