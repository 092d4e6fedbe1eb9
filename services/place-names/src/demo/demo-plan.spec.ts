import { createPlaceNameSchema } from '@civil/contracts';
import { romanize } from '../gazetteer/romanization';
import { DEMO_COUNTS, REFUSED_WORDS, RENAMING_HOOK, placeKey, planPlaceNamesDemo } from './demo-plan';

describe('the demo gazetteer plan', () => {
  const plan = planPlaceNamesDemo();

  it('has the report’s 3969 records in the five classes and 3012 in other categories', () => {
    const count = (category: string): number => plan.filter((p) => p.input.category === category).length;
    for (const [category, n] of Object.entries(DEMO_COUNTS)) expect([category, count(category)]).toEqual([category, n]);
    const five = ['administrative-division', 'natural-feature', 'street-road-lane', 'committee-seat', 'residential-area-or-building'];
    expect(plan.filter((p) => five.includes(p.input.category))).toHaveLength(3969);
    expect(plan.filter((p) => !five.includes(p.input.category))).toHaveLength(3012);
  });

  it('is the same on every run', () => {
    expect(planPlaceNamesDemo()).toEqual(plan);
    expect(planPlaceNamesDemo({ seed: 7 })).not.toEqual(plan);
  });

  it('makes names unique in the district, without refused words, each valid as a gazetteer record', () => {
    const names = plan.map((p) => p.input.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(plan.map((p) => placeKey(p.input.divisionCode, p.input.name))).size).toBe(plan.length);
    const generated = plan.filter((p) => !RENAMING_HOOK.some((r) => r.oldName === p.input.name));
    expect(generated.filter((p) => REFUSED_WORDS.some((w) => p.input.name.includes(w)))).toEqual([]);
    expect(plan.filter((p) => !createPlaceNameSchema.safeParse(p.input).success).map((p) => p.input.name)).toEqual([]);
  });

  it('gives no two streets of a township the same sound', () => {
    const streets = plan.filter((p) => p.input.category === 'street-road-lane');
    const sounds = streets.map((p) => `${p.input.divisionCode}|${romanize(p.input.name).toLowerCase().replace(/[^a-z]/g, '')}`);
    expect(new Set(sounds).size).toBe(sounds.length);
  });

  it('plans a result for every record: mostly confirmed, corrections and supplements with their fields, all in 2023', () => {
    const outcomes = { reviewed: 0, corrected: 0, supplemented: 0 };
    for (const p of plan) {
      outcomes[p.result.outcome] += 1;
      expect(p.result.reviewedOn >= '2023-01-01' && p.result.reviewedOn <= '2023-12-31').toBe(true);
      if (p.result.outcome === 'supplemented') expect(p.result.corrections.origin).toBeDefined();
      if (p.result.outcome === 'corrected') expect(p.result.corrections.locationDescription).toBeDefined();
    }
    expect(outcomes.reviewed / plan.length).toBeGreaterThan(0.65);
    expect(outcomes.corrected).toBeGreaterThan(0);
    expect(outcomes.supplemented).toBeGreaterThan(0);
  });

  it('records the seed’s two residential areas under their 2023 names', () => {
    expect(plan.filter((p) => ['东方威尼斯小区', '大顺米兰豪苑'].includes(p.input.name)).map((p) => p.input.category)).toEqual([
      'residential-area-or-building',
      'residential-area-or-building',
    ]);
  });
});
