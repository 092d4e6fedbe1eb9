/**
 * Performance evaluation (部门整体支出绩效评价) in reporting: indicators as stored definitions with
 * per-year targets and weights, the year's budget and its execution, validation rules over data
 * elements, budget figures and the figures a report stated, the sign-off of a year's report, and
 * the dashboard series. Amounts of money are integer fen; stated figures keep the unit they were
 * stated in (万元, 户, 人, 家, …).
 */
import { z } from 'zod';
import { divisionCodeSchema } from '../validation';
import { addExamples } from '../request-examples';

const year = z.coerce.number().int().min(2000).max(2100);
/** Dotted lower-case codes: dibao.paid, budget.completion-rate. */
const code = z.string().regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'lower-case words joined by . or -').max(100);
const fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const finite = z.number().finite();

export const INDICATOR_CATEGORIES = [
  'output-quantity',
  'output-quality',
  'output-timeliness',
  'output-cost',
  'outcome-social',
  'outcome-sustainable',
  'satisfaction',
] as const;
export type IndicatorCategory = (typeof INDICATOR_CATEGORIES)[number];
/** The category labels of the evaluation table. */
export const INDICATOR_CATEGORY_LABELS: Record<IndicatorCategory, string> = {
  'output-quantity': '数量指标',
  'output-quality': '质量指标',
  'output-timeliness': '时效指标',
  'output-cost': '成本指标',
  'outcome-social': '社会效益指标',
  'outcome-sustainable': '可持续影响指标',
  satisfaction: '满意度指标',
};

export const INDICATOR_DIRECTIONS = ['higher-better', 'lower-better', 'equal'] as const;
export type IndicatorDirection = (typeof INDICATOR_DIRECTIONS)[number];

export const URBAN_RURAL = ['urban', 'rural'] as const;

/** A data element, optionally restricted to urban or rural. */
export const elementRefSchema = z.object({ element: code, urbanRural: z.enum(URBAN_RURAL).optional() }).strict();
export type ElementRef = z.output<typeof elementRefSchema>;

/** Budget measures an indicator can take as its actual (fractions; the factor makes them %). */
export const BUDGET_MEASURES = ['completion-rate', 'control-rate', 'execution-rate'] as const;
export type BudgetMeasure = (typeof BUDGET_MEASURES)[number];

/** Where an indicator's actual comes from: data elements, the year's budget, or entered (a survey result). */
export const indicatorSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('elements'), numerator: elementRefSchema, denominator: elementRefSchema.optional() }).strict(),
  z.object({ kind: z.literal('budget'), measure: z.enum(BUDGET_MEASURES) }).strict(),
  z.object({ kind: z.literal('entered') }).strict(),
]);
export type IndicatorSource = z.output<typeof indicatorSourceSchema>;

/**
 * How an indicator is scored out of its weight. `proportional`: full marks when the target is met
 * (within `tolerance`), weight × achievement below it, zero when achievement is under `floor`.
 * `all-or-nothing`: full marks when met, else zero.
 */
export const scoringRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('proportional'), floor: z.number().min(0).max(1).default(0), tolerance: z.number().min(0).default(0) }).strict(),
  z.object({ kind: z.literal('all-or-nothing'), tolerance: z.number().min(0).default(0) }).strict(),
]);
export type ScoringRule = z.output<typeof scoringRuleSchema>;

export const saveIndicatorSchema = z
  .object({
    code,
    name: z.string().trim().min(1).max(100),
    category: z.enum(INDICATOR_CATEGORIES),
    source: indicatorSourceSchema,
    /** Multiplies the ratio (or the numerator): 100 for %, 0.01 for fen → 元, 0.000001 for fen → 万元. */
    factor: z.number().finite().positive().default(1),
    unit: z.string().trim().min(1).max(20),
    direction: z.enum(INDICATOR_DIRECTIONS),
    scoring: scoringRuleSchema,
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.category === 'satisfaction' && input.source.kind !== 'entered') {
      ctx.addIssue({ code: 'custom', path: ['source', 'kind'], message: 'a satisfaction indicator’s actual is entered (a survey result)', params: { rule: 'satisfaction-entered' } });
    }
  });
addExamples(saveIndicatorSchema, [
  {
    summary: 'An indicator computed from two elements',
    value: {
      code: 'dibao.per-capita.urban',
      name: '城市低保月人均救助水平',
      category: 'output-cost',
      source: { kind: 'elements', numerator: { element: 'dibao.paid', urbanRural: 'urban' }, denominator: { element: 'dibao.person-months', urbanRural: 'urban' } },
      factor: 0.01,
      unit: '元/人·月',
      direction: 'higher-better',
      scoring: { kind: 'proportional', floor: 0.8, tolerance: 0 },
    },
  },
  {
    summary: 'A satisfaction indicator (entered from a survey)',
    value: {
      code: 'satisfaction',
      name: '服务对象满意度',
      category: 'satisfaction',
      source: { kind: 'entered' },
      unit: '%',
      direction: 'higher-better',
      scoring: { kind: 'proportional', floor: 0.6, tolerance: 0 },
    },
  },
]);
export type SaveIndicatorInput = z.output<typeof saveIndicatorSchema>;

/** A year's target and weight of an indicator, and its actual when entered rather than computed. */
export const setIndicatorYearSchema = z
  .object({
    code,
    year,
    target: finite,
    weight: z.number().min(0).max(100),
    enteredActual: finite.nullable().optional(),
  })
  .strict();
addExamples(setIndicatorYearSchema, [
  { summary: 'Target and weight', value: { code: 'dibao.per-capita.urban', year: 2023, target: 395.96, weight: 4 } },
  { summary: 'With the entered actual of a survey', value: { code: 'satisfaction', year: 2023, target: 90, weight: 10, enteredActual: 96.5 } },
]);
export type SetIndicatorYearInput = z.output<typeof setIndicatorYearSchema>;

export const listIndicatorsSchema = z.object({ year: year.optional() }).strict();
export const yearRequestSchema = z.object({ year }).strict();
export type YearRequest = z.output<typeof yearRequestSchema>;

export interface IndicatorYearView {
  year: number;
  target: number;
  weight: number;
  enteredActual: number | null;
}
export interface IndicatorView {
  code: string;
  name: string;
  category: IndicatorCategory;
  source: IndicatorSource;
  factor: number;
  unit: string;
  direction: IndicatorDirection;
  scoring: ScoringRule;
  years: IndicatorYearView[];
  updatedAt: string;
  updatedBy: string;
}

export const GRADES = ['优', '良', '中', '差'] as const;
export type Grade = (typeof GRADES)[number];

export interface IndicatorResultView {
  code: string;
  name: string;
  category: IndicatorCategory;
  unit: string;
  direction: IndicatorDirection;
  target: number;
  weight: number;
  /** Null when it cannot be had: not entered, a zero denominator, an unknown data element. */
  actual: number | null;
  numerator: number | null;
  denominator: number | null;
  met: boolean;
  /** Out of the weight, rounded half-up to 0.01. */
  score: number;
  note: string | null;
}
export interface IndicatorEvaluationView {
  year: number;
  /** Live figures, or the figures frozen when the year's report was approved. */
  source: 'live' | 'frozen';
  indicators: IndicatorResultView[];
  weightSum: number;
  /** The sum of the rounded scores; the grade is taken from it: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差. */
  totalScore: number;
  grade: Grade;
}

// ---- budget ----

export const budgetProjectSchema = z
  .object({
    code,
    name: z.string().trim().min(1).max(100),
    /** The programme the project funds, e.g. 城乡低保. */
    programme: z.string().trim().min(1).max(50),
    /** Null when the budget does not state the project's amount. */
    amountFen: fen.nullable(),
    /** Data elements of paid amounts (fen) whose sum over the year executes the project. */
    elements: z.array(code).max(20),
  })
  .strict();
export type BudgetProjectInput = z.output<typeof budgetProjectSchema>;

export const setBudgetSchema = z
  .object({
    year,
    /** The total as the budget document states it (年初预算), kept even when its parts disagree. */
    statedTotalFen: fen,
    basicFen: fen,
    projectFen: fen,
    carryOverFen: fen,
    additionsFen: fen,
    yearEndBalanceFen: fen,
    projects: z.array(budgetProjectSchema).max(100),
  })
  .strict()
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.projects.forEach((p, i) => {
      if (seen.has(p.code)) ctx.addIssue({ code: 'custom', path: ['projects', i, 'code'], message: `project ${p.code} is listed twice`, params: { rule: 'unique' } });
      seen.add(p.code);
    });
    if (input.yearEndBalanceFen > input.carryOverFen + input.statedTotalFen + input.additionsFen) {
      ctx.addIssue({ code: 'custom', path: ['yearEndBalanceFen'], message: 'the year-end balance exceeds the funds available', params: { rule: 'at-most-available' } });
    }
  });
addExamples(setBudgetSchema, [
  {
    value: {
      year: 2023,
      statedTotalFen: 4702420000,
      basicFen: 233580000,
      projectFen: 4468850000,
      carryOverFen: 152000000,
      additionsFen: 318600000,
      yearEndBalanceFen: 96400000,
      projects: [
        { code: 'dibao', name: '城乡最低生活保障资金', programme: '城乡低保', amountFen: 3176488900, elements: ['dibao.paid'] },
        { code: 'tekun', name: '特困人员救助供养资金', programme: '特困供养', amountFen: 833879500, elements: ['tekun.paid'] },
        { code: 'temporary', name: '临时救助资金', programme: '临时救助', amountFen: null, elements: ['temporary.paid'] },
      ],
    },
  },
]);
export type SetBudgetInput = z.output<typeof setBudgetSchema>;

export interface BudgetView extends Omit<SetBudgetInput, 'projects'> {
  projects: BudgetProjectInput[];
  updatedAt: string;
  updatedBy: string;
}

export interface ProjectExecutionView {
  code: string;
  name: string;
  programme: string;
  amountFen: number | null;
  executedFen: number;
  /** executed / amount; null without an amount. */
  executionRate: number | null;
  elements: { element: string; valueFen: number | null }[];
}
export interface BudgetExecutionView {
  year: number;
  source: 'live' | 'frozen';
  statedTotalFen: number;
  basicFen: number;
  projectFen: number;
  /** basic + project, which need not equal the stated total (a validation rule says so). */
  partsSumFen: number;
  carryOverFen: number;
  additionsFen: number;
  yearEndBalanceFen: number;
  /** 预算完成率 = (carry-over + initial + additions − year-end balance) / (carry-over + initial + additions). */
  completionRate: number | null;
  /** 预算控制率 = additions / initial. */
  controlRate: number | null;
  projects: ProjectExecutionView[];
  budgetedProjectsFen: number;
  executedFen: number;
  /** Executed over the projects that state an amount, divided by their amounts. */
  executionRate: number | null;
}

// ---- validation rules and stated figures ----

export const BUDGET_FIGURES = ['total', 'basic', 'project', 'carry-over', 'additions', 'year-end-balance', 'projects-sum'] as const;
export type BudgetFigure = (typeof BUDGET_FIGURES)[number];

/** A figure a rule reads: a data element over the year, a budget figure (fen), a stated figure, the indicators' weight sum. */
export const figureRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('element'), element: code, urbanRural: z.enum(URBAN_RURAL).optional() }).strict(),
  z.object({ kind: z.literal('budget'), figure: z.enum(BUDGET_FIGURES) }).strict(),
  z.object({ kind: z.literal('stated'), code }).strict(),
  z.object({ kind: z.literal('indicator-weights') }).strict(),
]);
export type FigureRef = z.output<typeof figureRefSchema>;

/** coefficient × the product of its factors (no factors: a constant). */
export const ruleTermSchema = z.object({ coefficient: finite.default(1), factors: z.array(figureRefSchema).max(3) }).strict();
export const ruleExpressionSchema = z.array(ruleTermSchema).min(1).max(20);
export type RuleExpression = z.output<typeof ruleExpressionSchema>;

export const RULE_OPERATORS = ['=', '<=', '>='] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

export const saveValidationRuleSchema = z
  .object({
    code,
    message: z.string().trim().min(1).max(300),
    left: ruleExpressionSchema,
    operator: z.enum(RULE_OPERATORS),
    right: ruleExpressionSchema,
    /** Absolute allowance, in the rule's unit. */
    tolerance: z.number().min(0).default(0),
    /** Allowance as a fraction of |right|; the larger of the two applies. */
    relativeTolerance: z.number().min(0).max(1).default(0),
    enabled: z.boolean().default(true),
  })
  .strict();
addExamples(saveValidationRuleSchema, [
  {
    value: {
      code: 'tekun.persons.parts',
      message: '特困供养人数应等于集中供养与分散供养之和',
      left: [{ coefficient: 1, factors: [{ kind: 'element', element: 'tekun.persons' }] }],
      operator: '=',
      right: [
        { coefficient: 1, factors: [{ kind: 'element', element: 'tekun.persons.centralized' }] },
        { coefficient: 1, factors: [{ kind: 'element', element: 'tekun.persons.dispersed' }] },
      ],
      tolerance: 0,
      relativeTolerance: 0,
      enabled: true,
    },
  },
]);
export type SaveValidationRuleInput = z.output<typeof saveValidationRuleSchema>;
export interface ValidationRuleView extends SaveValidationRuleInput {
  updatedAt: string;
  updatedBy: string;
}

export const statedFigureSchema = z
  .object({
    code,
    label: z.string().trim().min(1).max(100),
    value: finite,
    unit: z.string().trim().min(1).max(20),
  })
  .strict();
export const setStatedFiguresSchema = z
  .object({ year, figures: z.array(statedFigureSchema).min(1).max(500) })
  .strict()
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.figures.forEach((f, i) => {
      if (seen.has(f.code)) ctx.addIssue({ code: 'custom', path: ['figures', i, 'code'], message: `figure ${f.code} is listed twice`, params: { rule: 'unique' } });
      seen.add(f.code);
    });
  });
addExamples(setStatedFiguresSchema, [
  {
    value: {
      year: 2023,
      figures: [
        { code: 'budget.total', label: '纳入部门整体支出绩效目标的金额', value: 4702.42, unit: '万元' },
        { code: 'dibao.paid', label: '全年累计发放城乡低保', value: 3176.4889, unit: '万元' },
        { code: 'tekun.persons', label: '保障特困供养对象', value: 866, unit: '人' },
      ],
    },
  },
]);
export type SetStatedFiguresInput = z.output<typeof setStatedFiguresSchema>;
export interface StatedFigureView {
  year: number;
  code: string;
  label: string;
  value: number;
  unit: string;
}

export interface FigureValueView {
  /** e.g. element dibao.paid (urban), stated organisations, budget total. */
  label: string;
  value: number | null;
}
export interface ValidationFindingView {
  rule: string;
  message: string;
  operator: RuleOperator;
  left: number;
  right: number;
  /** left − right. */
  difference: number;
  tolerance: number;
  figures: FigureValueView[];
}
export interface ValidationRunView {
  year: number;
  source: 'live' | 'frozen';
  checked: number;
  violations: ValidationFindingView[];
  /** Rules that could not be evaluated (a missing stated figure, no budget, an unknown element). */
  skipped: { rule: string; reason: string }[];
}

// ---- sign-off ----

export const REPORT_STATUSES = ['draft', 'reviewed', 'approved'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const signOffActionSchema = z.object({ year, note: z.string().trim().max(500).optional() }).strict();
addExamples(signOffActionSchema, [
  { value: { year: 2023, note: '各项数据已与财务账册和业务台账核对一致' } },
]);
export type SignOffActionInput = z.output<typeof signOffActionSchema>;

export interface FrozenElementValue {
  element: string;
  urbanRural: 'urban' | 'rural' | null;
  value: number;
}
export interface CorrectionView extends FrozenElementValue {
  live: number;
  /** live − frozen. */
  difference: number;
}
export interface SignOffView {
  year: number;
  status: ReportStatus;
  actions: { action: 'review' | 'approve'; actorId: string; at: string; note: string | null }[];
  approvedAt: string | null;
  /** After approval: frozen element values the live data no longer agrees with. */
  corrections: CorrectionView[];
}
export interface FrozenReportView {
  year: number;
  approvedAt: string;
  approvedBy: string;
  values: FrozenElementValue[];
  indicators: IndicatorEvaluationView;
  budget: BudgetExecutionView | null;
  validation: ValidationRunView;
}

// ---- dashboards ----

export const dashboardQuerySchema = z
  .object({
    year,
    indicator: code.meta({ examples: ['dibao.per-capita.urban'] }).optional(),
    element: code.meta({ examples: ['dibao.paid'] }).optional(),
    urbanRural: z.enum(URBAN_RURAL).optional(),
    divisionCode: divisionCodeSchema.optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if ((input.indicator === undefined) === (input.element === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['indicator'], message: 'ask for exactly one of indicator or element', params: { rule: 'one-of' } });
    }
  });
export type DashboardQuery = z.output<typeof dashboardQuerySchema>;

export interface SeriesPointView {
  /** YYYY-MM, or a twelve-digit township code. */
  group: string;
  value: number | null;
}
export interface DashboardSeriesView {
  year: number;
  indicator: string | null;
  element: string | null;
  unit: string;
  points: SeriesPointView[];
}
