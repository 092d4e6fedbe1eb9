import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DataElementsService } from './data-elements.service';
import { ProjectionService } from './projection.service';
import { RebuildService } from './rebuild.service';

@Module({
  providers: [
    { provide: ProjectionService, useFactory: () => new ProjectionService() },
    { provide: DataElementsService, useFactory: (dataSource: DataSource) => new DataElementsService(dataSource), inject: [getDataSourceToken()] },
    RebuildService,
  ],
  exports: [ProjectionService, DataElementsService, RebuildService],
})
export class ProjectionsModule {}
