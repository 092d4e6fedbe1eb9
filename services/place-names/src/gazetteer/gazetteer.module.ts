import { Module } from '@nestjs/common';
import { DivisionsModule } from '../divisions/divisions.module';
import { GazetteerHandlers } from './gazetteer.handlers';
import { GazetteerService } from './gazetteer.service';
import { SearchService } from './search.service';

@Module({
  imports: [DivisionsModule],
  providers: [GazetteerService, SearchService, GazetteerHandlers],
  exports: [GazetteerService, SearchService],
})
export class GazetteerModule {}
