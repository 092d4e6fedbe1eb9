import { Module } from '@nestjs/common';
import { CounsellingHandlers } from './counselling.handlers';
import { CounsellingService } from './counselling.service';

@Module({ providers: [CounsellingService, CounsellingHandlers] })
export class CounsellingModule {}
