import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DataSource } from 'typeorm';
import type { PersonalDataCipher } from '@civil/platform';
import { v7 as uuidv7 } from 'uuid';
import { ResidentId, compareDates, isValidLocalDate, todayInShanghai } from '@civil/domain-kernel';
import { CsvSyntaxError, readCsv, type CsvRecord } from './csv';
import { FACT_CATEGORIES, factKindSchema, sourceIdSchema, type FactCategory, type MemberQuery, type SourceFact, type VerificationSource } from './verification-source';

/**
 * Sources that deliver extracts instead of an API (住建 property, 公积金, 市场监管…): their CSV files
 * are imported into `verification_import_fact`, and a TableSource answers lookups from the table.
 *
 * Each import of a source is taken as that source's full extract at the time: a lookup reads the
 * source's latest batch only, so a monthly re-import replaces last month's facts instead of adding
 * to them. A source that was never imported does not answer (it is listed as missing in reports),
 * because "no rows" must not read as "owns nothing".
 */

export const VERIFICATION_CSV_COLUMNS = ['source_id', 'resident_id', 'category', 'kind', 'monthly_amount_fen', 'value_fen', 'description', 'as_of'] as const;
type Column = (typeof VERIFICATION_CSV_COLUMNS)[number];

export interface ImportRow {
  line: number;
  sourceId: string;
  residentId: string;
  category: FactCategory;
  kind: string;
  monthlyAmountFen: number | null;
  valueFen: number | null;
  description: string;
  asOf: string;
}

export interface ImportProblem {
  line: number;
  /** The column at fault; absent for problems of the whole row (wrong field count). */
  column?: Column;
  message: string;
}

/** The file was refused; nothing from it was written. */
export class VerificationImportError extends Error {
  override readonly name = 'VerificationImportError';
  constructor(
    readonly problems: ImportProblem[],
    file?: string,
  ) {
    const shown = problems.slice(0, 20).map((p) => `line ${p.line}${p.column ? ` ${p.column}` : ''}: ${p.message}`);
    const more = problems.length > 20 ? `; … ${problems.length - 20} more` : '';
    super(`${file ? `${file}: ` : ''}verification import refused, nothing was written: ${shown.join('; ')}${more}`);
  }
}

export interface ImportSummary {
  batch: string;
  rows: number;
  /** Rows per source id. */
  sources: Record<string, number>;
}

const MAX_DESCRIPTION = 2000;
const INSERT_CHUNK = 5000;

/** Parses and checks every row of an extract; throws VerificationImportError listing each bad one. */
export function parseVerificationCsv(text: string, today: string = todayInShanghai()): ImportRow[] {
  let records: CsvRecord[];
  try {
    records = readCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new VerificationImportError([{ line: error.line, message: error.message.replace(/^line \d+: /, '') }]);
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw new VerificationImportError([{ line: 1, message: `the file is empty; expected the header ${VERIFICATION_CSV_COLUMNS.join(',')}` }]);
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const index = new Map<Column, number>();
  const headerProblems: ImportProblem[] = [];
  for (const column of VERIFICATION_CSV_COLUMNS) {
    const at = names.indexOf(column);
    if (at < 0 || names.lastIndexOf(column) !== at) headerProblems.push({ line: header.line, column, message: at < 0 ? 'column is missing from the header' : 'column appears twice' });
    index.set(column, at);
  }
  const unknown = names.filter((n) => !(VERIFICATION_CSV_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0) headerProblems.push({ line: header.line, message: `unknown columns: ${unknown.join(', ')}` });
  if (headerProblems.length > 0) throw new VerificationImportError(headerProblems);
  if (data.length === 0) throw new VerificationImportError([{ line: header.line + 1, message: 'the file has no data rows' }]);

  const rows: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  for (const record of data) {
    if (record.fields.length !== header.fields.length) {
      problems.push({ line: record.line, message: `expected ${header.fields.length} fields, found ${record.fields.length}` });
      continue;
    }
    const cell = (column: Column): string => (record.fields[index.get(column) ?? -1] ?? '').trim();
    const bad = (column: Column, message: string): void => void problems.push({ line: record.line, column, message });
    const before = problems.length;

    const sourceId = cell('source_id');
    if (!sourceIdSchema.safeParse(sourceId).success) bad('source_id', 'must be a lower-case slug such as housing or provident-fund');
    const rawResidentId = cell('resident_id');
    let residentId = rawResidentId;
    try {
      residentId = ResidentId.parse(rawResidentId, { today }).value;
    } catch (error) {
      bad('resident_id', error instanceof Error ? error.message : 'is not a valid resident ID');
    }
    const category = cell('category');
    if (!(FACT_CATEGORIES as readonly string[]).includes(category)) bad('category', `must be one of ${FACT_CATEGORIES.join(', ')}`);
    const kind = cell('kind');
    if (!factKindSchema.safeParse(kind).success) bad('kind', 'must be a lower-case slug such as wages or residential-property');
    const monthlyAmountFen = fenCell(cell('monthly_amount_fen'), (m) => bad('monthly_amount_fen', m));
    const valueFen = fenCell(cell('value_fen'), (m) => bad('value_fen', m));
    if (category === 'income' && cell('monthly_amount_fen') === '') bad('monthly_amount_fen', 'an income needs its monthly amount');
    const description = cell('description');
    if (description.length > MAX_DESCRIPTION) bad('description', `is longer than ${MAX_DESCRIPTION} characters`);
    const asOf = cell('as_of');
    if (!isValidLocalDate(asOf)) bad('as_of', 'must be a date YYYY-MM-DD');
    else if (compareDates(asOf, today) > 0) bad('as_of', `is in the future (today is ${today})`);

    if (problems.length === before) {
      rows.push({ line: record.line, sourceId, residentId, category: category as FactCategory, kind, monthlyAmountFen, valueFen, description, asOf });
    }
  }
  if (problems.length > 0) throw new VerificationImportError(problems);
  return rows;
}

/** Exports in GBK would otherwise import as mojibake: refuse them and say why. */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new VerificationImportError([{ line: 1, message: 'the file is not UTF-8 text (convert GBK exports to UTF-8 first)' }]);
  }
}

function fenCell(value: string, bad: (message: string) => void): number | null {
  if (value === '') return null;
  if (!/^\d{1,15}$/.test(value)) {
    bad('must be a whole, non-negative number of fen');
    return null;
  }
  return Number(value);
}

/**
 * Imports one extract file in one transaction: every row is checked first, and a single bad row
 * refuses the whole file (VerificationImportError names each bad line). Rows go in with set-based
 * inserts (unnest), in chunks, all under one batch id.
 */
export async function importVerificationCsv(dataSource: DataSource, cipher: PersonalDataCipher, filePath: string, options: { batch?: string; today?: string } = {}): Promise<ImportSummary> {
  let rows: ImportRow[];
  try {
    rows = parseVerificationCsv(decodeUtf8(await readFile(filePath)), options.today);
  } catch (error) {
    if (error instanceof VerificationImportError) throw new VerificationImportError(error.problems, basename(filePath));
    throw error;
  }
  const batch = options.batch ?? `${basename(filePath)}#${uuidv7()}`;
  await dataSource.transaction(async (manager) => {
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK);
      // Stored as lookup hash (what lookups match on) and ciphertext, never the number.
      await manager.query(
        `INSERT INTO verification_import_fact (source_id, resident_id_hash, resident_id_enc, category, kind, monthly_amount_fen, value_fen, description, as_of, batch)
         SELECT source_id, resident_id_hash, resident_id_enc, category, kind, monthly_amount_fen, value_fen, description, as_of, $1
           FROM unnest($2::text[], $3::text[], $10::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::date[])
             AS r(source_id, resident_id_hash, resident_id_enc, category, kind, monthly_amount_fen, value_fen, description, as_of)`,
        [
          batch,
          chunk.map((r) => r.sourceId),
          chunk.map((r) => cipher.lookupHash(r.residentId)),
          chunk.map((r) => r.category),
          chunk.map((r) => r.kind),
          chunk.map((r) => r.monthlyAmountFen),
          chunk.map((r) => r.valueFen),
          chunk.map((r) => r.description),
          chunk.map((r) => r.asOf),
          chunk.map((r) => cipher.encrypt(r.residentId)),
        ],
      );
    }
  });
  const sources: Record<string, number> = {};
  for (const row of rows) sources[row.sourceId] = (sources[row.sourceId] ?? 0) + 1;
  return { batch, rows: rows.length, sources };
}

interface FactRow {
  batch: string;
  resident_id_hash: string | null;
  category: FactCategory | null;
  kind: string | null;
  monthly_amount_fen: string | null;
  value_fen: string | null;
  description: string | null;
  as_of: string | null;
}

/** A source answered from its latest imported extract. */
export class TableSource implements VerificationSource {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
    readonly id: string,
    readonly name: string,
  ) {}

  async lookup(members: readonly MemberQuery[], signal: AbortSignal): Promise<SourceFact[]> {
    signal.throwIfAborted();
    if (members.length === 0) return [];
    // Matched by lookup hash: the table holds no numbers.
    const memberOf = new Map(members.map((m) => [this.cipher.lookupHash(m.residentId), m.memberId]));
    // One query for all members. The LEFT JOIN keeps one row when the latest extract has nothing
    // on these people, so "imported, nothing found" and "never imported" stay apart.
    const rows = await this.dataSource.query<FactRow[]>(
      `WITH latest AS (
         SELECT batch FROM verification_import_fact WHERE source_id = $1 ORDER BY imported_at DESC, id DESC LIMIT 1
       )
       SELECT l.batch, f.resident_id_hash, f.category, f.kind, f.monthly_amount_fen, f.value_fen, f.description, to_char(f.as_of, 'YYYY-MM-DD') AS as_of
         FROM latest l
         LEFT JOIN verification_import_fact f ON f.source_id = $1 AND f.batch = l.batch AND f.resident_id_hash = ANY($2::text[])
        ORDER BY f.id`,
      [this.id, [...memberOf.keys()]],
    );
    signal.throwIfAborted();
    if (rows.length === 0) throw new Error(`no extract of source ${this.id} has been imported`);
    const facts: SourceFact[] = [];
    for (const row of rows) {
      if (row.resident_id_hash === null || row.category === null || row.kind === null || row.as_of === null) continue;
      const memberId = memberOf.get(row.resident_id_hash);
      if (memberId === undefined) continue;
      facts.push({
        memberId,
        category: row.category,
        kind: row.kind,
        ...(row.monthly_amount_fen === null ? {} : { monthlyAmountFen: Number(row.monthly_amount_fen) }),
        ...(row.value_fen === null ? {} : { valueFen: Number(row.value_fen) }),
        description: row.description ?? '',
        asOf: row.as_of,
      });
    }
    return facts;
  }
}
