import { Module } from '@nestjs/common';
import { AllowancesHandlers } from './allowances.handlers';
import { AllowancesService } from './allowances.service';
import { DibaoCasesConsumer } from './dibao-cases.consumer';

@Module({ providers: [AllowancesService, AllowancesHandlers, DibaoCasesConsumer] })
export class AllowancesModule {}
