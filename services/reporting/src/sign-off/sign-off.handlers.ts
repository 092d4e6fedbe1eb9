import { Injectable } from '@nestjs/common';
import { Patterns, signOffActionSchema, yearRequestSchema, type SignOffView, type YearRequest } from '@civil/contracts';
import { RpcHandler, type RpcContext } from '@civil/platform';
import { assertStaff } from './access';
import { SignOffService } from './sign-off.service';

@Injectable()
export class SignOffHandlers {
  constructor(private readonly signOff: SignOffService) {}

  @RpcHandler(Patterns.reporting.signOffStatus, { schema: yearRequestSchema })
  async status(input: YearRequest, ctx: RpcContext): Promise<SignOffView> {
    assertStaff(ctx.actor);
    return this.signOff.status(input.year);
  }

  @RpcHandler(Patterns.reporting.reviewReport, { schema: signOffActionSchema })
  async review(input: unknown, ctx: RpcContext): Promise<SignOffView> {
    return this.signOff.review(input, ctx.actor);
  }

  @RpcHandler(Patterns.reporting.approveReport, { schema: signOffActionSchema })
  async approve(input: unknown, ctx: RpcContext): Promise<SignOffView> {
    return this.signOff.approve(input, ctx.actor);
  }
}
