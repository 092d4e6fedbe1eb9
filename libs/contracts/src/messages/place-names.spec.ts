import { fieldErrorsOf } from '../validation';
import { PLACE_NAME_CATEGORIES, createPlaceNameSchema, getPlaceNameSchema, listPlaceNamesSchema } from './place-names';

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

describe('listPlaceNamesSchema', () => {
  it('defaults the limit to 50 and coerces a query-string limit', () => {
    expect(listPlaceNamesSchema.parse({})).toEqual({ limit: 50 });
    expect(listPlaceNamesSchema.parse({ limit: '20', q: ' 东 ', divisionCode: '430503' })).toEqual({
      limit: 20,
      q: '东',
      divisionCode: '430503000000',
    });
  });

  it.each([['0'], ['201'], ['1.5'], ['abc']])('refuses the limit %p', (limit) => {
    expect(errorsOf(listPlaceNamesSchema, { limit }).map((e) => e.field)).toEqual(['limit']);
  });

  it('refuses unknown query parameters', () => {
    expect(errorsOf(listPlaceNamesSchema, { page: '2' })[0]?.rule).toBe('unrecognized_keys');
  });
});

describe('getPlaceNameSchema', () => {
  it('requires a UUID id and nothing else', () => {
    expect(getPlaceNameSchema.safeParse({ id: '0190a3e2-7b1c-7d4e-8f00-123456789abc' }).success).toBe(true);
    expect(errorsOf(getPlaceNameSchema, { id: 'abc' })).toEqual([{ field: 'id', rule: 'invalid_format', message: expect.any(String) }]);
  });
});
