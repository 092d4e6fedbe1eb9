import { Module } from '@nestjs/common';
import { BudgetModule } from '../budget/budget.module';
import { IndicatorsModule } from '../indicators/indicators.module';
import { ProjectionsModule } from '../projections/projections.module';
import { ValidationModule } from '../validation/validation.module';
import { EvaluationReportInputs } from './report-inputs.adapter';
import { SignOffHandlers } from './sign-off.handlers';
import { SignOffRepository } from './sign-off.repository';
import { SignOffService } from './sign-off.service';
import { SnapshotModule } from './snapshot.module';

@Module({
  imports: [ProjectionsModule, SnapshotModule, BudgetModule, IndicatorsModule, ValidationModule],
  providers: [SignOffRepository, SignOffService, SignOffHandlers, EvaluationReportInputs],
  // EvaluationReportInputs is what the annual report's REPORT_INPUTS binds to.
  exports: [SignOffService, EvaluationReportInputs],
})
export class SignOffModule {}
