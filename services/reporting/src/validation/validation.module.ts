import { Module } from '@nestjs/common';
import { BudgetModule } from '../budget/budget.module';
import { IndicatorsModule } from '../indicators/indicators.module';
import { ProjectionsModule } from '../projections/projections.module';
import { SnapshotModule } from '../sign-off/snapshot.module';
import { ValidationHandlers } from './validation.handlers';
import { ValidationRepository } from './validation.repository';
import { ValidationService } from './validation.service';

@Module({
  imports: [ProjectionsModule, SnapshotModule, BudgetModule, IndicatorsModule],
  providers: [ValidationRepository, ValidationService, ValidationHandlers],
  exports: [ValidationService],
})
export class ValidationModule {}
