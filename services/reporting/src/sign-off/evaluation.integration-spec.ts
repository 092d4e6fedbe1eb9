import { DataSource } from 'typeorm';
import type { Actor, SaveIndicatorInput, SetBudgetInput } from '@civil/contracts';
import { serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { BudgetRepository } from '../budget/budget.repository';
import { BudgetService } from '../budget/budget.service';
import { REPORTING_MIGRATIONS } from '../data-source';
import { Evaluation1764000051000 } from '../migrations/1764000051000-evaluation';
import { DashboardsService } from '../dashboards/dashboards.service';
import { IndicatorsRepository } from '../indicators/indicators.repository';
import { IndicatorsService } from '../indicators/indicators.service';
import { DataElementsService } from '../projections/data-elements.service';
import type { DataElement } from '../projections/elements';
import { ValidationRepository } from '../validation/validation.repository';
import { ValidationService } from '../validation/validation.service';
import { EvaluationReportInputs } from './report-inputs.adapter';
import { SignOffRepository } from './sign-off.repository';
import { SignOffService } from './sign-off.service';
import { SnapshotStore } from './snapshot.store';

/**
 * Indicators, budget execution, validation, sign-off and dashboards against real PostgreSQL, with
 * the migration's 2023 seed and small data elements of the test's own, fed by facts and state
 * versions inserted directly (not through any mapper).
 */
const ELEMENTS: DataElement[] = [
  { code: 'dibao.paid', kind: 'flow', label: '低保发放', unit: 'fen' },
  { code: 'dibao.person-months', kind: 'flow', label: '低保保障人月', unit: 'person-months' },
  { code: 'tekun.paid', kind: 'flow', label: '特困发放', unit: 'fen' },
  { code: 'certificates.issued', kind: 'flow', label: '出证', unit: 'count' },
  { code: 'certificates.accurate', kind: 'flow', label: '准确出证', unit: 'count' },
  { code: 'organisations', kind: 'stock', label: '社会组织', unit: 'count', entityKind: 'organisation', measure: 'entities' },
  { code: 'organisations.social-groups', kind: 'stock', label: '社会团体', unit: 'count', entityKind: 'organisation', measure: 'entities', where: { type: 'social-group' } },
  { code: 'organisations.private-non-enterprise', kind: 'stock', label: '民办非企业单位', unit: 'count', entityKind: 'organisation', measure: 'entities', where: { type: 'private-non-enterprise' } },
  { code: 'tekun.persons', kind: 'stock', label: '特困人员', unit: 'persons', entityKind: 'tekun-person', measure: 'entities' },
  { code: 'tekun.persons.centralized', kind: 'stock', label: '集中供养', unit: 'persons', entityKind: 'tekun-person', measure: 'entities', where: { careMode: 'centralized' } },
  { code: 'tekun.persons.dispersed', kind: 'stock', label: '分散供养', unit: 'persons', entityKind: 'tekun-person', measure: 'entities', where: { careMode: 'dispersed' } },
];

const YUXI = '430503101000';
const BANQIAO = '430503102000';
const finance: Actor = { userId: 'fin-1', kind: 'staff', roles: ['finance-officer'], divisions: ['430503000000'] };
const finance2: Actor = { userId: 'fin-2', kind: 'staff', roles: ['finance-officer', 'leader'], divisions: ['430503000000'] };
const leader: Actor = { userId: 'lead-1', kind: 'staff', roles: ['leader'], divisions: ['430503000000'] };
const clerk: Actor = { userId: 'clerk-1', kind: 'staff', roles: ['clerk'], divisions: ['430503000000'] };
const citizen: Actor = { userId: 'c-1', kind: 'citizen', roles: ['citizen'], divisions: [] };

describe('performance evaluation (PostgreSQL)', () => {
  let ds: DataSource;
  let budget: BudgetService;
  let indicators: IndicatorsService;
  let validation: ValidationService;
  let signOff: SignOffService;
  let dashboards: DashboardsService;
  let reportInputs: EvaluationReportInputs;
  let seq = 0;

  async function fact(element: string, date: string, value: number, urbanRural: 'urban' | 'rural' | null = null, division = YUXI): Promise<void> {
    seq += 1;
    await ds.query(
      `INSERT INTO fact (key, element, division_code, business_date, urban_rural, value, event_id, event_time) VALUES ($1, $2, $3, $4, $5, $6, gen_random_uuid(), now())`,
      [`test-${seq}`, element, division, date, urbanRural, value],
    );
  }
  async function state(entityKind: string, entityId: string, effectiveFrom: string, attributes: Record<string, string>, active = true): Promise<void> {
    await ds.query(
      `INSERT INTO state_version (entity_kind, entity_id, event_id, effective_from, event_time, active, division_code, urban_rural, persons, attributes)
       VALUES ($1, $2, gen_random_uuid(), $3, now(), $4, $5, NULL, 1, $6)`,
      [entityKind, entityId, effectiveFrom, active, YUXI, JSON.stringify(attributes)],
    );
  }
  async function count(table: string): Promise<number> {
    const [row] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
    return row?.n ?? -1;
  }
  const budget2024 = (more: Partial<SetBudgetInput> = {}): SetBudgetInput => ({
    year: 2024,
    statedTotalFen: 10_000_000,
    basicFen: 2_000_000,
    projectFen: 8_000_000,
    carryOverFen: 1_000_000,
    additionsFen: 1_000_000,
    yearEndBalanceFen: 600_000,
    projects: [
      { code: 'dibao', name: '城乡最低生活保障资金', programme: '城乡低保', amountFen: 2_000_000, elements: ['dibao.paid'] },
      { code: 'tekun', name: '特困人员救助供养资金', programme: '特困供养', amountFen: null, elements: ['tekun.paid'] },
    ],
    ...more,
  });
  const perCapita: SaveIndicatorInput = {
    code: 'test.per-capita.urban',
    name: '城市低保月人均救助水平',
    category: 'output-cost',
    source: { kind: 'elements', numerator: { element: 'dibao.paid', urbanRural: 'urban' }, denominator: { element: 'dibao.person-months', urbanRural: 'urban' } },
    factor: 0.01,
    unit: '元/人·月',
    direction: 'higher-better',
    scoring: { kind: 'proportional', floor: 0.8, tolerance: 0 },
  };

  beforeAll(async () => {
    ds = new DataSource(serviceDataSourceOptions({ url: await createTestDatabase('reporting_evaluation'), entities: [], migrations: REPORTING_MIGRATIONS, applicationName: 'evaluation-test', poolSize: 4 }));
    await ds.initialize();
    await ds.runMigrations();
    const elements = new DataElementsService(ds, ELEMENTS);
    const snapshots = new SnapshotStore(ds);
    budget = new BudgetService(ds, new BudgetRepository(ds), elements, snapshots);
    indicators = new IndicatorsService(ds, new IndicatorsRepository(ds), elements, budget, snapshots);
    validation = new ValidationService(ds, new ValidationRepository(ds), elements, budget, indicators, snapshots);
    signOff = new SignOffService(ds, new SignOffRepository(ds), snapshots, elements, indicators, budget, validation);
    dashboards = new DashboardsService(elements, indicators);
    reportInputs = new EvaluationReportInputs(elements, budget, indicators, validation, signOff);

    // 2023: consistent data — per-capita levels as stated (395.96 元 × 10 person-months; 266.74 × 4), 2 + 1 organisations, 1 + 1 特困.
    await fact('dibao.paid', '2023-03-20', 395_960, 'urban');
    await fact('dibao.person-months', '2023-03-01', 10, 'urban');
    await fact('dibao.paid', '2023-03-20', 106_696, 'rural', BANQIAO);
    await fact('dibao.person-months', '2023-03-01', 4, 'rural', BANQIAO);
    await state('organisation', 'o1', '2020-01-01', { type: 'social-group' });
    await state('organisation', 'o2', '2023-05-01', { type: 'social-group' });
    await state('organisation', 'o3', '2021-01-01', { type: 'private-non-enterprise' });
    await state('tekun-person', 't1', '2022-01-01', { careMode: 'centralized' });
    await state('tekun-person', 't2', '2023-02-01', { careMode: 'dispersed' });
    // 2024: payments in two townships and two months, one outside the year.
    await fact('dibao.paid', '2024-01-20', 800_000, 'urban');
    await fact('dibao.paid', '2024-03-20', 400_000, 'rural', BANQIAO);
    await fact('dibao.person-months', '2024-01-01', 2_000, 'urban');
    await fact('tekun.paid', '2024-02-10', 300_000);
    await fact('dibao.paid', '2025-01-05', 999_999, 'urban');
  });

  afterAll(async () => {
    await ds.destroy();
  });

  describe('the 2023 seed', () => {
    it('keeps the stated budget exactly, in fen, with its projects and no invented amounts', async () => {
      const seeded = await budget.get(2023);
      expect(seeded).toMatchObject({ statedTotalFen: 4_702_420_000, basicFen: 233_580_000, projectFen: 4_468_850_000, carryOverFen: 0, additionsFen: 0, yearEndBalanceFen: 0 });
      expect(seeded.projects.map((p) => [p.code, p.amountFen, p.elements[0]])).toContainEqual(['dibao', null, 'dibao.paid']);
      const execution = await budget.execution(2023);
      expect(execution).toMatchObject({ source: 'live', partsSumFen: 4_702_430_000, completionRate: 1, controlRate: 0, executionRate: null });
      expect(execution?.projects.find((p) => p.code === 'dibao')).toMatchObject({ executedFen: 502_656, executionRate: null });
      // An element the catalogue lacks executes nothing and shows as null.
      expect(execution?.projects.find((p) => p.code === 'temporary')?.elements).toEqual([{ element: 'temporary.paid', valueFen: null }]);
    });

    it('seeds an indicator set whose weights sum to 100, with satisfaction entered', async () => {
      const set = await indicators.list(2023);
      expect(set.reduce((s, i) => s + (i.years[0]?.weight ?? 0), 0)).toBe(100);
      expect(set.find((i) => i.code === 'satisfaction')).toMatchObject({ category: 'satisfaction', source: { kind: 'entered' } });
      expect(new Set(set.map((i) => i.category))).toEqual(new Set(['output-quantity', 'output-quality', 'output-timeliness', 'output-cost', 'outcome-social', 'outcome-sustainable', 'satisfaction']));
    });

    it('flags the two inconsistencies the bureau stated — 4702.42 vs 233.58 + 4468.85 and 133 vs 27 + 108 — and the budget as entered, nothing else', async () => {
      const run = await validation.run(2023);
      expect(run.source).toBe('live');
      expect(run.violations.map((v) => v.rule).sort()).toEqual(['budget.parts', 'stated.budget.parts', 'stated.organisations.parts']);
      expect(run.violations.find((v) => v.rule === 'stated.budget.parts')).toMatchObject({
        left: 4702.43,
        right: 4702.42,
        difference: 0.01,
        figures: [
          { label: 'stated budget.basic', value: 233.58 },
          { label: 'stated budget.project', value: 4468.85 },
          { label: 'stated budget.total', value: 4702.42 },
        ],
      });
      expect(run.violations.find((v) => v.rule === 'budget.parts')).toMatchObject({ left: 4_702_430_000, right: 4_702_420_000, difference: 10_000 });
      expect(run.violations.find((v) => v.rule === 'stated.organisations.parts')).toMatchObject({ left: 133, right: 135, difference: -2, message: '报告所述社会组织总数应等于社会团体与民办非企业单位之和' });
      // The data rules over the test's elements were checked and held (per-capita × person-months ≈ paid, parts = totals).
      expect(run.skipped.map((s) => s.rule)).not.toEqual(expect.arrayContaining(['organisations.parts', 'tekun.persons.parts', 'dibao.paid.parts', 'dibao.per-capita.urban', 'dibao.per-capita.rural']));
      expect(run.skipped).toContainEqual({ rule: 'institutions.parts', reason: 'no data element institutions' });
      expect(run.checked).toBe(13);
    });

    it('flags data that disagrees: a 低保 payment with no urban/rural breaks total = urban + rural', async () => {
      await fact('dibao.paid', '2023-12-31', 100);
      const run = await validation.run(2023);
      expect(run.violations.find((v) => v.rule === 'dibao.paid.parts')).toMatchObject({ left: 502_756, right: 502_656, difference: 100 });
      await ds.query(`DELETE FROM fact WHERE business_date = '2023-12-31' AND value = 100`);
    });
  });

  describe('budget', () => {
    it('executes a year’s projects from their elements, with rates and totals', async () => {
      await budget.set(budget2024(), finance);
      const execution = await budget.execution(2024);
      expect(execution).toMatchObject({
        statedTotalFen: 10_000_000,
        partsSumFen: 10_000_000,
        // (1 + 10 + 1 − 0.6) / (1 + 10 + 1) = 0.95; 1 / 10 = 0.1
        completionRate: 0.95,
        controlRate: 0.1,
        budgetedProjectsFen: 2_000_000,
        executedFen: 1_500_000,
        executionRate: 0.6,
      });
      expect(execution?.projects).toEqual([
        { code: 'dibao', name: '城乡最低生活保障资金', programme: '城乡低保', amountFen: 2_000_000, executedFen: 1_200_000, executionRate: 0.6, elements: [{ element: 'dibao.paid', valueFen: 1_200_000 }] },
        { code: 'tekun', name: '特困人员救助供养资金', programme: '特困供养', amountFen: null, executedFen: 300_000, executionRate: null, elements: [{ element: 'tekun.paid', valueFen: 300_000 }] },
      ]);
    });

    it('refuses bad input naming each field, and unknown elements, writing nothing', async () => {
      const before = [await count('budget'), await count('budget_project')];
      const bad = await domainErrorOf(
        budget.set({ ...budget2024({ year: 2026 }), statedTotalFen: -1, basicFen: 1.5, projects: [{ code: 'Bad Code', name: '', programme: 'x', amountFen: null, elements: [] }], extra: 1 }, finance),
        'VALIDATION_FAILED',
      );
      expect(bad.fields?.map((f) => f.field).sort()).toEqual(['(body)', 'basicFen', 'projects[0].code', 'projects[0].name', 'statedTotalFen']);
      const unknown = await domainErrorOf(
        budget.set(budget2024({ year: 2026, projects: [{ code: 'x', name: 'x', programme: 'x', amountFen: 1, elements: ['dibao.paid', 'no.such'] }] }), finance),
        'VALIDATION_FAILED',
      );
      expect(unknown.fields).toEqual([{ field: 'projects[0].elements[1]', rule: 'unknown-element', message: 'no data element no.such' }]);
      const twice = await domainErrorOf(budget.set(budget2024({ year: 2026, projects: [budget2024().projects[0]!, budget2024().projects[0]!] }), finance), 'VALIDATION_FAILED');
      expect(twice.fields?.map((f) => [f.field, f.rule])).toEqual([['projects[1].code', 'unique']]);
      await domainErrorOf(budget.set(budget2024({ year: 2026 }), clerk), 'FORBIDDEN');
      await domainErrorOf(budget.set(budget2024({ year: 2026 }), citizen), 'FORBIDDEN');
      expect([await count('budget'), await count('budget_project')]).toEqual(before);
    });
  });

  describe('indicators', () => {
    it('refuses a bad definition naming each field, writing nothing', async () => {
      const before = await count('indicator');
      const bad = await domainErrorOf(indicators.save({ ...perCapita, category: 'quantity', factor: -1, direction: 'up', scoring: { kind: 'proportional', floor: 2 } }, finance), 'VALIDATION_FAILED');
      expect(bad.fields?.map((f) => f.field).sort()).toEqual(['category', 'direction', 'factor', 'scoring.floor']);
      const survey = await domainErrorOf(indicators.save({ ...perCapita, category: 'satisfaction' }, finance), 'VALIDATION_FAILED');
      expect(survey.fields?.map((f) => [f.field, f.rule])).toEqual([['source.kind', 'satisfaction-entered']]);
      const unknown = await domainErrorOf(indicators.save({ ...perCapita, source: { kind: 'elements', numerator: { element: 'no.such' } } }, finance), 'VALIDATION_FAILED');
      expect(unknown.fields?.map((f) => f.field)).toEqual(['source.numerator.element']);
      await domainErrorOf(indicators.save(perCapita, leader), 'FORBIDDEN');
      expect(await count('indicator')).toBe(before);
    });

    it('evaluates stored definitions with per-year targets and weights into scores and a grade', async () => {
      await indicators.save(perCapita, finance);
      await indicators.save({ code: 'test.completion', name: '预算完成率', category: 'output-cost', source: { kind: 'budget', measure: 'completion-rate' }, factor: 100, unit: '%', direction: 'higher-better', scoring: { kind: 'proportional', floor: 0.6, tolerance: 0 } }, finance);
      await indicators.save({ code: 'test.satisfaction', name: '满意度', category: 'satisfaction', source: { kind: 'entered' }, factor: 1, unit: '%', direction: 'higher-better', scoring: { kind: 'proportional', floor: 0.6, tolerance: 0 } }, finance);
      await indicators.setYear({ code: 'test.per-capita.urban', year: 2024, target: 500, weight: 40 }, finance);
      await indicators.setYear({ code: 'test.completion', year: 2024, target: 100, weight: 40 }, finance);
      await indicators.setYear({ code: 'test.satisfaction', year: 2024, target: 90, weight: 20, enteredActual: 95 }, finance);
      const result = await indicators.evaluate(2024);
      expect(result.indicators.map((i) => [i.code, i.actual, i.met, i.score])).toEqual([
        ['test.completion', 95, false, 38], // 95 % of 100 → 40 × 0.95
        ['test.per-capita.urban', 4, false, 0], // 800000 fen / 2000 person-months = 4 元, under the floor
        ['test.satisfaction', 95, true, 20],
      ]);
      expect(result).toMatchObject({ source: 'live', weightSum: 100, totalScore: 58, grade: '差' });
      // Keeping an entered actual when only the target changes.
      await indicators.setYear({ code: 'test.per-capita.urban', year: 2024, target: 4, weight: 40 }, finance);
      const better = await indicators.evaluate(2024);
      expect(better).toMatchObject({ totalScore: 98, grade: '优' });
      expect(better.indicators.find((i) => i.code === 'test.satisfaction')?.actual).toBe(95);
    });

    it('refuses a target for an unknown indicator or bad figures, writing nothing', async () => {
      const before = await count('indicator_year');
      await domainErrorOf(indicators.setYear({ code: 'no.such', year: 2024, target: 1, weight: 1 }, finance), 'NOT_FOUND');
      const bad = await domainErrorOf(indicators.setYear({ code: 'test.completion', year: 1999, target: 'x', weight: 101 }, finance), 'VALIDATION_FAILED');
      expect(bad.fields?.map((f) => f.field).sort()).toEqual(['target', 'weight', 'year']);
      expect(await count('indicator_year')).toBe(before);
    });
  });

  describe('validation rules and stated figures', () => {
    it('flags indicator weights that do not sum to 100 once a weight changes', async () => {
      await indicators.setYear({ code: 'test.satisfaction', year: 2024, target: 90, weight: 15 }, finance);
      const run = await validation.run(2024);
      expect(run.violations.find((v) => v.rule === 'indicators.weights')).toMatchObject({ left: 95, right: 100, difference: -5, figures: [{ label: 'indicator weights', value: 95 }] });
      expect(run.skipped).toContainEqual({ rule: 'stated.organisations.parts', reason: 'no stated figure organisations for 2024' });
      await indicators.setYear({ code: 'test.satisfaction', year: 2024, target: 90, weight: 20 }, finance);
    });

    it('stores stated figures and rules, refusing bad ones naming each field', async () => {
      await validation.setStatedFigures({ year: 2024, figures: [{ code: 'organisations', label: '社会组织', value: 3, unit: '家' }] }, finance);
      expect(await validation.statedFigures(2024)).toEqual([{ year: 2024, code: 'organisations', label: '社会组织', value: 3, unit: '家' }]);
      const before = [await count('stated_figure'), await count('validation_rule')];
      const bad = await domainErrorOf(
        validation.setStatedFigures({ year: 2024, figures: [{ code: 'a', label: 'a', value: 1, unit: '家' }, { code: 'B', label: 'a', value: 'x', unit: '' }] }, finance),
        'VALIDATION_FAILED',
      );
      expect(bad.fields?.map((f) => f.field).sort()).toEqual(['figures[1].code', 'figures[1].unit', 'figures[1].value']);
      const dup = await domainErrorOf(
        validation.setStatedFigures({ year: 2024, figures: [{ code: 'a', label: 'a', value: 1, unit: '家' }, { code: 'a', label: 'a', value: 2, unit: '家' }] }, finance),
        'VALIDATION_FAILED',
      );
      expect(dup.fields?.map((f) => [f.field, f.rule])).toEqual([['figures[1].code', 'unique']]);
      const rule = await domainErrorOf(
        validation.saveRule({ code: 'x', message: '', left: [], operator: '==', right: [{ factors: [{ kind: 'element', element: 'dibao.paid', urbanRural: 'town' }] }] }, finance),
        'VALIDATION_FAILED',
      );
      expect(rule.fields?.map((f) => f.field).sort()).toEqual(['left', 'message', 'operator', 'right[0].factors[0].urbanRural']);
      expect([await count('stated_figure'), await count('validation_rule')]).toEqual(before);

      await validation.saveRule({ code: 'test.tekun.at-least', message: '特困发放不少于40万分', left: [{ factors: [{ kind: 'element', element: 'tekun.paid' }] }], operator: '>=', right: [{ coefficient: 400_000, factors: [] }] }, finance);
      expect((await validation.run(2024)).violations.find((v) => v.rule === 'test.tekun.at-least')).toMatchObject({ operator: '>=', left: 300_000, right: 400_000, difference: -100_000 });
    });
  });

  describe('dashboards', () => {
    it('charts an element by month and by township', async () => {
      const months = await dashboards.series({ year: 2024, element: 'dibao.paid' });
      expect(months.points).toHaveLength(12);
      expect(months.points.slice(0, 4)).toEqual([
        { group: '2024-01', value: 800_000 },
        { group: '2024-02', value: 0 },
        { group: '2024-03', value: 400_000 },
        { group: '2024-04', value: 0 },
      ]);
      expect((await dashboards.townships({ year: 2024, element: 'dibao.paid' })).points).toEqual([
        { group: YUXI, value: 800_000 },
        { group: BANQIAO, value: 400_000 },
      ]);
      expect((await dashboards.townships({ year: 2024, element: 'dibao.paid', urbanRural: 'rural' })).points).toEqual([{ group: BANQIAO, value: 400_000 }]);
      const stock = await dashboards.series({ year: 2023, element: 'organisations' });
      expect(stock.points.map((p) => p.value)).toEqual([2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3]);
    });

    it('charts an element-computed indicator, refusing the others and ambiguous queries', async () => {
      const series = await dashboards.series({ year: 2024, indicator: 'test.per-capita.urban' });
      expect(series).toMatchObject({ indicator: 'test.per-capita.urban', unit: '元/人·月' });
      expect(series.points.slice(0, 2)).toEqual([
        { group: '2024-01', value: 4 },
        { group: '2024-02', value: null },
      ]);
      const other = await domainErrorOf(dashboards.series({ year: 2024, indicator: 'test.completion' }), 'VALIDATION_FAILED');
      expect(other.fields?.map((f) => f.rule)).toEqual(['computed-from-elements']);
      const both = await domainErrorOf(dashboards.series({ year: 2024, indicator: 'a', element: 'b' }), 'VALIDATION_FAILED');
      expect(both.fields?.map((f) => f.field)).toEqual(['indicator']);
    });
  });

  describe('sign-off', () => {
    it('moves draft → reviewed → approved with a different person each step, refusing the rest', async () => {
      expect(await signOff.status(2024)).toMatchObject({ status: 'draft', actions: [], approvedAt: null, corrections: [] });
      await domainErrorOf(signOff.approve({ year: 2024 }, leader), 'CONFLICT');
      await domainErrorOf(signOff.review({ year: 2024 }, leader), 'FORBIDDEN');
      await domainErrorOf(signOff.review({ year: 2024 }, citizen), 'FORBIDDEN');
      await domainErrorOf(signOff.review({ year: 'x' }, finance2), 'VALIDATION_FAILED');
      expect((await signOff.review({ year: 2024, note: '数据已核对' }, finance2)).status).toBe('reviewed');
      await domainErrorOf(signOff.review({ year: 2024 }, finance), 'CONFLICT');
      await domainErrorOf(signOff.approve({ year: 2024 }, finance), 'FORBIDDEN');
      const sameperson = await domainErrorOf(signOff.approve({ year: 2024 }, finance2), 'FORBIDDEN');
      expect(sameperson.message).toMatch(/reviewed/);
      expect(await count('report_snapshot')).toBe(0);
      const approved = await signOff.approve({ year: 2024 }, leader);
      expect(approved).toMatchObject({ status: 'approved', corrections: [] });
      expect(approved.actions.map((a) => [a.action, a.actorId, a.note])).toEqual([
        ['review', 'fin-2', '数据已核对'],
        ['approve', 'lead-1', null],
      ]);
      await domainErrorOf(signOff.approve({ year: 2024 }, leader), 'CONFLICT');
    });

    it('freezes every value used; a later fact changes nothing reported and shows as a correction', async () => {
      const frozen = await signOff.frozenValues(2024);
      expect(frozen?.values).toEqual(
        expect.arrayContaining([
          { element: 'dibao.paid', urbanRural: null, value: 1_200_000 },
          { element: 'dibao.paid', urbanRural: 'urban', value: 800_000 },
          { element: 'dibao.person-months', urbanRural: 'urban', value: 2_000 },
          { element: 'tekun.paid', urbanRural: null, value: 300_000 },
        ]),
      );
      const [indicatorsBefore, budgetBefore, validationBefore] = [await indicators.evaluate(2024), await budget.execution(2024), await validation.run(2024)];
      expect([indicatorsBefore.source, budgetBefore?.source, validationBefore.source]).toEqual(['frozen', 'frozen', 'frozen']);

      await fact('dibao.paid', '2024-11-15', 200_000, 'urban');

      expect(await indicators.evaluate(2024)).toEqual(indicatorsBefore);
      expect(await budget.execution(2024)).toEqual(budgetBefore);
      expect(await validation.run(2024)).toEqual(validationBefore);
      expect(budgetBefore?.projects[0]?.executedFen).toBe(1_200_000);
      const { corrections } = await signOff.status(2024);
      expect(corrections).toEqual([
        { element: 'dibao.paid', urbanRural: null, value: 1_200_000, live: 1_400_000, difference: 200_000 },
        { element: 'dibao.paid', urbanRural: 'urban', value: 800_000, live: 1_000_000, difference: 200_000 },
      ]);

      // The annual report's inputs read the same frozen figures, and list the corrections.
      const valueOf = reportInputs.valueOf(2024);
      expect([await valueOf('dibao.paid', {}), await valueOf('dibao.paid', { urbanRural: 'urban' }), await valueOf('tekun.paid', {})]).toEqual([1_200_000, 800_000, 300_000]);
      // Frozen too: an element no indicator or rule used.
      expect(frozen?.values).toContainEqual({ element: 'certificates.issued', urbanRural: 'rural', value: 0 });
      const inputs = await reportInputs.inputs(2024);
      expect(inputs).toMatchObject({ status: 'approved', totalScore: indicatorsBefore.totalScore, grade: indicatorsBefore.grade });
      expect(inputs.budget.projects[0]).toEqual({ name: '城乡最低生活保障资金', programme: '城乡低保', budgetFen: 2_000_000, executedFen: 1_200_000, rate: 0.6 });
      expect(inputs.corrections).toEqual([
        { element: 'dibao.paid', frozen: 1_200_000, live: 1_400_000, difference: 200_000 },
        { element: 'dibao.paid|urban', frozen: 800_000, live: 1_000_000, difference: 200_000 },
      ]);
    });

    it('refuses changes to an approved year’s budget, targets and stated figures', async () => {
      await domainErrorOf(budget.set(budget2024(), finance), 'CONFLICT');
      await domainErrorOf(indicators.setYear({ code: 'test.completion', year: 2024, target: 90, weight: 40 }, finance), 'CONFLICT');
      await domainErrorOf(validation.setStatedFigures({ year: 2024, figures: [{ code: 'organisations', label: '社会组织', value: 4, unit: '家' }] }, finance), 'CONFLICT');
      expect((await budget.get(2024)).statedTotalFen).toBe(10_000_000);
    });
  });
});

describe('Evaluation1764000051000 (PostgreSQL)', () => {
  it('is reversible: down drops its tables, up seeds 2023 again', async () => {
    const ds = new DataSource(serviceDataSourceOptions({ url: await createTestDatabase('reporting_evaluation_down'), entities: [], migrations: REPORTING_MIGRATIONS, applicationName: 'evaluation-down-test', poolSize: 2 }));
    await ds.initialize();
    try {
      await ds.runMigrations();
      const tables = async (): Promise<string[]> =>
        (await ds.query<{ t: string }[]>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() AND tablename IN ('indicator', 'indicator_year', 'budget', 'budget_project', 'validation_rule', 'stated_figure', 'report_sign_off_action', 'report_snapshot') ORDER BY 1`)).map((r) => r.t);
      expect(await tables()).toHaveLength(8);
      const runner = ds.createQueryRunner();
      try {
        await new Evaluation1764000051000().down(runner);
        expect(await tables()).toEqual([]);
        await new Evaluation1764000051000().up(runner);
      } finally {
        await runner.release();
      }
      const [counts] = await ds.query<{ indicators: number; rules: number; stated: number; weights: string }[]>(
        `SELECT (SELECT count(*)::int FROM indicator) AS indicators, (SELECT count(*)::int FROM validation_rule) AS rules,
                (SELECT count(*)::int FROM stated_figure WHERE year = 2023) AS stated, (SELECT sum(weight)::text FROM indicator_year WHERE year = 2023) AS weights`,
      );
      expect(counts).toEqual({ indicators: 19, rules: 14, stated: 49, weights: '100' });
    } finally {
      await ds.destroy();
    }
  });
});
