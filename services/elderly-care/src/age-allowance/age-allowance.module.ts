import { Module } from '@nestjs/common';
import { AgeAllowanceRatesHandlers } from './age-allowance-rates.handlers';
import { AgeAllowancePayrollService } from './age-allowance-payroll.service';
import { AgeAllowanceSweepService } from './age-allowance-sweep.service';
import { AgeAllowanceHandlers } from './age-allowance.handlers';
import { OlderResidentsService } from './older-residents.service';

@Module({ providers: [AgeAllowanceRatesHandlers, OlderResidentsService, AgeAllowanceSweepService, AgeAllowancePayrollService, AgeAllowanceHandlers] })
export class AgeAllowanceModule {}
