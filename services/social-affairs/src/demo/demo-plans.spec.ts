import { ResidentId, dayOfWeek } from '@civil/domain-kernel';
import { COUNSELLING_OUTCOMES_BY_KIND, creditCodeProblem } from '@civil/contracts';
import { creditCodeCategoryProblem } from '../organisations/organisations.domain';
import { planCounselling, sessionDays } from './counselling-demo';
import { isWorkingDay } from './demo-support';
import { demoCreditCode, planOrganisations } from './organisations-demo';
import { DIVORCE_APPLICATIONS, planRegistrations } from './registrations-demo';
import { SOCIAL_WORK_2023 } from './social-work-demo';
import { SEED_2023 } from './seed-2023';

describe('the 2023 demo plans of social affairs', () => {
  const registrations = planRegistrations();

  it('is the same on every run', () => {
    expect(JSON.stringify(planRegistrations())).toBe(JSON.stringify(registrations));
  });

  it('registers 1753 marriages on 2023 working days (and 520), the parties old enough, one of them from the district, everyone once', () => {
    expect(registrations.marriages).toHaveLength(SEED_2023.marriages);
    const everyone = [...registrations.marriages, ...registrations.earlierMarriages].flatMap((c) => [c.man, c.woman]);
    expect(new Set(everyone.map((p) => p.residentId)).size).toBe(everyone.length);
    for (const c of registrations.marriages) {
      expect(c.registeredOn.startsWith('2023-')).toBe(true);
      expect(isWorkingDay(c.registeredOn) || c.registeredOn === '2023-05-20').toBe(true);
      const man = ResidentId.parse(c.man.residentId);
      const woman = ResidentId.parse(c.woman.residentId);
      expect([man.sex, woman.sex]).toEqual(['male', 'female']);
      expect(man.ageOn(c.registeredOn)).toBeGreaterThanOrEqual(22);
      expect(woman.ageOn(c.registeredOn)).toBeGreaterThanOrEqual(20);
      expect([c.man.hukouDivisionCode, c.woman.hukouDivisionCode].some((d) => d.startsWith('430503'))).toBe(true);
    }
    const perDay = new Map<string, number>();
    for (const c of registrations.marriages) if (c.bookedOn !== undefined) perDay.set(c.registeredOn, (perDay.get(c.registeredOn) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(40);
  });

  it('dissolves in 2023 722 marriages registered here in 2021–2022, each registered within its appearance period', () => {
    const registered = registrations.divorces.filter((d) => d.outcome === 'registered');
    expect(registered).toHaveLength(SEED_2023.divorces);
    for (const d of registered) {
      expect(d.onDate?.startsWith('2023-')).toBe(true);
      expect((d.onDate ?? '') > d.coolingOffEndsOn && (d.onDate ?? '') <= d.appearByOn).toBe(true);
      expect((registrations.earlierMarriages[d.marriage]?.registeredOn ?? '9999') < d.receivedOn).toBe(true);
    }
    expect(registrations.earlierMarriages.every((c) => c.registeredOn >= '2021-01-01' && c.registeredOn < '2023-01-01')).toBe(true);
    expect(new Set(registrations.divorces.map((d) => d.marriage)).size).toBe(registrations.divorces.length);
    expect(registrations.divorces.filter((d) => d.outcome === 'withdrawn').every((d) => (d.onDate ?? '') <= d.coolingOffEndsOn)).toBe(true);
    expect(registrations.divorces.filter((d) => d.outcome === 'lapsed').every((d) => d.appearByOn < '2023-12-31')).toBe(true);
    expect(registrations.divorces).toHaveLength(SEED_2023.divorces + DIVORCE_APPLICATIONS.withdrawn + DIVORCE_APPLICATIONS.lapsed + DIVORCE_APPLICATIONS.openAtYearEnd);
  });

  it('counsels on the Wednesdays of 2023 that are not holidays, with outcomes fitting each kind', () => {
    const days = sessionDays();
    expect(days.every((d) => dayOfWeek(d) === 3)).toBe(true);
    expect(days).toHaveLength(48);
    for (const holiday of ['2023-01-25', '2023-04-05', '2023-05-03', '2023-10-04']) expect(days).not.toContain(holiday);
    const plan = planCounselling(registrations);
    expect(plan.bookings.length).toBeGreaterThan(100);
    for (const b of plan.bookings) {
      expect(days).toContain(b.sessionDate);
      expect(COUNSELLING_OUTCOMES_BY_KIND[b.kind]).toContain(b.outcome);
    }
    expect(new Set(plan.bookings.map((b) => b.kind))).toEqual(new Set(['premarital', 'divorce-mediation', 'psychological']));
  });

  it('registers 27 社会团体 and 108 民办非企业单位 with valid credit codes of their category and distinct names', () => {
    const orgs = planOrganisations();
    expect(orgs.filter((o) => o.type === 'social-group')).toHaveLength(SEED_2023.organisations.socialGroups);
    expect(orgs.filter((o) => o.type === 'private-non-enterprise')).toHaveLength(SEED_2023.organisations.privateNonEnterprise);
    expect(new Set(orgs.map((o) => o.name)).size).toBe(orgs.length);
    expect(new Set(orgs.map((o) => o.creditCode)).size).toBe(orgs.length);
    for (const o of orgs) {
      expect(creditCodeProblem(o.creditCode)).toBeNull();
      expect(creditCodeCategoryProblem(o.type, o.creditCode)).toBeNull();
      expect(o.registeredOn <= '2023-12-31').toBe(true);
    }
    expect(demoCreditCode('social-group', 1).slice(0, 8)).toBe('51430503');
  });

  it('records 20余 social work activities in 2023', () => {
    expect(SOCIAL_WORK_2023.length).toBeGreaterThanOrEqual(SEED_2023.socialWorkActivitiesAtLeast);
    expect(SOCIAL_WORK_2023.length).toBeLessThan(30);
    expect(SOCIAL_WORK_2023.every((a) => a.heldOn.startsWith('2023-'))).toBe(true);
  });
});
