import { Module } from '@nestjs/common';
import { BudgetModule } from '../budget/budget.module';
import { ProjectionsModule } from '../projections/projections.module';
import { SnapshotModule } from '../sign-off/snapshot.module';
import { IndicatorsHandlers } from './indicators.handlers';
import { IndicatorsRepository } from './indicators.repository';
import { IndicatorsService } from './indicators.service';

@Module({
  imports: [ProjectionsModule, SnapshotModule, BudgetModule],
  providers: [IndicatorsRepository, IndicatorsService, IndicatorsHandlers],
  exports: [IndicatorsService],
})
export class IndicatorsModule {}
