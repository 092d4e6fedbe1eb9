import { buildResidentId } from '@civil/domain-kernel';
import { ConfigError } from '@civil/platform';
import { parseVerificationCsv, VerificationImportError } from './table-source.adapter';
import { loadVerificationConfig } from './verification.config';

/** Checking an extract before anything is written; the configuration of sources. */

const a = buildResidentId('430503', '1968-03-14', 11).value;
const b = buildResidentId('430503', '1971-09-02', 22).value;
const badChecksum = `${a.slice(0, 17)}${a.endsWith('0') ? '1' : '0'}`;
const HEADER = 'source_id,resident_id,category,kind,monthly_amount_fen,value_fen,description,as_of';
const TODAY = '2024-01-15';

function problemsOf(text: string): { line: number; column?: string; message: string }[] {
  try {
    parseVerificationCsv(text, TODAY);
  } catch (error) {
    if (error instanceof VerificationImportError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('parseVerificationCsv', () => {
  it('reads quoted fields, a byte-order mark and CRLF line ends', () => {
    const text = `\ufeff${HEADER}\r\nhousing,${a},asset,residential-property,,35000000,"住宅, 86㎡ ""自住""",2023-06-30\r\ntax,${b.toLowerCase()},income,wages,180000,,"工资
（两处）",2023-11-30\r\n`;
    expect(parseVerificationCsv(text, TODAY)).toEqual([
      { line: 2, sourceId: 'housing', residentId: a, category: 'asset', kind: 'residential-property', monthlyAmountFen: null, valueFen: 35000000, description: '住宅, 86㎡ "自住"', asOf: '2023-06-30' },
      { line: 3, sourceId: 'tax', residentId: b, category: 'income', kind: 'wages', monthlyAmountFen: 180000, valueFen: null, description: '工资\n（两处）', asOf: '2023-11-30' },
    ]);
  });

  it('accepts the columns in any order', () => {
    const rows = parseVerificationCsv(`as_of,source_id,resident_id,category,kind,monthly_amount_fen,value_fen,description\n2023-01-01,fund,${a},income,provident-fund,50000,,`, TODAY);
    expect(rows[0]).toMatchObject({ sourceId: 'fund', kind: 'provident-fund', monthlyAmountFen: 50000, description: '' });
  });

  it('names every bad row by its line number and column', () => {
    const text = [
      HEADER,
      `housing,${a},asset,vehicle,,8000000,车辆,2023-06-30`,
      `"multi",${a},asset,vehicle,,1,"two`,
      `lines",2023-06-30`,
      `tax,${badChecksum},income,wages,,,工资,2023-11-30`,
      `Tax!,${b},cash,wages,-1,1.5,,2024-02-01`,
      `tax,${b},income`,
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      { line: 5, column: 'resident_id', message: expect.stringMatching(/checksum|check character/) },
      { line: 5, column: 'monthly_amount_fen', message: 'an income needs its monthly amount' },
      { line: 6, column: 'source_id', message: expect.any(String) },
      { line: 6, column: 'category', message: 'must be one of income, asset' },
      { line: 6, column: 'monthly_amount_fen', message: 'must be a whole, non-negative number of fen' },
      { line: 6, column: 'value_fen', message: 'must be a whole, non-negative number of fen' },
      { line: 6, column: 'as_of', message: 'is in the future (today is 2024-01-15)' },
      { line: 7, message: 'expected 8 fields, found 3' },
    ]);
  });

  it('refuses a wrong header, an empty file and broken quoting', () => {
    expect(problemsOf(`source_id,resident_id,category,kind,amount,value_fen,description,as_of\n`)).toEqual([
      { line: 1, column: 'monthly_amount_fen', message: 'column is missing from the header' },
      { line: 1, message: 'unknown columns: amount' },
    ]);
    expect(problemsOf('')).toEqual([{ line: 1, message: expect.stringContaining('the file is empty') }]);
    expect(problemsOf(`${HEADER}\n`)).toEqual([{ line: 2, message: 'the file has no data rows' }]);
    expect(problemsOf(`${HEADER}\nhousing,${a},asset,vehicle,,1,"open,2023-01-01\n`)).toEqual([{ line: 2, message: 'a quoted field is not closed' }]);
  });

  it('the error message says nothing was written and lists the lines', () => {
    expect(() => parseVerificationCsv(`${HEADER}\nhousing,${a},asset,vehicle,,1,x,2023-02-30\n`, TODAY)).toThrow(
      'verification import refused, nothing was written: line 2 as_of: must be a date YYYY-MM-DD',
    );
  });
});

describe('loadVerificationConfig', () => {
  it('defaults: no sources, a 3 s deadline', () => {
    expect(loadVerificationConfig({})).toEqual({ VERIFICATION_HTTP_SOURCES: [], VERIFICATION_TABLE_SOURCES: [], VERIFICATION_DEADLINE_MS: 3000 });
  });

  it('reads the HTTP sources with their defaults', () => {
    const config = loadVerificationConfig({
      VERIFICATION_HTTP_SOURCES: JSON.stringify([{ id: 'tax', name: '税务', baseUrl: 'https://tax.example/api', timeoutMs: 1500 }]),
      VERIFICATION_TABLE_SOURCES: '[{"id":"housing","name":"住建"}]',
      VERIFICATION_DEADLINE_MS: '4000',
    });
    expect(config.VERIFICATION_HTTP_SOURCES).toEqual([{ id: 'tax', name: '税务', baseUrl: 'https://tax.example/api', timeoutMs: 1500, attempts: 3, backoffMs: 200 }]);
    expect(config.VERIFICATION_TABLE_SOURCES).toEqual([{ id: 'housing', name: '住建' }]);
    expect(config.VERIFICATION_DEADLINE_MS).toBe(4000);
  });

  it.each([
    ['not json', /VERIFICATION_HTTP_SOURCES is invalid: must be a JSON list/],
    ['{"id":"tax"}', /VERIFICATION_HTTP_SOURCES is invalid: Invalid input: expected array/],
    ['[{"id":"tax","name":"税务","baseUrl":"ftp://x"}]', /VERIFICATION_HTTP_SOURCES is invalid: \[0\]\.baseUrl: must be an http\(s\) URL/],
    ['[{"id":"tax","name":"税务","baseUrl":"http://x","attempts":0}]', /VERIFICATION_HTTP_SOURCES is invalid: \[0\]\.attempts: /],
    ['[{"id":"housing","name":"税务","baseUrl":"http://x"}]', /VERIFICATION_HTTP_SOURCES is invalid: source id housing is configured twice/],
  ])('VERIFICATION_HTTP_SOURCES=%s is refused naming the variable', (value, message) => {
    const load = () => loadVerificationConfig({ VERIFICATION_HTTP_SOURCES: value, VERIFICATION_TABLE_SOURCES: '[{"id":"housing","name":"住建"}]' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });
});
