import { Module } from '@nestjs/common';
import { AssistanceStatusConsumer } from './assistance-status.consumer';
import { HomeAdaptationHandlers } from './home-adaptation.handlers';
import { HomeAdaptationService } from './home-adaptation.service';

@Module({ providers: [HomeAdaptationService, HomeAdaptationHandlers, AssistanceStatusConsumer] })
export class HomeAdaptationModule {}
