import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Performance evaluation: indicators as stored definitions with per-year targets and weights, the
 * year's budget and its projects, validation rules, the figures a year's report stated, and the
 * sign-off of a year's report with the snapshot frozen at approval. Seeded with 2023 as in the
 * 2023 部门整体支出绩效评价报告 (seed 000): its budget exactly as stated (4702.42万元 although the
 * parts add to 4702.43), its stated figures, an indicator set and the consistency rules.
 * The seed is inline on purpose: a migration must not change when service code does.
 */
type Ref = { element: string; urbanRural?: 'urban' | 'rural' };
type Source = { kind: 'elements'; numerator: Ref; denominator?: Ref } | { kind: 'budget'; measure: string } | { kind: 'entered' };
type Scoring = { kind: 'proportional'; floor: number; tolerance: number } | { kind: 'all-or-nothing'; tolerance: number };

const prop = (floor: number): Scoring => ({ kind: 'proportional', floor, tolerance: 0 });
const el = (element: string, urbanRural?: 'urban' | 'rural'): Ref => (urbanRural ? { element, urbanRural } : { element });
const of = (numerator: Ref, denominator?: Ref): Source => (denominator ? { kind: 'elements', numerator, denominator } : { kind: 'elements', numerator });

/** The document states no targets: each 2023 target is the figure it reports achieved, for finance to edit. Weights sum to 100. */
const INDICATORS_2023: [code: string, name: string, category: string, source: Source, factor: number, unit: string, direction: string, scoring: Scoring, target: number, weight: number][] = [
  ['budget.completion-rate', '预算完成率', 'output-cost', { kind: 'budget', measure: 'completion-rate' }, 100, '%', 'higher-better', prop(0.6), 100, 10],
  ['budget.control-rate', '预算控制率', 'output-cost', { kind: 'budget', measure: 'control-rate' }, 100, '%', 'lower-better', prop(0), 10, 5],
  ['dibao.households', '城乡低保保障户数', 'output-quantity', of(el('dibao.households')), 1, '户', 'higher-better', prop(0.5), 4439, 6],
  ['dibao.persons', '城乡低保保障人数', 'output-quantity', of(el('dibao.persons')), 1, '人', 'higher-better', prop(0.5), 7741, 5],
  ['tekun.persons', '特困人员供养人数', 'output-quantity', of(el('tekun.persons')), 1, '人', 'higher-better', prop(0.5), 866, 5],
  ['temporary.person-times', '临时救助人次', 'output-quantity', of(el('temporary.person-times')), 1, '人次', 'higher-better', prop(0.5), 4331, 5],
  ['home-adaptation.completed', '居家适老化改造完成户数', 'output-quantity', of(el('home-adaptation.completed')), 1, '户', 'higher-better', prop(0.5), 66, 5],
  ['place-names.audit.five-classes', '五类地名审核入库条数', 'output-quantity', of(el('place-names.audit.five-classes')), 1, '条', 'higher-better', prop(0.5), 3969, 4],
  ['certificates.accuracy', '婚姻登记出证准确率', 'output-quality', of(el('certificates.accurate'), el('certificates.issued')), 100, '%', 'higher-better', prop(0.9), 100, 6],
  ['dibao.decided-in-time', '低保审批按时办结率', 'output-timeliness', of(el('dibao.applications.decided-in-time'), el('dibao.applications.decided')), 100, '%', 'higher-better', prop(0.8), 100, 6],
  ['dibao.per-capita.urban', '城市低保月人均救助水平', 'output-cost', of(el('dibao.paid', 'urban'), el('dibao.person-months', 'urban')), 0.01, '元/人·月', 'higher-better', prop(0.8), 395.96, 4],
  ['dibao.per-capita.rural', '农村低保月人均救助水平', 'output-cost', of(el('dibao.paid', 'rural'), el('dibao.person-months', 'rural')), 0.01, '元/人·月', 'higher-better', prop(0.8), 266.74, 4],
  ['tekun.paid', '特困供养资金发放', 'outcome-social', of(el('tekun.paid')), 0.000001, '万元', 'higher-better', prop(0.5), 833.8795, 4],
  ['temporary.paid', '临时救助资金发放', 'outcome-social', of(el('temporary.paid')), 0.000001, '万元', 'higher-better', prop(0.5), 407.41, 4],
  ['charity.households-visited', '走访慰问困难群众户数', 'outcome-social', of(el('charity.households-visited')), 1, '户', 'higher-better', prop(0.5), 4700, 5],
  ['age-allowance.high-age.paid', '高龄生活补贴发放', 'outcome-social', of(el('age-allowance.high-age.paid')), 0.000001, '万元', 'higher-better', prop(0.5), 124.92, 4],
  ['organisations', '登记在册社会组织数', 'outcome-sustainable', of(el('organisations')), 1, '家', 'higher-better', prop(0.5), 133, 4],
  ['institutions', '养老服务机构数', 'outcome-sustainable', of(el('institutions')), 1, '家', 'higher-better', prop(0.5), 13, 4],
  ['satisfaction', '服务对象满意度', 'satisfaction', { kind: 'entered' }, 1, '%', 'higher-better', prop(0.6), 90, 10],
];

/** 4702.42万元 = 233.58 basic + 4468.85 project, in fen (1万元 = 1,000,000 fen), as stated. */
const BUDGET_2023 = { statedTotalFen: 4_702_420_000, basicFen: 233_580_000, projectFen: 4_468_850_000 };
/** The document states no per-project amounts: projects are listed with the elements that execute them, amounts left for finance. */
const PROJECTS_2023: [code: string, name: string, programme: string, elements: string[]][] = [
  ['dibao', '城乡最低生活保障资金', '城乡低保', ['dibao.paid']],
  ['tekun', '特困人员救助供养资金', '特困供养', ['tekun.paid']],
  ['temporary', '临时救助资金', '临时救助', ['temporary.paid']],
  ['children', '孤儿及事实无人抚养儿童生活补贴', '儿童福利', ['allowance.orphan.paid', 'allowance.de-facto-unsupported.paid']],
  ['disability', '困难残疾人生活补贴和重度残疾人护理补贴', '残疾人两项补贴', ['allowance.disability-living.paid', 'allowance.disability-care.paid']],
  ['age-allowance', '高龄生活补贴和长寿保健金', '老年优待', ['age-allowance.high-age.paid', 'age-allowance.longevity.paid']],
  ['home-adaptation', '困难老年人居家适老化改造', '养老服务', ['home-adaptation.subsidy']],
];

/** The figures the 2023 document states, in its units. */
const STATED_2023: [code: string, label: string, value: number, unit: string][] = [
  ['budget.total', '纳入部门整体支出绩效目标的金额', 4702.42, '万元'],
  ['budget.basic', '基本支出', 233.58, '万元'],
  ['budget.project', '项目支出', 4468.85, '万元'],
  ['dibao.new.households', '新增城乡低保户数', 432, '户'],
  ['dibao.new.persons', '新增城乡低保人数', 1099, '人'],
  ['dibao.stopped.households', '停发城乡低保户数', 924, '户'],
  ['dibao.stopped.persons', '停发城乡低保人数', 1470, '人'],
  ['dibao.households.urban', '城市低保户数（12月底）', 2898, '户'],
  ['dibao.persons.urban', '城市低保人数（12月底）', 4893, '人'],
  ['dibao.households.rural', '农村低保户数（12月底）', 1541, '户'],
  ['dibao.persons.rural', '农村低保人数（12月底）', 2848, '人'],
  ['dibao.paid', '全年累计发放城乡低保', 3176.4889, '万元'],
  ['dibao.paid.urban', '城市低保发放', 2339.7293, '万元'],
  ['dibao.paid.rural', '农村低保发放', 836.7596, '万元'],
  ['dibao.per-capita.urban', '城市低保月人均救助水平', 395.96, '元'],
  ['dibao.per-capita.rural', '农村低保月人均救助水平', 266.74, '元'],
  ['charity.funds', '统筹整合财政等各项资金', 303, '万元'],
  ['charity.households-visited', '走访慰问困难群众', 4700, '户'],
  ['tekun.paid', '累计打卡发放特困供养', 833.8795, '万元'],
  ['tekun.persons', '保障特困供养对象', 866, '人'],
  ['tekun.persons.centralized', '集中供养', 147, '人'],
  ['tekun.persons.dispersed', '分散供养', 719, '人'],
  ['temporary.person-times', '累计保障临时困难群众', 4331, '人次'],
  ['temporary.paid', '发放临时救助资金', 407.41, '万元'],
  ['charity.activities', '公益慈善活动', 20, '场次'],
  ['charity.goods-value', '发放爱心物资价值', 1.5, '万元'],
  ['charity.persons-served', '服务群众', 400, '人次'],
  ['place-names.renamed', '不规范地名更名', 2, '个'],
  ['place-names.audit.five-classes', '五类地名审核入库', 3969, '条'],
  ['place-names.audit.other', '五类之外地名审核入库', 3000, '条'],
  ['marriage.registrations', '办理结婚登记', 1753, '对'],
  ['divorce.registrations', '办理离婚登记', 722, '对'],
  ['certificates.qualified-rate', '婚姻登记合格率', 100, '%'],
  ['certificates.accuracy-rate', '出证准确率', 100, '%'],
  ['organisations', '登记在册社会组织', 133, '家'],
  ['organisations.social-groups', '社会团体', 27, '家'],
  ['organisations.private-non-enterprise', '民办非企业单位', 108, '家'],
  ['allowance.orphan.paid', '孤儿生活补贴', 36.88, '万元'],
  ['allowance.de-facto-unsupported.paid', '事实无人抚养儿童生活补贴', 78.47, '万元'],
  ['allowance.disability-living.paid', '困难残疾人生活补贴', 181.95, '万元'],
  ['allowance.disability-care.paid', '重度残疾人护理补贴', 283.46, '万元'],
  ['social-work.activities', '社工站志愿服务活动', 20, '场'],
  ['institutions', '养老服务机构', 13, '家'],
  ['institutions.public', '公办敬老院', 5, '家'],
  ['institutions.private', '民办养老机构', 8, '家'],
  ['home-adaptation.completed', '适老化改造完成', 66, '户'],
  ['age-allowance.high-age.paid', '高龄生活补贴金', 124.92, '万元'],
  ['age-allowance.longevity.paid', '长寿保健金', 9, '万元'],
  ['staff.vacancies', '低收入家庭认定中心空编', 6, '名'],
];

type FigureRef = { kind: 'element'; element: string; urbanRural?: 'urban' | 'rural' } | { kind: 'budget'; figure: string } | { kind: 'stated'; code: string } | { kind: 'indicator-weights' };
type Term = { coefficient: number; factors: FigureRef[] };
const E = (element: string, urbanRural?: 'urban' | 'rural'): FigureRef => (urbanRural ? { kind: 'element', element, urbanRural } : { kind: 'element', element });
const B = (figure: string): FigureRef => ({ kind: 'budget', figure });
const S = (code: string): FigureRef => ({ kind: 'stated', code });
const sum = (...refs: FigureRef[]): Term[] => refs.map((r) => ({ coefficient: 1, factors: [r] }));

const RULES: [code: string, message: string, left: Term[], operator: string, right: Term[], tolerance: number, relativeTolerance: number][] = [
  ['budget.parts', '基本支出与项目支出之和应等于预算总额', sum(B('basic'), B('project')), '=', sum(B('total')), 0, 0],
  ['budget.projects-within-project', '各项目预算之和不应超过项目支出', sum(B('projects-sum')), '<=', sum(B('project')), 0, 0],
  ['stated.budget.parts', '报告所述基本支出与项目支出之和应等于所述预算总额', sum(S('budget.basic'), S('budget.project')), '=', sum(S('budget.total')), 0, 0],
  ['dibao.paid.parts', '城乡低保发放总额应等于城市与农村发放之和', sum(E('dibao.paid')), '=', sum(E('dibao.paid', 'urban'), E('dibao.paid', 'rural')), 0, 0],
  ['stated.dibao.paid.parts', '报告所述城乡低保发放总额应等于城市与农村发放之和', sum(S('dibao.paid')), '=', sum(S('dibao.paid.urban'), S('dibao.paid.rural')), 0, 0],
  ['tekun.persons.parts', '特困供养人数应等于集中供养与分散供养之和', sum(E('tekun.persons')), '=', sum(E('tekun.persons.centralized'), E('tekun.persons.dispersed')), 0, 0],
  ['stated.tekun.persons.parts', '报告所述特困供养人数应等于集中供养与分散供养之和', sum(S('tekun.persons')), '=', sum(S('tekun.persons.centralized'), S('tekun.persons.dispersed')), 0, 0],
  ['organisations.parts', '社会组织总数应等于社会团体与民办非企业单位之和', sum(E('organisations')), '=', sum(E('organisations.social-groups'), E('organisations.private-non-enterprise')), 0, 0],
  ['stated.organisations.parts', '报告所述社会组织总数应等于社会团体与民办非企业单位之和', sum(S('organisations')), '=', sum(S('organisations.social-groups'), S('organisations.private-non-enterprise')), 0, 0],
  ['institutions.parts', '养老服务机构数应等于公办与民办之和', sum(E('institutions')), '=', sum(E('institutions.public'), E('institutions.private')), 0, 0],
  ['stated.institutions.parts', '报告所述养老服务机构数应等于公办与民办之和', sum(S('institutions')), '=', sum(S('institutions.public'), S('institutions.private')), 0, 0],
  // 元 × person-months × 100 = fen; the level is stated to 0.01元, hence the 0.1 % allowance.
  ['dibao.per-capita.urban', '城市低保月人均救助水平 × 保障人月数应约等于城市低保发放额', [{ coefficient: 100, factors: [S('dibao.per-capita.urban'), E('dibao.person-months', 'urban')] }], '=', sum(E('dibao.paid', 'urban')), 0, 0.001],
  ['dibao.per-capita.rural', '农村低保月人均救助水平 × 保障人月数应约等于农村低保发放额', [{ coefficient: 100, factors: [S('dibao.per-capita.rural'), E('dibao.person-months', 'rural')] }], '=', sum(E('dibao.paid', 'rural')), 0, 0.001],
  ['indicators.weights', '绩效指标权重之和应为100', [{ coefficient: 1, factors: [{ kind: 'indicator-weights' }] }], '=', [{ coefficient: 100, factors: [] }], 0, 0],
];

export class Evaluation1764000051000 implements MigrationInterface {
  name = 'Evaluation1764000051000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE indicator (
        code text PRIMARY KEY,
        name text NOT NULL,
        category text NOT NULL CHECK (category IN ('output-quantity', 'output-quality', 'output-timeliness', 'output-cost', 'outcome-social', 'outcome-sustainable', 'satisfaction')),
        source jsonb NOT NULL,
        factor numeric NOT NULL CHECK (factor > 0),
        unit text NOT NULL,
        direction text NOT NULL CHECK (direction IN ('higher-better', 'lower-better', 'equal')),
        scoring jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE indicator_year (
        indicator_code text NOT NULL REFERENCES indicator (code),
        year integer NOT NULL,
        target numeric NOT NULL,
        weight numeric NOT NULL CHECK (weight >= 0 AND weight <= 100),
        entered_actual numeric,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        PRIMARY KEY (indicator_code, year)
      )`);
    await q.query(`
      CREATE TABLE budget (
        year integer PRIMARY KEY,
        stated_total_fen bigint NOT NULL CHECK (stated_total_fen >= 0),
        basic_fen bigint NOT NULL CHECK (basic_fen >= 0),
        project_fen bigint NOT NULL CHECK (project_fen >= 0),
        carry_over_fen bigint NOT NULL CHECK (carry_over_fen >= 0),
        additions_fen bigint NOT NULL CHECK (additions_fen >= 0),
        year_end_balance_fen bigint NOT NULL CHECK (year_end_balance_fen >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE budget_project (
        year integer NOT NULL REFERENCES budget (year) ON DELETE CASCADE,
        code text NOT NULL,
        position integer NOT NULL,
        name text NOT NULL,
        programme text NOT NULL,
        amount_fen bigint CHECK (amount_fen >= 0),
        elements text[] NOT NULL,
        PRIMARY KEY (year, code)
      )`);
    await q.query(`
      CREATE TABLE validation_rule (
        code text PRIMARY KEY,
        message text NOT NULL,
        left_side jsonb NOT NULL,
        operator text NOT NULL CHECK (operator IN ('=', '<=', '>=')),
        right_side jsonb NOT NULL,
        tolerance numeric NOT NULL DEFAULT 0 CHECK (tolerance >= 0),
        relative_tolerance numeric NOT NULL DEFAULT 0 CHECK (relative_tolerance >= 0 AND relative_tolerance <= 1),
        enabled boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE stated_figure (
        year integer NOT NULL,
        code text NOT NULL,
        label text NOT NULL,
        value numeric NOT NULL,
        unit text NOT NULL,
        PRIMARY KEY (year, code)
      )`);
    // Append-only: the report's status is derived from its actions; one of each per year.
    await q.query(`
      CREATE TABLE report_sign_off_action (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        year integer NOT NULL,
        action text NOT NULL CHECK (action IN ('review', 'approve')),
        actor_id text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        note text,
        UNIQUE (year, action)
      )`);
    await q.query(`
      CREATE TABLE report_snapshot (
        year integer PRIMARY KEY,
        approved_at timestamptz NOT NULL,
        approved_by text NOT NULL,
        snapshot jsonb NOT NULL
      )`);

    for (const [code, name, category, source, factor, unit, direction, scoring, target, weight] of INDICATORS_2023) {
      await q.query(
        `INSERT INTO indicator (code, name, category, source, factor, unit, direction, scoring, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'seed')`,
        [code, name, category, JSON.stringify(source), factor, unit, direction, JSON.stringify(scoring)],
      );
      await q.query(`INSERT INTO indicator_year (indicator_code, year, target, weight, updated_by) VALUES ($1, 2023, $2, $3, 'seed')`, [code, target, weight]);
    }
    await q.query(
      `INSERT INTO budget (year, stated_total_fen, basic_fen, project_fen, carry_over_fen, additions_fen, year_end_balance_fen, updated_by) VALUES (2023, $1, $2, $3, 0, 0, 0, 'seed')`,
      [BUDGET_2023.statedTotalFen, BUDGET_2023.basicFen, BUDGET_2023.projectFen],
    );
    for (const [i, [code, name, programme, elements]] of PROJECTS_2023.entries()) {
      await q.query(`INSERT INTO budget_project (year, code, position, name, programme, amount_fen, elements) VALUES (2023, $1, $2, $3, $4, NULL, $5)`, [code, i, name, programme, elements]);
    }
    for (const [code, label, value, unit] of STATED_2023) {
      await q.query(`INSERT INTO stated_figure (year, code, label, value, unit) VALUES (2023, $1, $2, $3, $4)`, [code, label, String(value), unit]);
    }
    for (const [code, message, left, operator, right, tolerance, relativeTolerance] of RULES) {
      await q.query(
        `INSERT INTO validation_rule (code, message, left_side, operator, right_side, tolerance, relative_tolerance, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'seed')`,
        [code, message, JSON.stringify(left), operator, JSON.stringify(right), tolerance, relativeTolerance],
      );
    }
  }
  async down(q: QueryRunner): Promise<void> {
    for (const table of ['report_snapshot', 'report_sign_off_action', 'stated_figure', 'validation_rule', 'budget_project', 'budget', 'indicator_year', 'indicator']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
