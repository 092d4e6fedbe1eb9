import { z } from 'zod';
import { storableIsoDateTime } from './iso-date-time';
import { divisionCodeSchema, uuidSchema } from '../validation';
import { PLACE_NAME_CATEGORIES } from './place-names';
import { addExamples } from '../request-examples';

/**
 * Import and export of gazetteer records as CSV or GeoJSON.
 *
 * CSV: a header row, then one place per row, columns named as below (any order; name, category
 * and divisionCode are required, the others may be left out or empty). RFC 4180 quoting: a field
 * holding a comma, a quote or a line break is quoted, its quotes doubled. A UTF-8 BOM is ignored.
 *
 * `aliases` (CSV): the place's other names, separated by `|`, each `status:name`, optionally with
 * its dates `@from~to` (either may be empty):
 * `former:东方威尼斯小区@~2019-05-01|colloquial:威尼斯|abbreviation:东华`.
 * Status is `former`, `colloquial` or `abbreviation`; a name cannot contain `|` or `@`.
 *
 * GeoJSON: a FeatureCollection of features with a Point geometry (`[longitude, latitude]`) or
 * `geometry: null` for a place without coordinates; `properties` carry the other columns, and
 * `aliases` either as the CSV text above or as an array of `{ name, status, validFrom?, validTo? }`.
 *
 * `pinyin`: leave it empty to have it generated; an export always writes it, and a value equal
 * to the generated one is not taken as an officer's edit on import, so exports re-import cleanly.
 *
 * Limits: {@link PLACE_NAME_IMPORT_MAX_CHARACTERS} characters and
 * {@link PLACE_NAME_IMPORT_MAX_ROWS} places per file. Through the gateway the request body is
 * further limited to {@link PLACE_NAME_IMPORT_HTTP_MAX_BYTES} bytes (a NATS message carries at most
 * 1 MiB); bigger files go through the operator command (`node dist/cli.js import <file>`).
 */
export const PLACE_NAME_TRANSFER_COLUMNS = [
  'name',
  'category',
  'type',
  'divisionCode',
  'pinyin',
  'locationDescription',
  'longitude',
  'latitude',
  'approvingAuthority',
  'approvalDate',
  'origin',
  'aliases',
] as const;
export type PlaceNameTransferColumn = (typeof PLACE_NAME_TRANSFER_COLUMNS)[number];
export const PLACE_NAME_TRANSFER_REQUIRED_COLUMNS: readonly PlaceNameTransferColumn[] = ['name', 'category', 'divisionCode'];

export const PLACE_NAME_IMPORT_MAX_ROWS = 20_000;
export const PLACE_NAME_IMPORT_MAX_CHARACTERS = 5 * 1024 * 1024;
/** The import route's body limit at the gateway: under NATS's 1 MiB message size, with room for headers. */
export const PLACE_NAME_IMPORT_HTTP_MAX_BYTES = 1_000_000;
/** A rejected file's report lists at most this many errors (and counts the rest). */
export const PLACE_NAME_IMPORT_MAX_REPORTED_ERRORS = 1000;

export const PLACE_NAME_TRANSFER_FORMATS = ['csv', 'geojson'] as const;
export type PlaceNameTransferFormat = (typeof PLACE_NAME_TRANSFER_FORMATS)[number];

/** All or nothing: every row is validated first; one bad row and nothing is written. */
export const importPlaceNamesSchema = z
  .object({
    format: z.enum(PLACE_NAME_TRANSFER_FORMATS),
    content: z.string().min(1).max(PLACE_NAME_IMPORT_MAX_CHARACTERS),
    /** Validate only, write nothing. */
    dryRun: z.boolean().optional(),
  })
  .strict();
addExamples(importPlaceNamesSchema, [
  {
    summary: 'Check a CSV file without writing anything (dry run)',
    value: {
      format: 'csv',
      content:
        'name,category,type,divisionCode,pinyin,longitude,latitude,approvingAuthority,approvalDate,aliases\n' +
        '东方华庭,residential-area-or-building,小区,430503001001,,111.4675,27.2391,邵阳市大祥区人民政府,2019-05-01,former:东方威尼斯小区@~2019-05-01\n' +
        '文庭雅苑,residential-area-or-building,小区,430503002001,,,,邵阳市大祥区人民政府,2020-09-15,former:大顺米兰豪苑@~2020-09-15\n',
      dryRun: true,
    },
  },
  {
    summary: 'Import a GeoJSON FeatureCollection',
    value: {
      format: 'geojson',
      content: JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [111.4892, 27.2216] },
            properties: { name: '雨溪桥', category: 'infrastructure', type: '桥', divisionCode: '430503010000', approvingAuthority: '邵阳市大祥区人民政府', approvalDate: '2012-08-20' },
          },
        ],
      }),
    },
  },
]);
export type ImportPlaceNamesRequest = z.input<typeof importPlaceNamesSchema>;

/** Query strings arrive as text; "true"/"false" only. */
const queryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');

/**
 * Export filters (public, like the search). The gateway streams the file page by page: the first
 * page fixes the moment the export reads up to (`exportId`), later pages pass it with `after`.
 */
export const exportPlaceNamesSchema = z
  .object({
    category: z.enum(PLACE_NAME_CATEGORIES).optional(),
    /** Places in this division or below it. */
    divisionCode: divisionCodeSchema.optional(),
    includeAbolished: queryBoolean.optional(),
    exportId: storableIsoDateTime().optional(),
    after: uuidSchema.optional(),
  })
  .strict()
  .refine((r) => r.after === undefined || r.exportId !== undefined, { message: 'a page after the first names its export', path: ['exportId'] });
export type ExportPlaceNamesRequest = z.input<typeof exportPlaceNamesSchema>;

/** One problem of an import: `row` counts data rows (CSV) or features (GeoJSON) from 1; 0 is the file itself. */
export interface PlaceNameImportError {
  row: number;
  field: string;
  rule: string;
  message: string;
}

export interface PlaceNameImportRejected {
  accepted: false;
  dryRun: boolean;
  /** Data rows (features) in the file. */
  rows: number;
  errors: PlaceNameImportError[];
  /** Errors beyond {@link PLACE_NAME_IMPORT_MAX_REPORTED_ERRORS}, not listed. */
  errorsOmitted: number;
}

export interface PlaceNameImportAccepted {
  accepted: true;
  dryRun: boolean;
  rows: number;
  /** Places written: all rows, or 0 on a dry run. */
  imported: number;
  /** The new records' ids in row order (empty on a dry run). */
  ids: string[];
}

export type PlaceNameImportReport = PlaceNameImportAccepted | PlaceNameImportRejected;

/** One page of an export download (see the gateway's download routes). */
export interface PlaceNameExportPage {
  exportId: string;
  text: string;
  next: string | null;
}
