import type { AnnualReportGrade, AnnualReportStatus } from '@civil/contracts';
import type { ElementFilter } from './placeholders';

/**
 * What the annual report needs from the rest of reporting (budget, indicators, validation,
 * sign-off). The report only reads these; the module that owns each part provides them through
 * {@link REPORT_INPUTS}. Amounts are in fen; rates are fractions (1 = 100 %).
 */
export interface ReportInputs {
  budget: {
    /** The total the bureau states (4702.42万元 in 2023), which need not equal basic + project. */
    statedTotalFen: number;
    basicFen: number;
    projectFen: number;
    projects: { name: string; programme: string; budgetFen: number; executedFen: number; rate: number }[];
    completionRate: number;
    controlRate: number;
  };
  indicators: { code: string; name: string; category: string; target: number; actual: number; unit: string; weight: number; score: number }[];
  totalScore: number;
  grade: AnnualReportGrade;
  findings: { rule: string; message: string; left: number; right: number; difference: number }[];
  /** For an approved year: elements whose live value moved away from the frozen one. */
  corrections: { element: string; frozen: number; live: number; difference: number }[];
  status: AnnualReportStatus;
}

/** A data element's value for the report's year: live from the projections, or frozen once approved. */
export type ValueOf = (code: string, filter: ElementFilter) => Promise<number>;

export interface ReportInputsProvider {
  inputs(year: number): Promise<ReportInputs>;
  /** The element values the report's figures come from for `year`. */
  valueOf(year: number): ValueOf;
}

/** Nest token of the {@link ReportInputsProvider}. */
export const REPORT_INPUTS = Symbol('REPORT_INPUTS');
