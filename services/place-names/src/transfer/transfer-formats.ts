import { parse as parseCsv } from 'csv-parse/sync';
import {
  ALIAS_STATUSES,
  PLACE_NAME_TRANSFER_COLUMNS,
  PLACE_NAME_TRANSFER_REQUIRED_COLUMNS,
  type AliasStatus,
  type PlaceNameCategory,
  type PlaceNameImportError,
  type PlaceNameTransferColumn,
} from '@civil/contracts';

/**
 * The file formats of import and export (see `libs/contracts/src/messages/place-name-transfer.ts`
 * for the layout): reading a CSV or GeoJSON file into one raw record per place, for the request
 * schema to validate, and writing records back in the same layout. Pure functions, no I/O.
 */

/** One place as read from a file, before validation. */
export interface SourceRow {
  /** Data row (CSV) or feature (GeoJSON), counting from 1. */
  row: number;
  /** The fields as `createPlaceNameSchema` takes them; absent when the cell is empty. */
  fields: Record<string, unknown>;
  /** Problems found while reading the row (not a number, alias syntax, extra cells). */
  errors: PlaceNameImportError[];
}

export interface SourceFile {
  rows: SourceRow[];
  /** Problems of the file itself (row 0): syntax, header, not a FeatureCollection. */
  errors: PlaceNameImportError[];
}

/** A place as exported: the record and its names other than the current standard one. */
export interface ExportRecord {
  id: string;
  name: string;
  category: PlaceNameCategory;
  type: string | null;
  divisionCode: string;
  pinyin: string;
  locationDescription: string | null;
  longitude: number | null;
  latitude: number | null;
  approvingAuthority: string | null;
  approvalDate: string | null;
  origin: string | null;
  aliases: ExportAlias[];
}

export interface ExportAlias {
  name: string;
  status: AliasStatus;
  validFrom: string | null;
  validTo: string | null;
}

const COLUMN_SET: ReadonlySet<string> = new Set(PLACE_NAME_TRANSFER_COLUMNS);
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;
const ALIAS = /^(?<status>[A-Za-z]+)\s*[:：]\s*(?<name>[^@]+?)\s*(?:@\s*(?<from>[^~]*?)\s*~\s*(?<to>.*?)\s*)?$/u;

function fileError(field: string, rule: string, message: string): PlaceNameImportError {
  return { row: 0, field, rule, message };
}

/** `former:旧名@~2019-05-01|colloquial:俗名` → alias objects; syntax problems as row errors. */
export function parseAliases(text: string, row: number): { aliases: unknown[]; errors: PlaceNameImportError[] } {
  const aliases: unknown[] = [];
  const errors: PlaceNameImportError[] = [];
  text
    .split('|')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .forEach((part, index) => {
      const match = ALIAS.exec(part);
      const status = match?.groups?.status?.toLowerCase();
      if (!match?.groups || status === undefined || !(ALIAS_STATUSES as readonly string[]).includes(status)) {
        errors.push({
          row,
          field: `aliases[${index}]`,
          rule: 'alias-syntax',
          message: `"${part}" is not status:name[@from~to] with status one of ${ALIAS_STATUSES.join(', ')}`,
        });
        return;
      }
      const { name, from, to } = match.groups;
      aliases.push({
        name,
        status: status as AliasStatus,
        ...(from !== undefined && from !== '' ? { validFrom: from } : {}),
        ...(to !== undefined && to !== '' ? { validTo: to } : {}),
      });
    });
  return { aliases, errors };
}

export function formatAliases(aliases: readonly ExportAlias[]): string {
  return aliases
    .map((a) => `${a.status}:${a.name}${a.validFrom !== null || a.validTo !== null ? `@${a.validFrom ?? ''}~${a.validTo ?? ''}` : ''}`)
    .join('|');
}

/** A cell or property as the schema takes it: empty text and null mean "not given". */
function setField(fields: Record<string, unknown>, errors: PlaceNameImportError[], row: number, column: PlaceNameTransferColumn, value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return;
    if (column === 'longitude' || column === 'latitude') {
      if (NUMBER.test(text)) fields[column] = Number(text);
      else errors.push({ row, field: column, rule: 'number', message: `"${text}" is not a number` });
      return;
    }
    if (column === 'aliases') {
      const parsed = parseAliases(text, row);
      errors.push(...parsed.errors);
      if (parsed.aliases.length > 0) fields.aliases = parsed.aliases;
      return;
    }
    fields[column] = text;
    return;
  }
  fields[column] = value;
}

/** A CSV file with a header row naming the columns; all-blank rows are skipped (but counted). */
export function readCsv(content: string): SourceFile {
  let records: string[][];
  try {
    records = parseCsv(content, { bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (error) {
    return { rows: [], errors: [fileError('(file)', 'csv-syntax', error instanceof Error ? error.message : String(error))] };
  }
  const [header, ...data] = records;
  if (!header) return { rows: [], errors: [fileError('(file)', 'empty', 'the file has no header row')] };
  const columns = header.map((cell) => cell.trim());
  const errors: PlaceNameImportError[] = [];
  columns.forEach((column, index) => {
    if (!COLUMN_SET.has(column)) errors.push(fileError(column === '' ? `(column ${index + 1})` : column, 'unknown-column', `unknown column; the columns are ${PLACE_NAME_TRANSFER_COLUMNS.join(', ')}`));
    else if (columns.indexOf(column) !== index) errors.push(fileError(column, 'duplicate-column', `column ${column} appears twice`));
  });
  for (const required of PLACE_NAME_TRANSFER_REQUIRED_COLUMNS) {
    if (!columns.includes(required)) errors.push(fileError(required, 'missing-column', `the header has no ${required} column`));
  }
  if (errors.length > 0) return { rows: [], errors };
  const rows: SourceRow[] = [];
  data.forEach((cells, index) => {
    const row = index + 1;
    if (cells.every((cell) => cell.trim() === '')) return;
    const fields: Record<string, unknown> = {};
    const rowErrors: PlaceNameImportError[] = [];
    if (cells.slice(columns.length).some((cell) => cell.trim() !== '')) {
      rowErrors.push({ row, field: '(row)', rule: 'column-count', message: `the row has ${cells.length} cells, the header ${columns.length}` });
    }
    columns.forEach((column, i) => setField(fields, rowErrors, row, column as PlaceNameTransferColumn, cells[i]));
    rows.push({ row, fields, errors: rowErrors });
  });
  return { rows, errors: [] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A GeoJSON FeatureCollection; feature n (from 1) is row n. */
export function readGeoJson(content: string): SourceFile {
  let document: unknown;
  try {
    document = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { rows: [], errors: [fileError('(file)', 'json', error instanceof Error ? error.message : String(error))] };
  }
  if (!isObject(document) || document.type !== 'FeatureCollection' || !Array.isArray(document.features)) {
    return { rows: [], errors: [fileError('type', 'feature-collection', 'the file must be a GeoJSON FeatureCollection with a features array')] };
  }
  const rows = (document.features as unknown[]).map((feature, index): SourceRow => {
    const row = index + 1;
    const fields: Record<string, unknown> = {};
    const errors: PlaceNameImportError[] = [];
    if (!isObject(feature) || feature.type !== 'Feature') {
      return { row, fields, errors: [{ row, field: 'type', rule: 'feature', message: 'each element of features must be a GeoJSON Feature' }] };
    }
    if (!isObject(feature.properties)) {
      return { row, fields, errors: [{ row, field: 'properties', rule: 'object', message: 'a feature carries the place in its properties' }] };
    }
    for (const [key, value] of Object.entries(feature.properties)) {
      if (key === 'aliases' && Array.isArray(value)) fields.aliases = value;
      else if (COLUMN_SET.has(key)) setField(fields, errors, row, key as PlaceNameTransferColumn, value);
      // Unknown properties go to the schema as they are, which names them.
      else if (value !== null && value !== undefined) fields[key] = value;
    }
    const geometry = feature.geometry;
    if (geometry !== null && geometry !== undefined) {
      const coordinates = isObject(geometry) ? geometry.coordinates : undefined;
      if (!isObject(geometry) || geometry.type !== 'Point' || !Array.isArray(coordinates) || coordinates.length < 2) {
        errors.push({ row, field: 'geometry', rule: 'point', message: 'the geometry must be a Point [longitude, latitude] or null' });
      } else {
        fields.longitude = coordinates[0];
        fields.latitude = coordinates[1];
      }
    }
    return { row, fields, errors };
  });
  return { rows, errors: [] };
}

/** RFC 4180: quote a field holding a comma, quote, CR or LF, doubling its quotes. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export function csvHeader(): string {
  return csvLine(PLACE_NAME_TRANSFER_COLUMNS);
}

function columnValue(record: ExportRecord, column: PlaceNameTransferColumn): string {
  if (column === 'aliases') return formatAliases(record.aliases);
  const value = record[column];
  return value === null ? '' : String(value);
}

export function csvRecord(record: ExportRecord): string {
  return csvLine(PLACE_NAME_TRANSFER_COLUMNS.map((column) => columnValue(record, column)));
}

export const GEOJSON_OPEN = '{"type":"FeatureCollection","features":[\n';
export const GEOJSON_CLOSE = '\n]}\n';

/** One feature (the record's id as the feature id), without separators. */
export function geoJsonFeature(record: ExportRecord): string {
  const properties: Record<string, unknown> = {};
  for (const column of PLACE_NAME_TRANSFER_COLUMNS) {
    if (column === 'longitude' || column === 'latitude') continue;
    if (column === 'aliases') {
      properties.aliases = record.aliases.map((a) => ({ name: a.name, status: a.status, ...(a.validFrom !== null ? { validFrom: a.validFrom } : {}), ...(a.validTo !== null ? { validTo: a.validTo } : {}) }));
      continue;
    }
    properties[column] = record[column];
  }
  const geometry = record.longitude !== null && record.latitude !== null ? { type: 'Point', coordinates: [record.longitude, record.latitude] } : null;
  return JSON.stringify({ type: 'Feature', id: record.id, geometry, properties });
}
