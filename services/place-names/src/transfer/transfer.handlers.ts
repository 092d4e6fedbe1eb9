import { Injectable } from '@nestjs/common';
import {
  Patterns,
  exportPlaceNamesSchema,
  importPlaceNamesSchema,
  type PlaceNameExportPage,
  type PlaceNameImportReport,
} from '@civil/contracts';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { PlaceNameExportService } from './export.service';
import { PlaceNameImportService } from './import.service';

/**
 * Import (place-names officers, within their divisions) and export (public: the gazetteer is
 * public information, the same records the search and `GET /place-names/:id` show).
 */
@Injectable()
export class TransferHandlers {
  constructor(
    private readonly importer: PlaceNameImportService,
    private readonly exporter: PlaceNameExportService,
  ) {}

  @RpcHandler(Patterns.placeNameTransfer.importNames, { schema: importPlaceNamesSchema })
  async importNames(input: z.output<typeof importPlaceNamesSchema>, ctx: RpcContext): Promise<PlaceNameImportReport> {
    return this.importer.import(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.placeNameTransfer.exportCsv, { schema: exportPlaceNamesSchema, public: true })
  async exportCsv(input: z.output<typeof exportPlaceNamesSchema>): Promise<PlaceNameExportPage> {
    return this.exporter.page('csv', input);
  }

  @RpcHandler(Patterns.placeNameTransfer.exportGeoJson, { schema: exportPlaceNamesSchema, public: true })
  async exportGeoJson(input: z.output<typeof exportPlaceNamesSchema>): Promise<PlaceNameExportPage> {
    return this.exporter.page('geojson', input);
  }
}
