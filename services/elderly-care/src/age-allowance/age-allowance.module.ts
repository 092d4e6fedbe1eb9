import { Module } from '@nestjs/common';
import { AgeAllowanceRatesHandlers } from './age-allowance-rates.handlers';

@Module({ providers: [AgeAllowanceRatesHandlers] })
export class AgeAllowanceModule {}
