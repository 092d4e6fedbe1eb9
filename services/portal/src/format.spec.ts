import { fenToWanYuan, fenToYuan, formatNumber, formatRate, yuanToFen } from './format';

describe('money in fen shown as yuan', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [150_000, '1,500.00'],
    [123_456_789, '1,234,567.89'],
    [-250, '-2.50'],
  ])('%d fen is %s 元', (fen, yuan) => {
    expect(fenToYuan(fen)).toBe(yuan);
  });

  it('refuses a fraction of a fen', () => {
    expect(() => fenToYuan(1.5)).toThrow(RangeError);
  });

  it('shows 万元 as the bureau reports them', () => {
    expect(fenToWanYuan(3_176_488_900)).toBe('3176.4889');
    expect(fenToWanYuan(4_702_420_000, 2)).toBe('4702.42');
  });

  it.each([
    ['1500', 150_000],
    ['1,500.5', 150_050],
    [' 1500.05 ', 150_005],
    ['0.1', 10],
    ['1，000', 100_000],
  ])('reads "%s" 元 as %d fen', (input, fen) => {
    expect(yuanToFen(input)).toBe(fen);
  });

  it.each(['', 'abc', '1.234', '-5', '1e3'])('does not read "%s" as an amount', (input) => {
    expect(yuanToFen(input)).toBeNull();
  });

  it('formats rates and numbers without float noise', () => {
    expect(formatRate(0.98765)).toBe('98.77%');
    expect(formatRate(null)).toBe('—');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(395.96)).toBe('395.96');
    expect(formatNumber(null)).toBe('—');
  });
});
