import { Module } from '@nestjs/common';
import { DibaoApplicationsHandlers } from './dibao-applications.handlers';
import { DibaoApplicationsService } from './dibao-applications.service';

@Module({ providers: [DibaoApplicationsService, DibaoApplicationsHandlers] })
export class DibaoModule {}
