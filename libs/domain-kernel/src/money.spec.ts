import { InvalidValueError } from './errors';
import { Money, moneyColumnTransformer, type Rounding } from './money';

const MAX = Number.MAX_SAFE_INTEGER;

function moneyRuleOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (!(error instanceof InvalidValueError)) throw error;
    expect(error.code).toBe('MONEY_INVALID');
    return error.rule;
  }
}

describe('Money.fen', () => {
  it.each<[number | bigint | string, number]>([
    [0, 0],
    [12345, 12345],
    [-5, -5],
    [MAX, MAX],
    [-MAX, -MAX],
    [12345n, 12345],
    [-1n, -1],
    [BigInt(MAX), MAX],
    ['0', 0],
    ['-5', -5],
    ['007', 7],
    ['9007199254740991', MAX],
    ['-9007199254740991', -MAX],
  ])('Money.fen(%p).fen === %p', (input, expected) => {
    expect(Money.fen(input).fen).toBe(expected);
  });

  it('never produces negative zero', () => {
    expect(Object.is(Money.fen(-0).fen, 0)).toBe(true);
    expect(Object.is(Money.fen('-0').fen, 0)).toBe(true);
  });

  it.each<[number | bigint | string, string]>([
    [1.5, 'integer'],
    [0.1, 'integer'],
    [Number.NaN, 'integer'],
    [Number.POSITIVE_INFINITY, 'integer'],
    [MAX + 1, 'range'],
    [-(MAX + 1), 'range'],
    [2n ** 53n, 'range'],
    [-(2n ** 53n), 'range'],
    ['9007199254740992', 'range'],
    ['-9007199254740992', 'range'],
    ['9223372036854775807', 'range'],
    ['1.5', 'format'],
    ['1e3', 'format'],
    ['', 'format'],
    [' 1', 'format'],
    ['+1', 'format'],
    ['0x10', 'format'],
    ['1_000', 'format'],
  ])('Money.fen(%p) fails the %s rule', (input, rule) => {
    expect(moneyRuleOf(() => Money.fen(input))).toBe(rule);
  });
});

describe('Money.yuan', () => {
  it.each<[string | number, number]>([
    ['123.45', 12345],
    ['0.01', 1],
    ['0.1', 10],
    ['0.10', 10],
    ['100', 10000],
    ['-0.05', -5],
    ['-12.3', -1230],
    ['+1.2', 120],
    [' 2339.73 ', 233973],
    ['0', 0],
    ['00012.30', 1230],
    ['23397293.00', 2339729300],
    ['90071992547409.91', MAX],
    ['-90071992547409.91', -MAX],
    [123.45, 12345],
    [0.1, 10],
    [-7, -700],
    [0, 0],
    [1.1, 110],
    [19.99, 1999],
  ])('Money.yuan(%p).fen === %p', (input, expected) => {
    expect(Money.yuan(input).fen).toBe(expected);
  });

  it('never produces negative zero', () => {
    expect(Object.is(Money.yuan('-0.00').fen, 0)).toBe(true);
  });

  it.each<[string | number, string]>([
    ['1.234', 'precision'],
    ['0.005', 'precision'],
    ['1.000', 'precision'],
    [0.1 + 0.2, 'precision'],
    [1.005, 'precision'],
    ['90071992547409.92', 'range'],
    ['100000000000000000000', 'range'],
    ['1.', 'format'],
    ['.5', 'format'],
    ['1,000.00', 'format'],
    ['¥1.00', 'format'],
    ['1e2', 'format'],
    ['--1', 'format'],
    ['abc', 'format'],
    ['', 'format'],
    [1e21, 'format'],
    [Number.NaN, 'format'],
    [Number.POSITIVE_INFINITY, 'format'],
  ])('Money.yuan(%p) fails the %s rule', (input, rule) => {
    expect(moneyRuleOf(() => Money.yuan(input))).toBe(rule);
  });

  it('refuses non-numeric input from untyped callers', () => {
    expect(moneyRuleOf(() => Money.yuan(null as unknown as string))).toBe('format');
  });
});

describe('Money formatting', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [100, '1.00'],
    [233973, '2339.73'],
    [-5, '-0.05'],
    [-100, '-1.00'],
    [-233973, '-2339.73'],
    [MAX, '90071992547409.91'],
    [-MAX, '-90071992547409.91'],
  ])('%i fen is %s yuan', (fen, yuan) => {
    expect(Money.fen(fen).toYuan()).toBe(yuan);
    expect(Money.yuan(yuan).fen).toBe(fen);
  });

  it.each<[string, number | undefined, string]>([
    ['23397293.00', undefined, '2339.7293'],
    ['23397293.00', 2, '2339.73'],
    ['23397293.00', 0, '2340'],
    ['23397293.00', 6, '2339.729300'],
    ['23397293.45', 6, '2339.729345'],
    ['23397293.45', 8, '2339.72934500'],
    ['0.50', 4, '0.0001'],
    ['0.49', 4, '0.0000'],
    ['-0.50', 4, '-0.0001'],
    ['-0.49', 4, '0.0000'],
    ['5000.00', 0, '1'],
    ['4999.99', 0, '0'],
    ['-5000.00', 0, '-1'],
    ['10000.00', 4, '1.0000'],
    ['0', 4, '0.0000'],
    ['90071992547409.91', 4, '9007199254.7410'],
  ])('%s yuan is %s … in 万元 with %p decimals', (yuan, decimals, expected) => {
    const m = Money.yuan(yuan);
    expect(decimals === undefined ? m.toWanYuan() : m.toWanYuan(decimals)).toBe(expected);
  });

  it.each([-1, 1.5, 21])('toWanYuan refuses %p decimals', (decimals) => {
    expect(() => Money.fen(1).toWanYuan(decimals)).toThrow(RangeError);
  });

  it('reads as yuan in strings and as fen in JSON', () => {
    const m = Money.yuan('1.23');
    expect(m.toString()).toBe('1.23');
    expect(String(m)).toBe('1.23');
    expect(m.toJSON()).toBe(123);
    expect(JSON.stringify({ amount: m })).toBe('{"amount":123}');
  });
});

describe('Money arithmetic', () => {
  const a = Money.yuan('100.10');
  const b = Money.yuan('0.20');

  it('adds and subtracts exactly where floats would drift', () => {
    expect(Money.yuan('0.1').add(Money.yuan('0.2')).toYuan()).toBe('0.30');
    expect(a.add(b).toYuan()).toBe('100.30');
    expect(a.subtract(b).toYuan()).toBe('99.90');
    expect(b.subtract(a).toYuan()).toBe('-99.90');
  });

  it('leaves the operands unchanged', () => {
    a.add(b);
    a.negate();
    expect(a.fen).toBe(10010);
    expect(b.fen).toBe(20);
  });

  it('negates without producing negative zero', () => {
    expect(a.negate().fen).toBe(-10010);
    expect(Object.is(Money.zero().negate().fen, 0)).toBe(true);
  });

  it('refuses results outside the safe integer range', () => {
    expect(moneyRuleOf(() => Money.fen(MAX).add(Money.fen(1)))).toBe('range');
    expect(moneyRuleOf(() => Money.fen(-MAX).subtract(Money.fen(1)))).toBe('range');
    expect(Money.fen(MAX).add(Money.fen(-1)).fen).toBe(MAX - 1);
  });

  it.each<[number, number | bigint, number | bigint, Rounding, number]>([
    // 0.005 yuan is half a fen: the classic rounding trap.
    [1, 1, 2, 'half-up', 1],
    [1, 1, 2, 'down', 0],
    [1, 1, 2, 'up', 1],
    [-1, 1, 2, 'half-up', -1],
    [-1, 1, 2, 'down', 0],
    [-1, 1, 2, 'up', -1],
    [1000, 5, 10000, 'half-up', 1],
    [1000, 5, 10000, 'down', 0],
    [1000, 4, 10000, 'half-up', 0],
    [1000, 4, 10000, 'up', 1],
    [333, 1, 3, 'half-up', 111],
    [333, 1, 3, 'up', 111],
    [100, 2, 3, 'half-up', 67],
    [100, 2, 3, 'down', 66],
    [100, 2, 3, 'up', 67],
    [100, 1, 3, 'half-up', 33],
    [100, 1, 3, 'up', 34],
    [-100, 2, 3, 'half-up', -67],
    [-100, 2, 3, 'down', -66],
    [5, 1, -2, 'half-up', -3],
    [5, -1, -2, 'half-up', 3],
    [123456, 80, 100, 'half-up', 98765],
    [123456, 0, 1, 'half-up', 0],
    [MAX, 2, 2, 'half-up', MAX],
    [MAX, 3n, 3n, 'down', MAX],
    [MAX, 1, MAX, 'half-up', 1],
  ])('%i fen × %p / %p (%s) = %i fen', (fen, numerator, denominator, rounding, expected) => {
    expect(Money.fen(fen).multiplyBy(numerator, denominator, rounding).fen).toBe(expected);
  });

  it('defaults to a plain integer multiple rounded half-up', () => {
    expect(Money.yuan('2.50').multiplyBy(3).toYuan()).toBe('7.50');
    expect(Money.yuan('10.00').multiplyBy(1, 3).toYuan()).toBe('3.33');
    expect(Money.yuan('0.01').multiplyBy(1, 2).toYuan()).toBe('0.01');
  });

  it('refuses inexact factors, zero denominators, overflow and unknown rounding', () => {
    expect(() => Money.fen(100).multiplyBy(0.8)).toThrow(RangeError);
    expect(() => Money.fen(100).multiplyBy(1, 0)).toThrow(RangeError);
    expect(() => Money.fen(100).multiplyBy(1, 0n)).toThrow(RangeError);
    expect(() => Money.fen(100).multiplyBy(1, 1.5)).toThrow(RangeError);
    expect(moneyRuleOf(() => Money.fen(MAX).multiplyBy(2))).toBe('range');
    expect(() => Money.fen(100).multiplyBy(1, 3, 'banker' as Rounding)).toThrow('unknown rounding mode: banker');
  });
});

describe('Money comparison', () => {
  it.each([
    [-1, true, false, false],
    [0, false, true, false],
    [1, false, false, true],
  ])('%i fen: negative %s, zero %s, positive %s', (fen, negative, zero, positive) => {
    const m = Money.fen(fen);
    expect(m.isNegative()).toBe(negative);
    expect(m.isZero()).toBe(zero);
    expect(m.isPositive()).toBe(positive);
  });

  it.each([
    ['1.00', '2.00', -1],
    ['2.00', '1.00', 1],
    ['1.00', '1.00', 0],
    ['-1.00', '0.01', -1],
  ])('compares %s with %s as %i', (x, y, expected) => {
    expect(Money.yuan(x).compare(Money.yuan(y))).toBe(expected);
    expect(Money.yuan(x).equals(Money.yuan(y))).toBe(expected === 0);
  });

  it('finds the max and min', () => {
    const list = ['3.00', '-7.00', '12.50', '0'].map((s) => Money.yuan(s));
    const [first, ...rest] = list;
    if (!first) throw new Error('empty');
    expect(Money.max(first, ...rest).toYuan()).toBe('12.50');
    expect(Money.min(first, ...rest).toYuan()).toBe('-7.00');
    expect(Money.max(first).toYuan()).toBe('3.00');
    expect(Money.min(Money.fen(5), Money.fen(5)).fen).toBe(5);
  });

  it('zero is zero', () => {
    expect(Money.zero().isZero()).toBe(true);
    expect(Money.zero().equals(Money.fen(0))).toBe(true);
  });
});

describe('Money.sum', () => {
  it('sums a list, returning zero for none', () => {
    expect(Money.sum([]).fen).toBe(0);
    expect(Money.sum(['0.10', '0.20', '-0.05'].map((s) => Money.yuan(s))).toYuan()).toBe('0.25');
  });

  it('accepts any iterable', () => {
    function* amounts(): Generator<Money> {
      yield Money.fen(1);
      yield Money.fen(2);
    }
    expect(Money.sum(amounts()).fen).toBe(3);
  });

  it('only checks the range of the total, not of partial sums', () => {
    expect(Money.sum([Money.fen(MAX), Money.fen(1), Money.fen(-1)]).fen).toBe(MAX);
    expect(moneyRuleOf(() => Money.sum([Money.fen(MAX), Money.fen(1)]))).toBe('range');
  });
});

describe('moneyColumnTransformer', () => {
  it('maps Money to a bigint string and back', () => {
    const m = Money.yuan('-2339.73');
    const column = moneyColumnTransformer.to(m);
    expect(column).toBe('-233973');
    expect(moneyColumnTransformer.from(column)?.equals(m)).toBe(true);
  });

  it('passes nulls through', () => {
    expect(moneyColumnTransformer.to(null)).toBeNull();
    expect(moneyColumnTransformer.to(undefined)).toBeNull();
    expect(moneyColumnTransformer.from(null)).toBeNull();
  });

  it('accepts numbers from drivers configured to parse bigint', () => {
    expect(moneyColumnTransformer.from(500)?.fen).toBe(500);
  });

  it('refuses database values beyond the safe range instead of rounding them', () => {
    expect(moneyRuleOf(() => moneyColumnTransformer.from('9223372036854775807'))).toBe('range');
  });
});
