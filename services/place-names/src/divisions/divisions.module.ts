import { Module } from '@nestjs/common';
import { DivisionsHandlers } from './divisions.handlers';
import { DivisionsService } from './divisions.service';

@Module({ providers: [DivisionsService, DivisionsHandlers], exports: [DivisionsService] })
export class DivisionsModule {}
