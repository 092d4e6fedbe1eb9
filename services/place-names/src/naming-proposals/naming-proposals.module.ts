import { Module } from '@nestjs/common';
import { GazetteerModule } from '../gazetteer/gazetteer.module';
import { NamingRulesModule } from '../naming-rules/naming-rules.module';
import { NamingProposalsHandlers } from './naming-proposals.handlers';
import { NamingProposalsService } from './naming-proposals.service';

@Module({
  imports: [GazetteerModule, NamingRulesModule],
  providers: [NamingProposalsService, NamingProposalsHandlers],
})
export class NamingProposalsModule {}
