import { Injectable } from '@nestjs/common';
import {  } from '@civil/contracts';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import {
  Patterns,
  getPayrollSchema,
  listPaymentLinesSchema,
  runPayrollSchema,
  type ListPaymentLinesRequest,
  type PaymentLinePage,
  type PayrollKey,
  type PayrollRunView,
} from '@civil/contracts';
import { PayrollService } from './payroll.service';

@Injectable()
export class PayrollHandlers {
  constructor(private readonly payroll: PayrollService) {}

  /**
   * Runs (or resumes, or returns) the payroll of a period. A large payroll can outlast the
   * gateway's request timeout: the run goes on regardless, and `payroll.get` shows its progress.
   */
  @RpcHandler(Patterns.socialAssistance.runPayroll, { schema: runPayrollSchema })
  async run(input: PayrollKey, ctx: RpcContext): Promise<PayrollRunView> {
    const actor = requireActor(ctx);
    return this.payroll.run(input.period, input.programme, actor);
  }

  @RpcHandler(Patterns.socialAssistance.getPayroll, { schema: getPayrollSchema })
  async get(input: PayrollKey, ctx: RpcContext): Promise<PayrollRunView> {
    const actor = requireActor(ctx);
    return this.payroll.getRun(input.period, input.programme, actor);
  }

  @RpcHandler(Patterns.socialAssistance.listPaymentLines, { schema: listPaymentLinesSchema })
  async lines(input: ListPaymentLinesRequest, ctx: RpcContext): Promise<PaymentLinePage> {
    const actor = requireActor(ctx);
    return this.payroll.listLines(input, actor);
  }
}
