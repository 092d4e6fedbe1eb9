import { Module } from '@nestjs/common';
import { PayrollHandlers } from './payroll.handlers';
import { PayrollService } from './payroll.service';

@Module({ providers: [PayrollService, PayrollHandlers], exports: [PayrollService] })
export class PayrollModule {}
