import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module';
import { SignOffModule } from '../sign-off/sign-off.module';
import { EvaluationReportInputs } from '../sign-off/report-inputs.adapter';
import { AnnualReportHandlers } from './annual-report.handlers';
import { AnnualReportService } from './annual-report.service';
import { REPORT_INPUTS } from './report-inputs';
import { ReportTemplatesRepository } from './report-templates.repository';

@Module({
  imports: [ProjectionsModule, SignOffModule],
  providers: [
    ReportTemplatesRepository,
    AnnualReportService,
    AnnualReportHandlers,
    // Budget, indicators, validation findings and sign-off; frozen figures once the year is approved.
    { provide: REPORT_INPUTS, useExisting: EvaluationReportInputs },
  ],
  exports: [AnnualReportService],
})
export class AnnualReportModule {}
