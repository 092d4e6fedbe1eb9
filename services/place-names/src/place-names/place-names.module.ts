import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlaceName } from './place-name.entity';
import { PlaceNamesHandlers } from './place-names.handlers';
import { PlaceNamesService } from './place-names.service';

@Module({
  imports: [TypeOrmModule.forFeature([PlaceName])],
  providers: [PlaceNamesService, PlaceNamesHandlers],
  exports: [PlaceNamesService],
})
export class PlaceNamesModule {}
