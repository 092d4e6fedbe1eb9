import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DomainError,
  parseOrThrow,
  saveValidationRuleSchema,
  setStatedFiguresSchema,
  type Actor,
  type BudgetView,
  type FieldError,
  type FigureRef,
  type StatedFigureView,
  type ValidationRuleView,
  type ValidationRunView,
} from '@civil/contracts';
import type { DataSource } from 'typeorm';
import { BudgetService } from '../budget/budget.service';
import { IndicatorsService } from '../indicators/indicators.service';
import { DataElementsService } from '../projections/data-elements.service';
import { assertFinance, assertNotApproved } from '../sign-off/access';
import { LiveElementReader, type ElementReader } from '../sign-off/element-reader';
import { SnapshotStore } from '../sign-off/snapshot.store';
import { evaluateRule, type Resolved } from './rule-evaluation';
import { ValidationRepository } from './validation.repository';

/** Validation rules as data, run over a year's data elements, budget figures and stated figures. */
@Injectable()
export class ValidationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ValidationRepository,
    private readonly elements: DataElementsService,
    private readonly budget: BudgetService,
    private readonly indicators: IndicatorsService,
    private readonly snapshots: SnapshotStore,
  ) {}

  rules(): Promise<ValidationRuleView[]> {
    return this.repository.rules();
  }

  async saveRule(request: unknown, actor: Actor | null): Promise<ValidationRuleView> {
    const { userId } = assertFinance(actor);
    const input = parseOrThrow(saveValidationRuleSchema, request);
    const unknown: FieldError[] = [];
    for (const side of ['left', 'right'] as const) {
      input[side].forEach((term, i) =>
        term.factors.forEach((f, j) => {
          if (f.kind === 'element' && !this.known(f.element)) unknown.push({ field: `${side}[${i}].factors[${j}].element`, rule: 'unknown-element', message: `no data element ${f.element}` });
        }),
      );
    }
    if (unknown.length > 0) throw DomainError.validation(unknown);
    await this.dataSource.transaction((manager) => this.repository.saveRule(input, userId, manager));
    const saved = (await this.repository.rules()).find((r) => r.code === input.code);
    if (!saved) throw new DomainError('INTERNAL', `rule ${input.code} was not saved`);
    return saved;
  }

  statedFigures(year: number): Promise<StatedFigureView[]> {
    return this.repository.statedFigures(year);
  }

  async setStatedFigures(request: unknown, actor: Actor | null): Promise<StatedFigureView[]> {
    assertFinance(actor);
    const input = parseOrThrow(setStatedFiguresSchema, request);
    await this.dataSource.transaction(async (manager) => {
      await assertNotApproved(this.snapshots.find(input.year, manager), input.year);
      await this.repository.setStatedFigures(input, manager);
    });
    return this.repository.statedFigures(input.year);
  }

  /** The year's findings: frozen once the year's report is approved, live before. */
  async run(year: number): Promise<ValidationRunView> {
    const frozen = await this.snapshots.find(year);
    if (frozen) return frozen.validation;
    return this.runWith(year, new LiveElementReader(this.elements));
  }

  async runWith(year: number, reader: ElementReader): Promise<ValidationRunView> {
    const rules = (await this.repository.rules()).filter((r) => r.enabled);
    const stated = new Map((await this.repository.statedFigures(year)).map((f) => [f.code, f.value]));
    let budget: BudgetView | null | undefined;
    let weights: number | undefined;
    const resolve = async (ref: FigureRef): Promise<Resolved> => {
      switch (ref.kind) {
        case 'element':
          if (!this.known(ref.element)) return { missing: `no data element ${ref.element}` };
          return { value: await reader.value(year, ref.urbanRural ? { element: ref.element, urbanRural: ref.urbanRural } : { element: ref.element }) };
        case 'stated': {
          const value = stated.get(ref.code);
          return value === undefined ? { missing: `no stated figure ${ref.code} for ${year}` } : { value };
        }
        case 'budget': {
          if (budget === undefined) budget = await this.budget.figures(year);
          return budget === null ? { missing: `no budget for ${year}` } : { value: budgetFigure(budget, ref.figure) };
        }
        case 'indicator-weights':
          weights ??= await this.indicators.weightSum(year);
          return { value: weights };
      }
    };
    const result: ValidationRunView = { year, source: 'live', checked: 0, violations: [], skipped: [] };
    for (const rule of rules) {
      const outcome = await evaluateRule(rule, resolve);
      switch (outcome.kind) {
        case 'holds':
          result.checked += 1;
          break;
        case 'violated':
          result.checked += 1;
          result.violations.push(outcome.finding);
          break;
        case 'skipped':
          result.skipped.push({ rule: rule.code, reason: outcome.reason });
          break;
      }
    }
    return result;
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

function budgetFigure(budget: BudgetView, figure: Extract<FigureRef, { kind: 'budget' }>['figure']): number {
  switch (figure) {
    case 'total':
      return budget.statedTotalFen;
    case 'basic':
      return budget.basicFen;
    case 'project':
      return budget.projectFen;
    case 'carry-over':
      return budget.carryOverFen;
    case 'additions':
      return budget.additionsFen;
    case 'year-end-balance':
      return budget.yearEndBalanceFen;
    case 'projects-sum':
      return budget.projects.reduce((sum, p) => sum + (p.amountFen ?? 0), 0);
  }
}
