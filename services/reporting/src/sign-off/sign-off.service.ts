import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DomainError,
  hasAnyRole,
  parseOrThrow,
  signOffActionSchema,
  type Actor,
  type CorrectionView,
  type FrozenReportView,
  type SignOffView,
} from '@civil/contracts';
import type { DataSource } from 'typeorm';
import { BudgetService } from '../budget/budget.service';
import { IndicatorsService } from '../indicators/indicators.service';
import { DataElementsService, yearRange } from '../projections/data-elements.service';
import { ValidationService } from '../validation/validation.service';
import { LiveElementReader, RecordingElementReader } from './element-reader';
import { ALLOWED_FROM, statusOf } from './sign-off-status';
import { SignOffRepository } from './sign-off.repository';
import { SnapshotStore } from './snapshot.store';

/**
 * Sign-off of a year's report. Approval freezes every element value used, the indicator results,
 * the budget execution and the validation findings; afterwards the year's results come from that
 * snapshot, and live values that moved since are listed as corrections.
 */
@Injectable()
export class SignOffService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: SignOffRepository,
    private readonly snapshots: SnapshotStore,
    private readonly elements: DataElementsService,
    private readonly indicators: IndicatorsService,
    private readonly budget: BudgetService,
    private readonly validation: ValidationService,
  ) {}

  async status(year: number): Promise<SignOffView> {
    const actions = await this.repository.actions(year);
    const frozen = await this.snapshots.find(year);
    return {
      year,
      status: statusOf(actions),
      actions,
      approvedAt: frozen?.approvedAt ?? null,
      corrections: frozen ? await this.correctionsOf(frozen) : [],
    };
  }

  /**
   * The approved year's snapshot, or null before approval: `values` holds every element of the
   * catalogue over the year (county-wide, urban, rural) and every other element value used.
   */
  frozenValues(year: number): Promise<FrozenReportView | null> {
    return this.snapshots.find(year);
  }

  /** A finance officer marks the draft reviewed. */
  async review(request: unknown, actor: Actor | null): Promise<SignOffView> {
    const input = parseOrThrow(signOffActionSchema, request);
    const reviewer = this.requireRole(actor, 'finance-officer', 'a finance officer reviews the report');
    await this.dataSource.transaction(async (manager) => {
      this.assertStatus(statusOf(await this.repository.actions(input.year, manager)), 'review', input.year);
      if (!(await this.repository.append(input.year, 'review', reviewer.userId, input.note ?? null, new Date().toISOString(), manager))) this.raced(input.year);
    });
    return this.status(input.year);
  }

  /** A leader other than the reviewer approves, freezing the year's figures. */
  async approve(request: unknown, actor: Actor | null): Promise<SignOffView> {
    const input = parseOrThrow(signOffActionSchema, request);
    const approver = this.requireRole(actor, 'leader', 'a leader approves the report');
    // Repeatable read: every figure of the snapshot is read as of one moment.
    await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const actions = await this.repository.actions(input.year, manager);
      this.assertStatus(statusOf(actions), 'approve', input.year);
      if (actions.some((a) => a.action === 'review' && a.actorId === approver.userId)) {
        throw new DomainError('FORBIDDEN', 'the person who reviewed the report cannot also approve it');
      }
      const at = new Date().toISOString();
      if (!(await this.repository.append(input.year, 'approve', approver.userId, input.note ?? null, at, manager))) this.raced(input.year);
      const reader = new RecordingElementReader(new LiveElementReader(this.elements, manager));
      const budget = await this.budget.executionWith(input.year, reader);
      const indicators = await this.indicators.evaluateWith(input.year, reader, budget);
      const validation = await this.validation.runWith(input.year, reader);
      // Every element of the catalogue too (county, urban, rural), so the report's own figures read frozen values.
      for (const element of this.elements.list()) {
        for (const urbanRural of [undefined, 'urban', 'rural'] as const) await reader.value(input.year, urbanRural ? { element: element.code, urbanRural } : { element: element.code });
      }
      await this.snapshots.save(
        {
          year: input.year,
          approvedAt: at,
          approvedBy: approver.userId,
          values: reader.recorded(),
          indicators: { ...indicators, source: 'frozen' },
          budget: budget && { ...budget, source: 'frozen' },
          validation: { ...validation, source: 'frozen' },
        },
        manager,
      );
    });
    return this.status(input.year);
  }

  private async correctionsOf(frozen: FrozenReportView): Promise<CorrectionView[]> {
    const corrections: CorrectionView[] = [];
    for (const v of frozen.values) {
      const live = await this.elements.value(v.element, yearRange(frozen.year), v.urbanRural ? { urbanRural: v.urbanRural } : {}).catch((error: unknown) => {
        // An element dropped from the catalogue since has no live value to compare.
        if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
        throw error;
      });
      if (live !== null && live !== v.value) corrections.push({ ...v, live, difference: Number((live - v.value).toPrecision(12)) });
    }
    return corrections;
  }

  private requireRole(actor: Actor | null, role: 'finance-officer' | 'leader', message: string): Actor {
    if (!actor || actor.kind !== 'staff' || !hasAnyRole(actor, [role])) throw new DomainError('FORBIDDEN', message);
    return actor;
  }

  private assertStatus(status: ReturnType<typeof statusOf>, action: keyof typeof ALLOWED_FROM, year: number): void {
    if (status !== ALLOWED_FROM[action]) throw new DomainError('CONFLICT', `the ${year} report is ${status}; ${action} needs it ${ALLOWED_FROM[action]}`);
  }

  private raced(year: number): never {
    throw new DomainError('CONFLICT', `the ${year} report was signed off concurrently`);
  }
}
