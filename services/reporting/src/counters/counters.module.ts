import { Module } from '@nestjs/common';
import { CountersHandlers } from './counters.handlers';
import { CountersProjection } from './counters.projection';

@Module({
  providers: [CountersProjection, CountersHandlers],
  exports: [CountersProjection],
})
export class CountersModule {}
