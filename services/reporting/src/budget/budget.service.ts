import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, parseOrThrow, setBudgetSchema, type Actor, type BudgetExecutionView, type BudgetView, type FieldError, type ProjectExecutionView } from '@civil/contracts';
import type { DataSource } from 'typeorm';
import { DataElementsService } from '../projections/data-elements.service';
import { assertFinance, assertNotApproved } from '../sign-off/access';
import { LiveElementReader, type ElementReader } from '../sign-off/element-reader';
import { SnapshotStore } from '../sign-off/snapshot.store';
import { completionRate, controlRate, executionRate } from './budget-formulas';
import { BudgetRepository } from './budget.repository';

/** A year's budget as finance enters it, and its execution from the paid-amount data elements. */
@Injectable()
export class BudgetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly budgets: BudgetRepository,
    private readonly elements: DataElementsService,
    private readonly snapshots: SnapshotStore,
  ) {}

  async get(year: number): Promise<BudgetView> {
    const budget = await this.budgets.find(year);
    if (!budget) throw new DomainError('NOT_FOUND', `no budget for ${year}`);
    return budget;
  }

  /** Replaces the year's budget; element codes must be known; an approved year is refused. */
  async set(request: unknown, actor: Actor | null): Promise<BudgetView> {
    const { userId } = assertFinance(actor);
    const input = parseOrThrow(setBudgetSchema, request);
    const unknown: FieldError[] = [];
    input.projects.forEach((p, i) =>
      p.elements.forEach((code, j) => {
        if (!this.known(code)) unknown.push({ field: `projects[${i}].elements[${j}]`, rule: 'unknown-element', message: `no data element ${code}` });
      }),
    );
    if (unknown.length > 0) throw DomainError.validation(unknown);
    await this.dataSource.transaction(async (manager) => {
      await assertNotApproved(this.snapshots.find(input.year, manager), input.year);
      await this.budgets.replace(input, userId, manager);
    });
    return this.get(input.year);
  }

  /** The year's execution: frozen once the year's report is approved, live before; null without a budget. */
  async execution(year: number): Promise<BudgetExecutionView | null> {
    const frozen = await this.snapshots.find(year);
    if (frozen) return frozen.budget;
    return this.executionWith(year, new LiveElementReader(this.elements));
  }

  async executionWith(year: number, reader: ElementReader): Promise<BudgetExecutionView | null> {
    const budget = await this.budgets.find(year);
    if (!budget) return null;
    const projects: ProjectExecutionView[] = [];
    for (const p of budget.projects) {
      const elements: ProjectExecutionView['elements'] = [];
      for (const element of p.elements) {
        // An element no longer in the catalogue executes nothing; it shows as null rather than failing the year.
        elements.push({ element, valueFen: this.known(element) ? await reader.value(year, { element }) : null });
      }
      const executedFen = elements.reduce((sum, e) => sum + (e.valueFen ?? 0), 0);
      projects.push({ code: p.code, name: p.name, programme: p.programme, amountFen: p.amountFen, executedFen, executionRate: executionRate(executedFen, p.amountFen), elements });
    }
    const withAmounts = projects.filter((p) => p.amountFen !== null);
    const budgetedProjectsFen = withAmounts.reduce((sum, p) => sum + (p.amountFen ?? 0), 0);
    return {
      year,
      source: 'live',
      statedTotalFen: budget.statedTotalFen,
      basicFen: budget.basicFen,
      projectFen: budget.projectFen,
      partsSumFen: budget.basicFen + budget.projectFen,
      carryOverFen: budget.carryOverFen,
      additionsFen: budget.additionsFen,
      yearEndBalanceFen: budget.yearEndBalanceFen,
      completionRate: completionRate(budget),
      controlRate: controlRate(budget),
      projects,
      budgetedProjectsFen,
      executedFen: projects.reduce((sum, p) => sum + p.executedFen, 0),
      executionRate: executionRate(
        withAmounts.reduce((sum, p) => sum + p.executedFen, 0),
        withAmounts.length > 0 ? budgetedProjectsFen : null,
      ),
    };
  }

  /** The budget figures as entered (fen), for validation rules; null without a budget. */
  async figures(year: number): Promise<BudgetView | null> {
    return this.budgets.find(year);
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
