import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DomainError,
  parseOrThrow,
  saveIndicatorSchema,
  setIndicatorYearSchema,
  type Actor,
  type BudgetExecutionView,
  type FieldError,
  type IndicatorEvaluationView,
  type IndicatorResultView,
  type IndicatorView,
} from '@civil/contracts';
import type { DataSource } from 'typeorm';
import { BudgetService } from '../budget/budget.service';
import { DataElementsService } from '../projections/data-elements.service';
import { assertFinance, assertNotApproved } from '../sign-off/access';
import { LiveElementReader, type ElementReader } from '../sign-off/element-reader';
import { SnapshotStore } from '../sign-off/snapshot.store';
import { IndicatorsRepository } from './indicators.repository';
import { gradeOf, round2, scoreIndicator, totalOf } from './scoring';

type Actual = { actual: number | null; numerator: number | null; denominator: number | null; note: string | null };

/** Indicators as stored definitions: their per-year targets and weights, and the year's scores and grade. */
@Injectable()
export class IndicatorsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly indicators: IndicatorsRepository,
    private readonly elements: DataElementsService,
    private readonly budget: BudgetService,
    private readonly snapshots: SnapshotStore,
  ) {}

  list(year?: number): Promise<IndicatorView[]> {
    return this.indicators.list(year);
  }

  async definition(code: string): Promise<IndicatorView> {
    const found = (await this.indicators.list()).find((i) => i.code === code);
    if (!found) throw new DomainError('NOT_FOUND', `no indicator ${code}`);
    return found;
  }

  /** Creates or changes a definition; its data elements must be known. */
  async save(request: unknown, actor: Actor | null): Promise<IndicatorView> {
    const { userId } = assertFinance(actor);
    const input = parseOrThrow(saveIndicatorSchema, request);
    if (input.source.kind === 'elements') {
      const unknown: FieldError[] = [];
      for (const side of ['numerator', 'denominator'] as const) {
        const ref = input.source[side];
        if (ref && !this.known(ref.element)) unknown.push({ field: `source.${side}.element`, rule: 'unknown-element', message: `no data element ${ref.element}` });
      }
      if (unknown.length > 0) throw DomainError.validation(unknown);
    }
    await this.dataSource.transaction((manager) => this.indicators.save(input, userId, manager));
    return this.definition(input.code);
  }

  /** Sets a year's target, weight and (for entered indicators) actual; an approved year is refused. */
  async setYear(request: unknown, actor: Actor | null): Promise<IndicatorView> {
    const { userId } = assertFinance(actor);
    const input = parseOrThrow(setIndicatorYearSchema, request);
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.indicators.exists(input.code, manager))) throw new DomainError('NOT_FOUND', `no indicator ${input.code}`);
      await assertNotApproved(this.snapshots.find(input.year, manager), input.year);
      await this.indicators.setYear(input, userId, manager);
    });
    return this.definition(input.code);
  }

  weightSum(year: number): Promise<number> {
    return this.indicators.weightSum(year);
  }

  /** The year's indicator table: frozen once the year's report is approved, live before. */
  async evaluate(year: number): Promise<IndicatorEvaluationView> {
    const frozen = await this.snapshots.find(year);
    if (frozen) return frozen.indicators;
    return this.evaluateWith(year, new LiveElementReader(this.elements));
  }

  async evaluateWith(year: number, reader: ElementReader, budget?: BudgetExecutionView | null): Promise<IndicatorEvaluationView> {
    const definitions = await this.indicators.list(year);
    let execution: BudgetExecutionView | null | undefined = budget;
    const results: IndicatorResultView[] = [];
    for (const d of definitions) {
      const y = d.years[0];
      if (!y) continue;
      let actual: Actual;
      switch (d.source.kind) {
        case 'entered':
          actual = { actual: y.enteredActual === null ? null : y.enteredActual * d.factor, numerator: y.enteredActual, denominator: null, note: y.enteredActual === null ? '未录入' : null };
          break;
        case 'budget': {
          execution ??= await this.budget.executionWith(year, reader);
          actual = budgetActual(execution, d.source.measure, d.factor);
          break;
        }
        case 'elements':
          actual = await this.elementsActual(year, reader, d.source, d.factor);
          break;
      }
      const scored = scoreIndicator(d.scoring, d.direction, actual.actual, y.target, y.weight);
      results.push({
        code: d.code,
        name: d.name,
        category: d.category,
        unit: d.unit,
        direction: d.direction,
        target: y.target,
        weight: y.weight,
        actual: actual.actual === null ? null : Number(actual.actual.toPrecision(12)),
        numerator: actual.numerator,
        denominator: actual.denominator,
        met: scored.met,
        score: scored.score,
        note: actual.note,
      });
    }
    const totalScore = totalOf(results.map((r) => r.score));
    return { year, source: 'live', indicators: results, weightSum: round2(results.reduce((s, r) => s + r.weight, 0)), totalScore, grade: gradeOf(totalScore) };
  }

  private async elementsActual(year: number, reader: ElementReader, source: Extract<IndicatorView['source'], { kind: 'elements' }>, factor: number): Promise<Actual> {
    for (const ref of [source.numerator, source.denominator]) {
      if (ref && !this.known(ref.element)) return { actual: null, numerator: null, denominator: null, note: `无数据元 ${ref.element}` };
    }
    const numerator = await reader.value(year, source.numerator);
    if (!source.denominator) return { actual: numerator * factor, numerator, denominator: null, note: null };
    const denominator = await reader.value(year, source.denominator);
    if (denominator === 0) return { actual: null, numerator, denominator, note: '分母为零' };
    return { actual: (numerator / denominator) * factor, numerator, denominator, note: null };
  }

  private known(code: string): boolean {
    try {
      this.elements.element(code);
      return true;
    } catch {
      return false;
    }
  }
}

function budgetActual(execution: BudgetExecutionView | null, measure: 'completion-rate' | 'control-rate' | 'execution-rate', factor: number): Actual {
  if (!execution) return { actual: null, numerator: null, denominator: null, note: '无预算' };
  const rate = measure === 'completion-rate' ? execution.completionRate : measure === 'control-rate' ? execution.controlRate : execution.executionRate;
  return { actual: rate === null ? null : rate * factor, numerator: null, denominator: null, note: rate === null ? '无法计算' : null };
}
