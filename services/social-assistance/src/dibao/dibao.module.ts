import { Module } from '@nestjs/common';
import { BenefitPreviewService } from './benefit-preview.service';
import { DibaoApplicationsHandlers } from './dibao-applications.handlers';
import { DibaoApplicationsService } from './dibao-applications.service';

@Module({ providers: [DibaoApplicationsService, BenefitPreviewService, DibaoApplicationsHandlers] })
export class DibaoModule {}
