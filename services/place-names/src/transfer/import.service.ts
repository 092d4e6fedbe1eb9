import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  DomainError,
  PLACE_NAME_CATEGORIES,
  PLACE_NAME_IMPORT_MAX_REPORTED_ERRORS,
  PLACE_NAME_IMPORT_MAX_ROWS,
  createPlaceNameSchema,
  fieldErrorsOf,
  type Actor,
  type NewPlaceName,
  type PlaceNameImportError,
  type PlaceNameImportReport,
  type importPlaceNamesSchema,
} from '@civil/contracts';
import { Outbox } from '@civil/platform';
import type { z } from 'zod';
import { todayInShanghai } from '@civil/domain-kernel';
import { DivisionsService } from '../divisions/divisions.service';
import { GazetteerService } from '../gazetteer/gazetteer.service';
import { romanize } from '../gazetteer/romanization';
import { readCsv, readGeoJson, type SourceFile } from './transfer-formats';

export type ImportPlaceNames = z.output<typeof importPlaceNamesSchema>;

/** What the generated romanization must look like to be usable (as the request schema's pinyin rule). */
const ROMANIZATION = /^[A-Za-zÀ-ɏ' \-·]+$/u;

interface ValidRow {
  row: number;
  input: NewPlaceName;
}

/**
 * Imports a CSV or GeoJSON file into the gazetteer, all or nothing: every row is validated first
 * (the create request's schema, the actor's divisions, duplicates within the file and against the
 * gazetteer, the romanization), and only a file without a single error is written — in one
 * transaction, each place through {@link GazetteerService.recordWithin} with its own `named` event.
 * A duplicate that appears between validation and writing (another writer) rolls the whole file
 * back and is reported against its row.
 */
@Injectable()
export class PlaceNameImportService {
  constructor(
    private readonly gazetteer: GazetteerService,
    private readonly divisions: DivisionsService,
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async import(request: ImportPlaceNames, actor: Actor): Promise<PlaceNameImportReport> {
    const dryRun = request.dryRun ?? false;
    const file = request.format === 'csv' ? readCsv(request.content) : readGeoJson(request.content);
    const rows = file.rows.length;
    if (file.errors.length > 0) return rejected(dryRun, rows, file.errors);
    if (rows === 0) return rejected(dryRun, 0, [{ row: 0, field: '(file)', rule: 'empty', message: 'the file holds no places' }]);
    if (rows > PLACE_NAME_IMPORT_MAX_ROWS) {
      return rejected(dryRun, rows, [{ row: 0, field: '(file)', rule: 'max-rows', message: `at most ${PLACE_NAME_IMPORT_MAX_ROWS} places per file, this one has ${rows}` }]);
    }
    const { valid, errors } = this.validateRows(file, actor);
    errors.push(...(await this.divisionsNotInForce(valid)), ...duplicatesWithinFile(valid), ...(await this.duplicatesInGazetteer(valid)));
    if (errors.length > 0) return rejected(dryRun, rows, errors);
    if (dryRun) return { accepted: true, dryRun, rows, imported: 0, ids: [] };

    let current: ValidRow | undefined;
    try {
      const ids = await this.outbox.transaction(async (tx) => {
        const written: string[] = [];
        for (const row of valid) {
          current = row;
          written.push(await this.gazetteer.recordWithin(tx, row.input, actor));
        }
        return written;
      });
      return { accepted: true, dryRun, rows, imported: ids.length, ids };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'DUPLICATE_NAME' && current !== undefined) {
        return rejected(dryRun, rows, [{ row: current.row, field: 'name', rule: 'duplicate-in-gazetteer', message: `${error.message}; nothing was imported` }]);
      }
      throw error;
    }
  }

  /** Rows that pass the request schema (`valid`, possibly with other errors) and every error found. */
  private validateRows(file: SourceFile, actor: Actor): { valid: ValidRow[]; errors: PlaceNameImportError[] } {
    const valid: ValidRow[] = [];
    const errors: PlaceNameImportError[] = [];
    for (const source of file.rows) {
      const rowErrors = [...source.errors];
      const parsed = createPlaceNameSchema.safeParse(source.fields);
      if (!parsed.success) {
        for (const issue of fieldErrorsOf(parsed.error)) {
          // Reading a cell already reported what was wrong with it.
          if (rowErrors.some((e) => e.field === issue.field || issue.field.startsWith(`${e.field}[`) || issue.field.startsWith(`${e.field}.`))) continue;
          rowErrors.push(issue.field === 'category' ? unknownCategory(source.row, source.fields.category) : { row: source.row, ...issue });
        }
      } else {
        const input = parsed.data;
        const scope = this.scopeError(input.divisionCode, actor);
        if (scope) rowErrors.push({ row: source.row, field: 'divisionCode', rule: 'out-of-scope', message: scope });
        const generated = romanize(input.name);
        if (input.pinyin === undefined && !ROMANIZATION.test(generated)) {
          rowErrors.push({ row: source.row, field: 'pinyin', rule: 'romanization', message: `no romanization can be generated for "${input.name}"; give one in the pinyin column` });
        }
        // An unchanged generated romanization (as every export writes it) is not an officer's edit.
        if (input.pinyin !== undefined && input.pinyin === generated) delete input.pinyin;
        // Rows with other errors still take part in the duplicate checks; nothing is written unless every row is clean.
        valid.push({ row: source.row, input });
      }
      errors.push(...rowErrors);
    }
    return { valid, errors };
  }

  /** The gazetteer's own writer rule; a writer outside the division is a row error, a non-writer is refused outright. */
  private scopeError(divisionCode: string, actor: Actor): string | undefined {
    try {
      GazetteerService.assertWriter(actor, divisionCode);
      return undefined;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'OUT_OF_DIVISION_SCOPE') return error.message;
      throw error;
    }
  }

  private async divisionsNotInForce(rows: readonly ValidRow[]): Promise<PlaceNameImportError[]> {
    const today = todayInShanghai();
    const unknown = await this.divisions.codesNotInForce(rows.map((r) => r.input.divisionCode), today);
    return rows
      .filter((r) => unknown.has(r.input.divisionCode))
      .map((r) => ({ row: r.row, field: 'divisionCode', rule: 'division-in-force', message: `no division has code ${r.input.divisionCode} on ${today}` }));
  }

  private async duplicatesInGazetteer(rows: readonly ValidRow[]): Promise<PlaceNameImportError[]> {
    if (rows.length === 0) return [];
    const existing = await this.dataSource.query<{ id: string; division_code: string; name: string }[]>(
      `SELECT p.id, p.division_code, p.name FROM place_name p
         JOIN unnest($1::text[], $2::text[]) AS f (division_code, name) ON p.division_code = f.division_code AND p.name = f.name
        WHERE p.status = 'in-use'`,
      [rows.map((r) => r.input.divisionCode), rows.map((r) => r.input.name)],
    );
    const byKey = new Map(existing.map((e) => [keyOf(e.division_code, e.name), e.id]));
    return rows.flatMap((r) => {
      const id = byKey.get(keyOf(r.input.divisionCode, r.input.name));
      return id === undefined
        ? []
        : [{ row: r.row, field: 'name', rule: 'duplicate-in-gazetteer', message: `"${r.input.name}" is already in the gazetteer in division ${r.input.divisionCode} (place ${id})` }];
    });
  }
}

function keyOf(divisionCode: string, name: string): string {
  return `${divisionCode} ${name}`;
}

/** Every row that shares its division and name with another row, naming the other rows. */
export function duplicatesWithinFile(rows: readonly ValidRow[]): PlaceNameImportError[] {
  const byKey = new Map<string, number[]>();
  for (const r of rows) {
    const key = keyOf(r.input.divisionCode, r.input.name);
    byKey.set(key, [...(byKey.get(key) ?? []), r.row]);
  }
  return rows.flatMap((r) => {
    const others = (byKey.get(keyOf(r.input.divisionCode, r.input.name)) ?? []).filter((n) => n !== r.row);
    return others.length === 0
      ? []
      : [{ row: r.row, field: 'name', rule: 'duplicate-in-file', message: `"${r.input.name}" in division ${r.input.divisionCode} is also on row ${others.join(', ')}` }];
  });
}

function unknownCategory(row: number, value: unknown): PlaceNameImportError {
  if (value === undefined) return { row, field: 'category', rule: 'required', message: `a category is required: one of ${PLACE_NAME_CATEGORIES.join(', ')}` };
  return { row, field: 'category', rule: 'unknown-category', message: `${JSON.stringify(value)} is not a category; the categories are ${PLACE_NAME_CATEGORIES.join(', ')}` };
}

function rejected(dryRun: boolean, rows: number, errors: PlaceNameImportError[]): PlaceNameImportReport {
  const sorted = [...errors].sort((a, b) => a.row - b.row);
  return {
    accepted: false,
    dryRun,
    rows,
    errors: sorted.slice(0, PLACE_NAME_IMPORT_MAX_REPORTED_ERRORS),
    errorsOmitted: Math.max(0, sorted.length - PLACE_NAME_IMPORT_MAX_REPORTED_ERRORS),
  };
}
