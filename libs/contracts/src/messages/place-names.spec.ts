import { fieldErrorsOf } from '../validation';
import { PLACE_NAME_CATEGORIES, createPlaceNameSchema, getPlaceNameSchema, searchPlaceNamesSchema } from './place-names';

const base = { name: '东风路', category: 'street-road-lane', divisionCode: '430503101000' };

function errorsOf(schema: { safeParse(input: unknown): { success: boolean; error?: unknown } }, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return fieldErrorsOf(result.error as Parameters<typeof fieldErrorsOf>[0]);
}

describe('createPlaceNameSchema', () => {
  it.each([
    ['430503', '430503000000'],
    ['430503101', '430503101000'],
    ['430503101201', '430503101201'],
  ])('normalises the division code %s to %s', (divisionCode, expected) => {
    expect(createPlaceNameSchema.parse({ ...base, divisionCode }).divisionCode).toBe(expected);
  });

  it('trims text fields and keeps optional ones', () => {
    expect(
      createPlaceNameSchema.parse({ ...base, name: '  东风路 ', pinyin: ' Dōngfēng Lù ', locationDescription: '城北', origin: '1958年命名' }),
    ).toEqual({
      name: '东风路',
      category: 'street-road-lane',
      divisionCode: '430503101000',
      pinyin: 'Dōngfēng Lù',
      locationDescription: '城北',
      origin: '1958年命名',
    });
  });

  it.each(PLACE_NAME_CATEGORIES.map((c) => [c]))('accepts the category %s', (category) => {
    expect(createPlaceNameSchema.safeParse({ ...base, category }).success).toBe(true);
  });

  it.each([['id'], ['status'], ['createdBy'], ['approvedBy']])('refuses the unknown field %s (strict)', (field) => {
    const errors = errorsOf(createPlaceNameSchema, { ...base, [field]: 'x' });
    expect(errors).toEqual([{ field: '(body)', rule: 'unrecognized_keys', message: expect.stringContaining(field) }]);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a one-character name', { name: '路' }, 'name', 'too_small'],
    ['a name of only spaces', { name: '    ' }, 'name', 'too_small'],
    ['a 51-character name', { name: '路'.repeat(51) }, 'name', 'too_big'],
    ['an unknown category', { category: 'mountain' }, 'category', 'invalid_value'],
    ['a malformed division code', { divisionCode: '43050310' }, 'divisionCode', 'format'],
    ['a structurally wrong division code', { divisionCode: '430500101000' }, 'divisionCode', 'structure'],
    ['a too long origin', { origin: 'x'.repeat(2001) }, 'origin', 'too_big'],
    ['a missing division code', { divisionCode: undefined }, 'divisionCode', 'invalid_type'],
  ])('refuses %s', (_label, override, field, rule) => {
    expect(errorsOf(createPlaceNameSchema, { ...base, ...override })).toEqual([{ field, rule, message: expect.any(String) }]);
  });
});

describe('searchPlaceNamesSchema', () => {
  it('defaults the limit to 20, coerces query-string values and keeps the query text as sent', () => {
    expect(searchPlaceNamesSchema.parse({})).toEqual({ limit: 20 });
    expect(searchPlaceNamesSchema.parse({ limit: '50', q: ' 东 ', divisionCode: '430503', includeAbolished: 'true' })).toEqual({
      limit: 50,
      q: ' 东 ',
      divisionCode: '430503000000',
      includeAbolished: true,
    });
  });

  it.each([[''], ['%_\\'], ['😀🏠'], ['東方ＡＢＣ abc 123 Дом'], ['路'.repeat(1000)]])('accepts any query text up to 1000 characters: %p', (q) => {
    expect(searchPlaceNamesSchema.safeParse({ q }).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a query longer than 1000 characters', { q: 'x'.repeat(1001) }, 'q'],
    ['a limit of 0', { limit: '0' }, 'limit'],
    ['a limit of 101', { limit: '101' }, 'limit'],
    ['a fractional limit', { limit: '1.5' }, 'limit'],
    ['an unknown category', { category: 'mountain' }, 'category'],
    ['includeAbolished other than true/false', { includeAbolished: 'yes' }, 'includeAbolished'],
  ])('refuses %s, naming the field', (_label, input, field) => {
    expect(errorsOf(searchPlaceNamesSchema, input).map((e) => e.field)).toEqual([field]);
  });

  it('refuses unknown query parameters', () => {
    expect(errorsOf(searchPlaceNamesSchema, { page: '2' })[0]?.rule).toBe('unrecognized_keys');
  });
});

describe('createPlaceNameSchema coordinates and aliases', () => {
  it('refuses a longitude without a latitude, naming the missing one', () => {
    expect(errorsOf(createPlaceNameSchema, { ...base, longitude: 111.46 }).map((e) => e.field)).toEqual(['latitude']);
  });

  it('refuses an alias whose validity ends before it starts', () => {
    const aliases = [{ name: '老街', status: 'former', validFrom: '2000-01-01', validTo: '1990-01-01' }];
    expect(errorsOf(createPlaceNameSchema, { ...base, aliases }).map((e) => e.field)).toEqual(['aliases[0].validTo']);
  });

  it('refuses a romanization that is not written in Latin letters', () => {
    expect(errorsOf(createPlaceNameSchema, { ...base, pinyin: '东风路' }).map((e) => e.field)).toEqual(['pinyin']);
  });
});

describe('getPlaceNameSchema', () => {
  it('requires a UUID id and nothing else', () => {
    expect(getPlaceNameSchema.safeParse({ id: '0190a3e2-7b1c-7d4e-8f00-123456789abc' }).success).toBe(true);
    expect(errorsOf(getPlaceNameSchema, { id: 'abc' })).toEqual([{ field: 'id', rule: 'invalid_format', message: expect.any(String) }]);
  });
});
