import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AliasStatus, PlaceNameCategory, PlaceNameExportPage, PlaceNameTransferFormat, exportPlaceNamesSchema } from '@civil/contracts';
import type { z } from 'zod';
import { divisionScopePattern } from '../gazetteer/search.service';
import { GEOJSON_CLOSE, GEOJSON_OPEN, csvHeader, csvRecord, geoJsonFeature, type ExportRecord } from './transfer-formats';

export type ExportPlaceNames = z.output<typeof exportPlaceNamesSchema>;

/** Records read per page. */
export const EXPORT_PAGE_ROWS = 500;
/** A page stops growing past this many characters, so a reply stays well under NATS's 1 MiB message size. */
export const EXPORT_PAGE_CHARACTERS = 256 * 1024;

interface ExportRow {
  id: string;
  name: string;
  category: PlaceNameCategory;
  type: string | null;
  division_code: string;
  pinyin: string;
  location_description: string | null;
  longitude: string | null;
  latitude: string | null;
  approving_authority: string | null;
  approval_date: string | null;
  origin: string | null;
  aliases: { name: string; status: AliasStatus; validFrom: string | null; validTo: string | null }[];
}

/**
 * The gazetteer as a file, one page per request (the gateway streams the pages as one download).
 * Records come in id order after `after`; the first page fixes `exportId`, the moment the export
 * reads up to, so places recorded while a long download runs do not appear half-way through it.
 * The columns are the import's, so an export re-imports into an empty gazetteer as it was
 * (abolished places, exported with `includeAbolished`, would come back in use).
 */
@Injectable()
export class PlaceNameExportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async page(format: PlaceNameTransferFormat, request: ExportPlaceNames, limits = { rows: EXPORT_PAGE_ROWS, characters: EXPORT_PAGE_CHARACTERS }): Promise<PlaceNameExportPage> {
    const exportId = request.exportId ?? (await this.now());
    const first = request.after === undefined;
    const rows = await this.read(request, exportId, limits.rows);
    const formatRecord = format === 'csv' ? csvRecord : geoJsonFeature;
    const parts: string[] = [];
    let characters = 0;
    let last: string | undefined;
    for (const row of rows) {
      const text = formatRecord(toRecord(row));
      parts.push(text);
      characters += text.length;
      last = row.id;
      if (characters >= limits.characters) break;
    }
    const more = last !== undefined && (parts.length < rows.length || rows.length === limits.rows);
    const next = more ? (last ?? null) : null;
    if (format === 'csv') return { exportId, text: (first ? csvHeader() : '') + parts.join(''), next };
    // A page after the first continues the features array: the previous page ended with a feature.
    const features = parts.join(',\n');
    const text = (first ? GEOJSON_OPEN : features === '' ? '' : ',\n') + features + (next === null ? GEOJSON_CLOSE : '');
    return { exportId, text, next };
  }

  private async now(): Promise<string> {
    const [row] = await this.dataSource.query<{ now: Date }[]>(`SELECT clock_timestamp() AS now`);
    return (row?.now ?? new Date()).toISOString();
  }

  private async read(request: ExportPlaceNames, exportId: string, limit: number): Promise<ExportRow[]> {
    return this.dataSource.query<ExportRow[]>(
      `SELECT p.id, p.name, p.category, p.type, p.division_code, p.pinyin, p.location_description, p.longitude::text, p.latitude::text,
              p.approving_authority, to_char(p.approval_date, 'YYYY-MM-DD') AS approval_date, p.origin,
              coalesce((SELECT json_agg(json_build_object('name', v.name, 'status', v.status,
                                          'validFrom', to_char(v.valid_from, 'YYYY-MM-DD'), 'validTo', to_char(v.valid_to, 'YYYY-MM-DD')) ORDER BY v.id)
                          FROM place_name_version v WHERE v.place_name_id = p.id AND v.status <> 'standard'), '[]'::json) AS aliases
         FROM place_name p
        WHERE p.created_at <= $1::timestamptz AND ($2::uuid IS NULL OR p.id > $2::uuid)
          AND ($3::text IS NULL OR p.category = $3) AND ($4::text IS NULL OR p.division_code LIKE $4) AND ($5 OR p.status = 'in-use')
        ORDER BY p.id LIMIT $6`,
      [exportId, request.after ?? null, request.category ?? null, request.divisionCode === undefined ? null : divisionScopePattern(request.divisionCode), request.includeAbolished ?? false, limit],
    );
  }
}

function toRecord(row: ExportRow): ExportRecord {
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    type: row.type,
    divisionCode: row.division_code,
    pinyin: row.pinyin,
    locationDescription: row.location_description,
    longitude: row.longitude === null ? null : Number(row.longitude),
    latitude: row.latitude === null ? null : Number(row.latitude),
    approvingAuthority: row.approving_authority,
    approvalDate: row.approval_date,
    origin: row.origin,
    aliases: row.aliases,
  };
}
