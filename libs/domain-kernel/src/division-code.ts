import { InvalidValueError } from './errors';

const CODE = 'DIVISION_CODE_INVALID';

export type DivisionLevel = 'province' | 'city' | 'county' | 'township' | 'village';
/** 街道 / 镇 / 乡, read from the township part's range as the statistical code rules allot it. */
export type TownshipKind = 'subdistrict' | 'town' | 'township' | 'other';

const LEVELS: readonly DivisionLevel[] = ['province', 'city', 'county', 'township', 'village'];
// End offsets of the province, city, county, township and village parts in the 12-digit code.
const PART_ENDS = [2, 4, 6, 9, 12] as const;

/**
 * A statistical division code (统计用区划代码), always held in its 12-digit form: the 6-digit
 * GB/T 2260 county code followed by 3 township and 3 village digits. Shorter codes are padded so a
 * county and its villages compare by prefix.
 */
export class DivisionCode {
  private constructor(
    private readonly code: string,
    readonly level: DivisionLevel,
  ) {}

  static parse(input: string): DivisionCode {
    if (typeof input !== 'string') {
      throw new InvalidValueError(CODE, 'format', `division code must be a string, got ${typeof input}`);
    }
    const digits = input.trim();
    if (!/^(\d{6}|\d{9}|\d{12})$/.test(digits)) {
      throw new InvalidValueError(CODE, 'format', `division code format is wrong: expected 6, 9 or 12 digits, got "${digits}"`);
    }
    const code = digits.padEnd(12, '0');
    const parts = splitParts(code);
    if (parts[0] === 0) {
      throw new InvalidValueError(CODE, 'structure', `division code structure is wrong: province part of ${code} is 00`);
    }
    const depth = parts.findIndex((part) => part === 0);
    const stray = depth === -1 ? -1 : parts.findIndex((part, i) => i > depth && part !== 0);
    if (stray !== -1) {
      throw new InvalidValueError(
        CODE,
        'structure',
        `division code structure is wrong: ${code} has a non-zero ${levelAt(stray)} part under a zero ${levelAt(depth)} part`,
      );
    }
    return new DivisionCode(code, levelAt((depth === -1 ? parts.length : depth) - 1));
  }

  static isValid(input: unknown): boolean {
    if (typeof input !== 'string') return false;
    try {
      DivisionCode.parse(input);
      return true;
    } catch (error) {
      if (error instanceof InvalidValueError) return false;
      throw error;
    }
  }

  get value(): string {
    return this.code;
  }

  get provinceCode(): string {
    return this.code.slice(0, 2);
  }

  get cityCode(): string {
    return this.code.slice(0, 4);
  }

  /** The 6-digit GB/T 2260 form, which is what most forms and legacy systems carry. */
  get countyCode(): string {
    return this.code.slice(0, 6);
  }

  get townshipCode(): string | null {
    return this.depth() >= 3 ? this.code.slice(0, 9) : null;
  }

  get townshipKind(): TownshipKind | null {
    if (this.depth() < 3) return null;
    const part = Number(this.code.slice(6, 9));
    if (part <= 99) return 'subdistrict';
    if (part <= 199) return 'town';
    if (part <= 299) return 'township';
    return 'other';
  }

  parent(): DivisionCode | null {
    const depth = this.depth();
    if (depth === 0) return null;
    const keep = PART_ENDS[depth - 1] ?? 0;
    return DivisionCode.parse(this.code.slice(0, keep).padEnd(12, '0'));
  }

  /** True for the same division or any division below it. */
  contains(other: DivisionCode): boolean {
    return other.code.startsWith(this.code.slice(0, PART_ENDS[this.depth()]));
  }

  isWithinAny(scopes: readonly DivisionCode[]): boolean {
    return scopes.some((scope) => scope.contains(this));
  }

  equals(other: DivisionCode): boolean {
    return other.code === this.code;
  }

  toString(): string {
    return this.code;
  }

  toJSON(): string {
    return this.code;
  }

  private depth(): number {
    return LEVELS.indexOf(this.level);
  }
}

function splitParts(code: string): number[] {
  let start = 0;
  return PART_ENDS.map((end) => {
    const part = Number(code.slice(start, end));
    start = end;
    return part;
  });
}

function levelAt(index: number): DivisionLevel {
  const level = LEVELS[index];
  if (level === undefined) throw new RangeError(`no division level at depth ${index}`);
  return level;
}
