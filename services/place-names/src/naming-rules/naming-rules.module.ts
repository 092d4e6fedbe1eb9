import { Module } from '@nestjs/common';
import { NamingRulesHandlers } from './naming-rules.handlers';
import { NamingRulesService } from './naming-rules.service';

@Module({
  providers: [NamingRulesService, NamingRulesHandlers],
  exports: [NamingRulesService],
})
export class NamingRulesModule {}
