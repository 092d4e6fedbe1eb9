import { Injectable } from '@nestjs/common';
import { DomainError, Patterns, setBudgetSchema, yearRequestSchema, type BudgetExecutionView, type BudgetView, type YearRequest } from '@civil/contracts';
import { RpcHandler, type RpcContext } from '@civil/platform';
import { assertStaff } from '../sign-off/access';
import { BudgetService } from './budget.service';

@Injectable()
export class BudgetHandlers {
  constructor(private readonly budget: BudgetService) {}

  @RpcHandler(Patterns.reporting.getBudget, { schema: yearRequestSchema })
  async get(input: YearRequest, ctx: RpcContext): Promise<BudgetView> {
    assertStaff(ctx.actor);
    return this.budget.get(input.year);
  }

  @RpcHandler(Patterns.reporting.setBudget, { schema: setBudgetSchema })
  async set(input: unknown, ctx: RpcContext): Promise<BudgetView> {
    return this.budget.set(input, ctx.actor);
  }

  @RpcHandler(Patterns.reporting.budgetExecution, { schema: yearRequestSchema })
  async execution(input: YearRequest, ctx: RpcContext): Promise<BudgetExecutionView> {
    assertStaff(ctx.actor);
    const execution = await this.budget.execution(input.year);
    if (!execution) throw new DomainError('NOT_FOUND', `no budget for ${input.year}`);
    return execution;
  }
}
