import { Injectable } from '@nestjs/common';
import {
  Patterns,
  emptyRequestSchema,
  saveValidationRuleSchema,
  setStatedFiguresSchema,
  yearRequestSchema,
  type StatedFigureView,
  type ValidationRuleView,
  type ValidationRunView,
  type YearRequest,
} from '@civil/contracts';
import { RpcHandler, type RpcContext } from '@civil/platform';
import { assertStaff } from '../sign-off/access';
import { ValidationService } from './validation.service';

@Injectable()
export class ValidationHandlers {
  constructor(private readonly validation: ValidationService) {}

  @RpcHandler(Patterns.reporting.listValidationRules, { schema: emptyRequestSchema })
  async rules(_input: unknown, ctx: RpcContext): Promise<ValidationRuleView[]> {
    assertStaff(ctx.actor);
    return this.validation.rules();
  }

  @RpcHandler(Patterns.reporting.saveValidationRule, { schema: saveValidationRuleSchema })
  async saveRule(input: unknown, ctx: RpcContext): Promise<ValidationRuleView> {
    return this.validation.saveRule(input, ctx.actor);
  }

  @RpcHandler(Patterns.reporting.listStatedFigures, { schema: yearRequestSchema })
  async statedFigures(input: YearRequest, ctx: RpcContext): Promise<StatedFigureView[]> {
    assertStaff(ctx.actor);
    return this.validation.statedFigures(input.year);
  }

  @RpcHandler(Patterns.reporting.setStatedFigures, { schema: setStatedFiguresSchema })
  async setStatedFigures(input: unknown, ctx: RpcContext): Promise<StatedFigureView[]> {
    return this.validation.setStatedFigures(input, ctx.actor);
  }

  @RpcHandler(Patterns.reporting.runValidation, { schema: yearRequestSchema })
  async run(input: YearRequest, ctx: RpcContext): Promise<ValidationRunView> {
    assertStaff(ctx.actor);
    return this.validation.run(input.year);
  }
}
