import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { Patterns, listIndicatorsSchema, saveIndicatorSchema, setIndicatorYearSchema, yearRequestSchema, type IndicatorEvaluationView, type IndicatorView, type YearRequest } from '@civil/contracts';
import { RpcHandler, type RpcContext } from '@civil/platform';
import { assertStaff } from '../sign-off/access';
import { IndicatorsService } from './indicators.service';

@Injectable()
export class IndicatorsHandlers {
  constructor(private readonly indicators: IndicatorsService) {}

  @RpcHandler(Patterns.reporting.listIndicators, { schema: listIndicatorsSchema })
  async list(input: z.output<typeof listIndicatorsSchema>, ctx: RpcContext): Promise<IndicatorView[]> {
    assertStaff(ctx.actor);
    return this.indicators.list(input.year);
  }

  @RpcHandler(Patterns.reporting.saveIndicator, { schema: saveIndicatorSchema })
  async save(input: unknown, ctx: RpcContext): Promise<IndicatorView> {
    return this.indicators.save(input, ctx.actor);
  }

  @RpcHandler(Patterns.reporting.setIndicatorYear, { schema: setIndicatorYearSchema })
  async setYear(input: unknown, ctx: RpcContext): Promise<IndicatorView> {
    return this.indicators.setYear(input, ctx.actor);
  }

  @RpcHandler(Patterns.reporting.evaluateIndicators, { schema: yearRequestSchema })
  async evaluate(input: YearRequest, ctx: RpcContext): Promise<IndicatorEvaluationView> {
    assertStaff(ctx.actor);
    return this.indicators.evaluate(input.year);
  }
}
