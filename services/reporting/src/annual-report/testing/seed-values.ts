import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_TEMPLATE_SECTIONS, type ReportTemplateSection } from '@civil/contracts';
import { SEED_TEMPLATES_2023 } from '../../migrations/1764000052000-report-templates';
import type { ElementFilter } from '../placeholders';
import type { ReportInputs, ReportInputsProvider, ValueOf } from '../report-inputs';

/** The bureau's 2023 report as received (../shared/seeds), kept beside the tests. */
export const SEED_2023 = readFileSync(join(__dirname, '..', 'fixtures', 'seed-2023-report.txt'), 'utf8');

export const TEMPLATES_2023 = Object.fromEntries(REPORT_TEMPLATE_SECTIONS.map((s) => [s, SEED_TEMPLATES_2023.find(([k]) => k === s)?.[1] ?? ''])) as Record<ReportTemplateSection, string>;

/**
 * Element values that reproduce the seed's figures (approximate ones by a value that floors to
 * them: 3,031,234.56 元 → 303万余). Keys are `code`, `code|urban`, `code|rural`.
 */
export const SEED_VALUES_2023: Readonly<Record<string, number>> = {
  'dibao.new.households': 432,
  'dibao.new.persons': 1099,
  'dibao.stopped.households': 924,
  'dibao.stopped.persons': 1470,
  'dibao.households|urban': 2898,
  'dibao.persons|urban': 4893,
  'dibao.households|rural': 1541,
  'dibao.persons|rural': 2848,
  'dibao.paid': 3_176_488_900,
  'dibao.paid|urban': 2_339_729_300,
  'dibao.paid|rural': 836_759_600,
  'dibao.person-months|urban': 59_090,
  'dibao.person-months|rural': 31_370,
  'charity.funds': 303_123_456,
  'charity.households-visited': 4733,
  'tekun.paid': 833_879_500,
  'tekun.persons': 866,
  'tekun.persons.centralized': 147,
  'tekun.persons.dispersed': 719,
  'temporary.person-times': 4331,
  'temporary.paid': 407_410_000,
  'charity.activities': 23,
  'charity.goods-value': 1_530_000,
  'charity.persons-served': 412,
  'place-names.audit.five-classes': 3969,
  'place-names.audit.other': 3120,
  'marriage.registrations': 1753,
  'divorce.registrations': 722,
  'certificates.accurate': 1753,
  'certificates.issued': 1753,
  organisations: 133,
  'organisations.social-groups': 27,
  'organisations.private-non-enterprise': 108,
  'allowance.orphan.paid': 36_880_000,
  'allowance.de-facto-unsupported.paid': 78_470_000,
  'allowance.disability-living.paid': 181_950_000,
  'allowance.disability-care.paid': 283_460_000,
  'social-work.activities': 21,
  institutions: 13,
  'institutions.public': 5,
  'institutions.private': 8,
  'home-adaptation.completed': 66,
  'age-allowance.high-age.paid': 124_920_000,
  'age-allowance.longevity.paid': 9_000_000,
};

export function valuesOf(values: Readonly<Record<string, number>>): ValueOf {
  return (code: string, filter: ElementFilter) => {
    const key = [code, filter.urbanRural, filter.divisionCode].filter((p) => p !== undefined).join('|');
    const value = values[key];
    if (value === undefined) return Promise.reject(new Error(`no test value for ${key}`));
    return Promise.resolve(value);
  };
}

/** Inputs as the other modules would give them for 2023: the seed's budget, two projects, two indicators, the seed's two inconsistencies. */
export const INPUTS_2023: ReportInputs = {
  budget: {
    statedTotalFen: 4_702_420_000,
    basicFen: 233_580_000,
    projectFen: 4_468_850_000,
    projects: [
      { name: '城乡低保', programme: '低保', budgetFen: 3_200_000_000, executedFen: 3_176_488_900, rate: 0.99265278 },
      { name: '特困供养', programme: '特困', budgetFen: 850_000_000, executedFen: 833_879_500, rate: 0.98103471 },
    ],
    completionRate: 0.9876,
    controlRate: 0.05,
  },
  indicators: [
    { code: 'dibao-coverage', name: '低保应保尽保率', category: '数量指标', target: 100, actual: 100, unit: '%', weight: 10, score: 10 },
    { code: 'certificate-accuracy', name: '出证准确率', category: '质量指标', target: 100, actual: 99.5, unit: '%', weight: 10, score: 9.5 },
  ],
  totalScore: 91.5,
  grade: '优',
  findings: [
    { rule: 'organisations = social-groups + private-non-enterprise', message: '登记在册社会组织133家，与社会团体27家、民办非企业单位108家之和135家不符', left: 133, right: 135, difference: -2 },
    { rule: 'budget.total = budget.basic + budget.project', message: '部门整体支出4702.42万元，与基本支出233.58万元、项目支出4468.85万元之和4702.43万元不符', left: 4702.42, right: 4702.43, difference: -0.01 },
  ],
  corrections: [{ element: 'dibao.paid', frozen: 3_176_488_900, live: 3_176_500_000, difference: 11_100 }],
  status: 'draft',
};

/** A fixed in-memory {@link ReportInputsProvider}. */
export function fixedInputs(inputs: ReportInputs, values: Readonly<Record<string, number>>): ReportInputsProvider {
  return { inputs: () => Promise.resolve(inputs), valueOf: () => valuesOf(values) };
}
