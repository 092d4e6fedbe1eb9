import { Injectable } from '@nestjs/common';
import type { ReportInputs, ReportInputsProvider, ValueOf } from '../annual-report/report-inputs';
import { DataElementsService, yearRange } from '../projections/data-elements.service';
import { BudgetService } from '../budget/budget.service';
import { IndicatorsService } from '../indicators/indicators.service';
import { ValidationService } from '../validation/validation.service';
import { keyOf } from './element-reader';
import { SignOffService } from './sign-off.service';

/**
 * The annual report's inputs from budget, indicators, validation and sign-off: live before the
 * year is approved, the frozen snapshot after (element values by township are not frozen and stay
 * live). Figures the evaluation cannot give (no project amount, no actual) are reported as 0.
 */
@Injectable()
export class EvaluationReportInputs implements ReportInputsProvider {
  constructor(
    private readonly elements: DataElementsService,
    private readonly budget: BudgetService,
    private readonly indicators: IndicatorsService,
    private readonly validation: ValidationService,
    private readonly signOff: SignOffService,
  ) {}

  async inputs(year: number): Promise<ReportInputs> {
    const [execution, evaluation, run, status] = [await this.budget.execution(year), await this.indicators.evaluate(year), await this.validation.run(year), await this.signOff.status(year)];
    return {
      budget: {
        statedTotalFen: execution?.statedTotalFen ?? 0,
        basicFen: execution?.basicFen ?? 0,
        projectFen: execution?.projectFen ?? 0,
        projects: (execution?.projects ?? []).map((p) => ({ name: p.name, programme: p.programme, budgetFen: p.amountFen ?? 0, executedFen: p.executedFen, rate: p.executionRate ?? 0 })),
        completionRate: execution?.completionRate ?? 0,
        controlRate: execution?.controlRate ?? 0,
      },
      indicators: evaluation.indicators.map((i) => ({ code: i.code, name: i.name, category: i.category, target: i.target, actual: i.actual ?? 0, unit: i.unit, weight: i.weight, score: i.score })),
      totalScore: evaluation.totalScore,
      grade: evaluation.grade,
      findings: run.violations.map((v) => ({ rule: v.rule, message: v.message, left: v.left, right: v.right, difference: v.difference })),
      corrections: status.corrections.map((c) => ({ element: keyOf(c.element, c.urbanRural), frozen: c.value, live: c.live, difference: c.difference })),
      status: status.status,
    };
  }

  valueOf(year: number): ValueOf {
    const range = yearRange(year);
    let frozen: Promise<Map<string, number> | null> | undefined;
    return async (code, filter) => {
      frozen ??= this.signOff.frozenValues(year).then((s) => (s ? new Map(s.values.map((v) => [keyOf(v.element, v.urbanRural), v.value])) : null));
      const values = await frozen;
      const key = keyOf(code, filter.urbanRural ?? null);
      if (values && filter.divisionCode === undefined && values.has(key)) return values.get(key) ?? 0;
      return this.elements.value(code, range, filter);
    };
  }
}
