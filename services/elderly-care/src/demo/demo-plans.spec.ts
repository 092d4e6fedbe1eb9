import { ResidentId } from '@civil/domain-kernel';
import { DEMO_RATES, paidInYear, planOlderResidents } from './age-allowances-demo';
import { seededRng } from './demo-support';
import { formerlyPoorPeople, planItems } from './home-adaptation-demo';
import { INSPECTIONS_2023, INSTITUTIONS_2023, planStays } from './institutions-demo';
import { SEED_2023 } from './seed-2023';

describe('the 2023 demo plans of elderly care', () => {
  it('registers older residents whose year pays exactly the report’s two amounts at the rule table’s rates', () => {
    const plan = planOlderResidents();
    expect(JSON.stringify(planOlderResidents())).toBe(JSON.stringify(plan));
    const paid = plan.map((p) => paidInYear(p, DEMO_RATES));
    expect(paid.reduce((n, p) => n + p['high-age'], 0)).toBe(SEED_2023.ageAllowances.highAgeFen);
    expect(paid.reduce((n, p) => n + p.longevity, 0)).toBe(SEED_2023.ageAllowances.longevityFen);
    expect(new Set(plan.map((p) => p.residentId)).size).toBe(plan.length);
    for (const p of plan) {
      const id = ResidentId.parse(p.residentId);
      expect(id.birthDate).toBe(p.birthDate);
      expect(id.ageOn('2022-12-20')).toBeGreaterThanOrEqual(60);
    }
    // The band move at 100 gives money to both bands within the year.
    const turning100 = plan.map((p, i) => ({ p, paid: paid[i] })).filter(({ p }) => p.kind === 'turning-100');
    expect(turning100.length).toBeGreaterThan(0);
    expect(turning100.every(({ paid: x }) => (x?.['high-age'] ?? 0) > 0 && (x?.longevity ?? 0) > 0)).toBe(true);
    expect(plan.filter((p) => p.diedOn !== undefined).length).toBeGreaterThan(5);
  });

  it('registers 5 public and 8 private institutions opened before 2023, and never fills more beds than there are', () => {
    expect(INSTITUTIONS_2023.filter((i) => i.ownership === 'public')).toHaveLength(SEED_2023.institutions.public);
    expect(INSTITUTIONS_2023.filter((i) => i.ownership === 'private')).toHaveLength(SEED_2023.institutions.private);
    expect(INSTITUTIONS_2023.every((i) => i.openedOn < '2023-01-01')).toBe(true);
    const stays = planStays();
    INSTITUTIONS_2023.forEach((inst, i) => {
      for (const bedType of ['self-care', 'semi-dependent', 'dependent'] as const) {
        const mine = stays.filter((s) => s.institution === i && s.bedType === bedType);
        const dates = [...new Set(mine.map((s) => s.admittedOn))];
        for (const d of dates) {
          const inCare = mine.filter((s) => s.admittedOn <= d && (s.discharge === undefined || s.discharge.on > d)).length;
          expect(inCare).toBeLessThanOrEqual(inst.beds[bedType]);
        }
        expect(mine.every((s) => s.admittedOn >= inst.openedOn && (s.discharge === undefined || (s.discharge.on > s.admittedOn && s.discharge.on <= '2023-12-31')))).toBe(true);
      }
    });
    expect(INSPECTIONS_2023.every((i) => i.findings.every((f) => f.deadline >= i.inspectedOn && (f.rectifiedOn === undefined || f.rectifiedOn >= i.inspectedOn)))).toBe(true);
  });

  it('plans subsidies of 3000–4000元 from the basic items, and 脱贫 people of 80 and over', () => {
    const rng = seededRng(1);
    for (let i = 0; i < 500; i++) {
      const items = planItems(rng, 300_000, 400_000);
      const subsidy = items.filter((x) => x.category === 'basic').reduce((n, x) => n + x.amountFen, 0);
      expect(subsidy).toBeGreaterThanOrEqual(300_000);
      expect(subsidy).toBeLessThanOrEqual(400_000);
      expect(items.every((x) => x.amountFen > 0)).toBe(true);
    }
    const people = formerlyPoorPeople(66);
    expect(new Set(people.map((p) => p.residentId)).size).toBe(66);
    expect(people.every((p) => ResidentId.parse(p.residentId).ageOn('2023-01-01') >= 80)).toBe(true);
  });
});
