import { DivisionCode, type DivisionLevel, type TownshipKind } from './division-code';
import { InvalidValueError } from './errors';

function ruleOf(input: string): string | undefined {
  try {
    DivisionCode.parse(input);
    return undefined;
  } catch (error) {
    if (!(error instanceof InvalidValueError)) throw error;
    expect(error.code).toBe('DIVISION_CODE_INVALID');
    return error.rule;
  }
}

const code = (s: string): DivisionCode => DivisionCode.parse(s);

describe('DivisionCode.parse', () => {
  it.each<[string, string, DivisionLevel]>([
    ['430000', '430000000000', 'province'], // 湖南省
    ['430500', '430500000000', 'city'], // 邵阳市
    ['430503', '430503000000', 'county'], // 大祥区
    ['110105', '110105000000', 'county'], // 北京市朝阳区
    ['430503001', '430503001000', 'township'], // 中心路街道
    ['430503101000', '430503101000', 'township'], // 罗市镇
    ['430503101201', '430503101201', 'village'],
    ['430000000000', '430000000000', 'province'],
    ['430500000000', '430500000000', 'city'],
    [' 430503 ', '430503000000', 'county'],
  ])('parses %j as %s (%s)', (input, value, level) => {
    const parsed = code(input);
    expect(parsed.value).toBe(value);
    expect(parsed.level).toBe(level);
    expect(DivisionCode.isValid(input)).toBe(true);
  });

  it.each([
    '',
    '43',
    '4305',
    '43050',
    '4305030',
    '43050300',
    '4305030010',
    '43050300100',
    '4305031010001',
    'abcdef',
    '43O503',
    '430503-001',
    '４３0503',
    '-43050',
    '430503.0',
  ])('%j fails the format rule', (input) => {
    expect(ruleOf(input)).toBe('format');
    expect(DivisionCode.isValid(input)).toBe(false);
  });

  it.each([
    ['000000', 'province part'],
    ['000000000000', 'province part'],
    ['001000000000', 'province part'],
    ['430000001000', 'township part under a zero city part'],
    ['430003', 'county part under a zero city part'],
    ['430500001000', 'township part under a zero county part'],
    ['430503000001', 'village part under a zero township part'],
    ['430000000201', 'village part under a zero city part'],
  ])('%s fails the structure rule (%s)', (input, reason) => {
    expect(ruleOf(input)).toBe('structure');
    expect(() => code(input)).toThrow(reason);
  });

  it('refuses non-strings from untyped callers', () => {
    expect(ruleOf(430503 as unknown as string)).toBe('format');
    expect(DivisionCode.isValid(430503)).toBe(false);
    expect(DivisionCode.isValid(null)).toBe(false);
  });
});

describe('DivisionCode parts', () => {
  it.each<[string, string, string, string, string | null]>([
    ['430000', '43', '4300', '430000', null],
    ['430500', '43', '4305', '430500', null],
    ['430503', '43', '4305', '430503', null],
    ['430503101', '43', '4305', '430503', '430503101'],
    ['430503101201', '43', '4305', '430503', '430503101'],
  ])('%s: province %s, city %s, county %s, township %s', (input, province, city, county, township) => {
    const parsed = code(input);
    expect(parsed.provinceCode).toBe(province);
    expect(parsed.cityCode).toBe(city);
    expect(parsed.countyCode).toBe(county);
    expect(parsed.townshipCode).toBe(township);
  });

  it.each<[string, TownshipKind | null]>([
    ['430503001', 'subdistrict'], // 中心路街道
    ['430503101', 'town'], // 罗市镇
    ['430503202', 'township'], // 蔡锷乡
    ['430503099', 'subdistrict'],
    ['430503100', 'town'],
    ['430503199', 'town'],
    ['430503200', 'township'],
    ['430503299', 'township'],
    ['430503300', 'other'],
    ['430503400', 'other'],
    ['430503999', 'other'],
    ['430503101201', 'town'],
    ['430503001002', 'subdistrict'],
    ['430503', null],
    ['430500', null],
    ['430000', null],
  ])('%s is of township kind %p', (input, kind) => {
    expect(code(input).townshipKind).toBe(kind);
  });
});

describe('DivisionCode hierarchy', () => {
  it('walks up to the province', () => {
    const chain: string[] = [];
    for (let c: DivisionCode | null = code('430503101201'); c; c = c.parent()) chain.push(c.value);
    expect(chain).toEqual(['430503101201', '430503101000', '430503000000', '430500000000', '430000000000']);
  });

  it.each([
    ['430503101201', '430503101000'],
    ['430503101000', '430503000000'],
    ['430503000000', '430500000000'],
    ['430500000000', '430000000000'],
  ])('the parent of %s is %s', (child, parent) => {
    expect(code(child).parent()?.value).toBe(parent);
  });

  it('has no parent above a province', () => {
    expect(code('430000').parent()).toBeNull();
  });

  it.each([
    ['430503', '430503101000', true],
    ['430503', '430503101201', true],
    ['430503', '430503001000', true],
    ['430503', '430503', true],
    ['430500', '430503101201', true],
    ['430000', '430503101201', true],
    ['430503101', '430503101201', true],
    ['430503101201', '430503101201', true],
    ['430503101', '430503102201', false],
    ['430503101', '430503000000', false],
    ['430503', '430502101000', false],
    ['430503', '430500', false],
    ['430503', '430000', false],
    ['430500', '430100', false],
    ['430000', '440000', false],
    ['430503101201', '430503101202', false],
  ])('%s contains %s: %s', (scope, target, expected) => {
    expect(code(scope).contains(code(target))).toBe(expected);
  });

  it('checks membership in any of several scopes', () => {
    const scopes = [code('430503'), code('430511101')];
    expect(code('430503202000').isWithinAny(scopes)).toBe(true);
    expect(code('430511101203').isWithinAny(scopes)).toBe(true);
    expect(code('430511102000').isWithinAny(scopes)).toBe(false);
    expect(code('430500').isWithinAny(scopes)).toBe(false);
    expect(code('430503').isWithinAny([])).toBe(false);
  });
});

describe('DivisionCode value semantics', () => {
  it('treats the 6-, 9- and 12-digit forms of one division as equal', () => {
    expect(code('430503').equals(code('430503000000'))).toBe(true);
    expect(code('430503101').equals(code('430503101000'))).toBe(true);
    expect(code('430503').equals(code('430502'))).toBe(false);
  });

  it('serialises as 12 digits', () => {
    expect(code('430503').toString()).toBe('430503000000');
    expect(String(code('430503101'))).toBe('430503101000');
    expect(JSON.stringify({ division: code('430503') })).toBe('{"division":"430503000000"}');
  });
});
