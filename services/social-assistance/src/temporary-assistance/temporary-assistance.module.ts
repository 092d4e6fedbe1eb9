import { Module } from '@nestjs/common';
import { TemporaryAssistanceHandlers } from './temporary-assistance.handlers';
import { TemporaryAssistanceService } from './temporary-assistance.service';

@Module({ providers: [TemporaryAssistanceService, TemporaryAssistanceHandlers] })
export class TemporaryAssistanceModule {}
