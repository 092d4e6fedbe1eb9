import { divide, formatFigure, parseFormat, rational, type FigureFormat } from './figure-format';

const fmt = (value: number, format: string): string => {
  const parsed = parseFormat(format);
  if (parsed === null) throw new Error(`no format ${format}`);
  return formatFigure(rational(value), parsed);
};

describe('figure formats', () => {
  it.each([
    [3_176_488_900, '万元4', '3176.4889'],
    [2_339_729_349, '万元4', '2339.7293'],
    [2_339_729_350, '万元4', '2339.7294'], // half up at the fen → 元 boundary
    [4_702_420_000, '万元2', '4702.42'],
    [4_702_425_000, '万元2', '4702.43'],
    [4_702_424_999, '万元2', '4702.42'],
    [36_880_000, '万元2', '36.88'],
    [0, '万元2', '0.00'],
    [123_456_789_012_345, '万元4', '123456789.0123'], // no float loss on large amounts
    [9_000_000, '万元', '9'],
    [124_920_000, '万元', '124.92'],
    [124_923_400, '万元', '124.9234'],
    [39_596, '元2', '395.96'],
    [12_345, '元0', '123'],
    [12_350, '元0', '124'],
  ])('%d fen with %s is %s', (value, format, expected) => {
    expect(fmt(value, format)).toBe(expected);
  });

  it('shows a per-capita level from an exact quotient (paid fen / person-months) in 元', () => {
    const perMonth = divide(rational(2_339_729_300), rational(59_090));
    expect(formatFigure(perMonth, { kind: 'yuan', decimals: 2 })).toBe('395.96');
    expect(formatFigure(divide(rational(836_759_600), rational(31_370)), { kind: 'yuan', decimals: 2 })).toBe('266.74');
    // 1/8 yuan = 12.5 fen rounds half up to 0.13
    expect(formatFigure(divide(rational(25), rational(2)), { kind: 'yuan', decimals: 2 })).toBe('0.13');
  });

  it.each([
    [303_123_456, '万余', '303万余'], // 3,031,234.56 元
    [303_999_999, '万余', '303万余'], // floors, never rounds up
    [1_530_000, '万余1', '1.5万余'], // 15,300 元
    [1_599_999, '万余1', '1.5万余'],
    [999_999, '万余', '不足1万'],
    [99_999, '万余1', '不足0.1万'],
  ])('%d fen approximately (%s) is %s', (value, format, expected) => {
    expect(fmt(value, format)).toBe(expected);
  });

  it.each([
    [4733, '余100', '4700余'],
    [4799, '余100', '4700余'],
    [4700, '余100', '4700余'],
    [23, '余10', '20余'],
    [412, '余100', '400余'],
    [3120, '余1000', '3000余'],
    [7, '余10', '7'],
  ])('the count %d approximately (%s) is %s', (value, format, expected) => {
    expect(fmt(value, format)).toBe(expected);
  });

  it('shows ratios as percentages, integers as integers', () => {
    expect(fmt(1, '%0')).toBe('100');
    expect(fmt(0.9876, '%2')).toBe('98.76');
    expect(fmt(0.99265278, '%2')).toBe('99.27');
    expect(formatFigure(divide(rational(1), rational(3)), { kind: 'percent', decimals: 1 })).toBe('33.3');
    expect(formatFigure(rational(4893), { kind: 'integer' })).toBe('4893');
  });

  it('reads decimals exactly', () => {
    expect(rational(0.1)).toEqual({ num: 1n, den: 10n });
    expect(rational(-2.5)).toEqual({ num: -25n, den: 10n });
    expect(rational(1e-7)).toEqual({ num: 1n, den: 10_000_000n });
    expect(() => rational(Number.NaN)).toThrow('not a finite number');
  });

  it('knows its formats and nothing else', () => {
    const known: [string, FigureFormat][] = [
      ['万元4', { kind: 'wan-yuan', decimals: 4 }],
      ['万元', { kind: 'wan-yuan', decimals: null }],
      ['元2', { kind: 'yuan', decimals: 2 }],
      ['万余', { kind: 'wan-approx', decimals: 0 }],
      ['万余1', { kind: 'wan-approx', decimals: 1 }],
      ['余100', { kind: 'approx', step: 100 }],
      ['%0', { kind: 'percent', decimals: 0 }],
    ];
    for (const [text, format] of known) expect(parseFormat(text)).toEqual(format);
    for (const text of ['万元5', '元3', '余7', '余', '%', 'yuan', '']) expect(parseFormat(text)).toBeNull();
  });
});
