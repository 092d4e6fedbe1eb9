import { Money } from '@civil/domain-kernel';

/** Columns of the bank file, in order. Amounts are yuan with two decimals. */
export const BANK_FILE_COLUMNS = [
  'period',
  'programme',
  'beneficiary_id',
  'payee_name',
  'payee_resident_id',
  'division_code',
  'township_code',
  'urban_rural',
  'persons',
  'amount_yuan',
] as const;

export interface BankFileRow {
  period: string;
  programme: string;
  beneficiaryId: string;
  payeeName: string;
  payeeResidentId: string;
  divisionCode: string;
  townshipCode: string;
  urbanRural: string;
  persons: number;
  /** Fen as node-postgres returns a bigint: a string. */
  amountFen: string | number;
}

/** RFC 4180: quote a field holding a comma, quote, CR or LF, doubling its quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export function bankFileHeader(): string {
  return csvRecord(BANK_FILE_COLUMNS);
}

export function bankFileRecord(row: BankFileRow): string {
  return csvRecord([
    row.period,
    row.programme,
    row.beneficiaryId,
    row.payeeName,
    row.payeeResidentId,
    row.divisionCode,
    row.townshipCode,
    row.urbanRural,
    String(row.persons),
    Money.fen(row.amountFen).toYuan(),
  ]);
}
