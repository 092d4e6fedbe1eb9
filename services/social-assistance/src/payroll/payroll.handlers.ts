import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import {
  Patterns,
  exportBankFileSchema,
  getPayrollSchema,
  listPaymentLinesSchema,
  runPayrollSchema,
  type BankFilePage,
  type ExportBankFileRequest,
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

  /** One page of the bank file; the gateway streams the pages as one CSV download. */
  @RpcHandler(Patterns.socialAssistance.exportBankFile, { schema: exportBankFileSchema })
  async bankFile(input: ExportBankFileRequest, ctx: RpcContext): Promise<BankFilePage> {
    const actor = requireActor(ctx);
    return this.payroll.exportBankFilePage(input, actor);
  }
}
