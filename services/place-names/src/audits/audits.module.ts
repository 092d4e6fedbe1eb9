import { Module } from '@nestjs/common';
import { GazetteerModule } from '../gazetteer/gazetteer.module';
import { AuditsHandlers } from './audits.handlers';
import { AuditsService } from './audits.service';

@Module({
  imports: [GazetteerModule],
  providers: [AuditsService, AuditsHandlers],
  exports: [AuditsService],
})
export class AuditsModule {}
