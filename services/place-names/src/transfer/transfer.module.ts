import { Module } from '@nestjs/common';
import { DivisionsModule } from '../divisions/divisions.module';
import { GazetteerModule } from '../gazetteer/gazetteer.module';
import { PlaceNameExportService } from './export.service';
import { PlaceNameImportService } from './import.service';
import { TransferHandlers } from './transfer.handlers';

/** Import and export of the gazetteer as CSV or GeoJSON. */
@Module({
  imports: [GazetteerModule, DivisionsModule],
  providers: [PlaceNameImportService, PlaceNameExportService, TransferHandlers],
  exports: [PlaceNameImportService, PlaceNameExportService],
})
export class TransferModule {}
