import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module';
import { SnapshotModule } from '../sign-off/snapshot.module';
import { BudgetHandlers } from './budget.handlers';
import { BudgetRepository } from './budget.repository';
import { BudgetService } from './budget.service';

@Module({
  imports: [ProjectionsModule, SnapshotModule],
  providers: [BudgetRepository, BudgetService, BudgetHandlers],
  exports: [BudgetService],
})
export class BudgetModule {}
