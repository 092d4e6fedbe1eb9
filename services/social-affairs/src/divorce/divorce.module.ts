import { Module } from '@nestjs/common';
import { DivorceLapseScheduler } from './divorce-lapse.scheduler';
import { DivorceHandlers } from './divorce.handlers';
import { DivorceService } from './divorce.service';

@Module({ providers: [DivorceService, DivorceHandlers, DivorceLapseScheduler] })
export class DivorceModule {}
