import { Injectable } from '@nestjs/common';
import { Patterns, dashboardQuerySchema, type DashboardSeriesView } from '@civil/contracts';
import { RpcHandler, type RpcContext } from '@civil/platform';
import { assertStaff } from '../sign-off/access';
import { DashboardsService } from './dashboards.service';

@Injectable()
export class DashboardsHandlers {
  constructor(private readonly dashboards: DashboardsService) {}

  @RpcHandler(Patterns.reporting.dashboardSeries, { schema: dashboardQuerySchema })
  async series(input: unknown, ctx: RpcContext): Promise<DashboardSeriesView> {
    assertStaff(ctx.actor);
    return this.dashboards.series(input);
  }

  @RpcHandler(Patterns.reporting.dashboardTownships, { schema: dashboardQuerySchema })
  async townships(input: unknown, ctx: RpcContext): Promise<DashboardSeriesView> {
    assertStaff(ctx.actor);
    return this.dashboards.townships(input);
  }
}
