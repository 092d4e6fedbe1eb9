import { Module } from '@nestjs/common';
import { IndicatorsModule } from '../indicators/indicators.module';
import { ProjectionsModule } from '../projections/projections.module';
import { DashboardsHandlers } from './dashboards.handlers';
import { DashboardsService } from './dashboards.service';

@Module({
  imports: [ProjectionsModule, IndicatorsModule],
  providers: [DashboardsService, DashboardsHandlers],
})
export class DashboardsModule {}
