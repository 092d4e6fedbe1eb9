import { InvalidValueError } from './errors';
import { compareDates, isValidLocalDate, parseLocalDate, todayInShanghai } from './local-date';

const CODE = 'RESIDENT_ID_INVALID';
// GB 11643-1999 / ISO 7064 MOD 11-2: weight i is 2^(17-i) mod 11.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
// Household registration in its current form starts in the 20th century; earlier birth dates are
// typing mistakes, not centenarians.
const EARLIEST_BIRTH_DATE = '1900-01-01';

export type Sex = 'male' | 'female';

export interface ResidentIdParseOptions {
  /** 'YYYY-MM-DD' the birth date may not be after; defaults to today in Shanghai. */
  today?: string;
}

/** An 18-character citizen identity number (公民身份号码) per GB 11643-1999. */
export class ResidentId {
  private constructor(private readonly id: string) {}

  static parse(input: string, options: ResidentIdParseOptions = {}): ResidentId {
    if (typeof input !== 'string') {
      throw new InvalidValueError(CODE, 'format', `resident ID must be a string, got ${typeof input}`);
    }
    const id = input.trim().toUpperCase();
    if (id.length !== 18) {
      throw new InvalidValueError(CODE, 'length', `resident ID length is wrong: expected 18 characters, got ${id.length}`);
    }
    if (!/^\d{17}[\dX]$/.test(id)) {
      throw new InvalidValueError(
        CODE,
        'format',
        'resident ID format is wrong: expected 17 digits followed by a digit or X',
      );
    }
    if (id.startsWith('0')) {
      throw new InvalidValueError(CODE, 'format', 'resident ID format is wrong: the address code cannot start with 0');
    }
    checkBirthDate(birthDateOf(id), options.today ?? todayInShanghai());
    const expected = ResidentId.checkCharacter(id.slice(0, 17));
    const actual = id.charAt(17);
    if (actual !== expected) {
      throw new InvalidValueError(
        CODE,
        'checksum',
        `resident ID checksum is wrong: expected check character ${expected}, got ${actual}`,
      );
    }
    return new ResidentId(id);
  }

  static isValid(input: unknown, options: ResidentIdParseOptions = {}): boolean {
    if (typeof input !== 'string') return false;
    try {
      ResidentId.parse(input, options);
      return true;
    } catch (error) {
      if (error instanceof InvalidValueError && error.code === CODE) return false;
      throw error;
    }
  }

  /** The ISO 7064 MOD 11-2 check character for the first 17 digits. */
  static checkCharacter(first17: string): string {
    if (!/^\d{17}$/.test(first17)) {
      throw new InvalidValueError(CODE, 'format', 'a check character needs exactly 17 digits');
    }
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
    return CHECK_CHARACTERS.charAt(sum % 11);
  }

  get value(): string {
    return this.id;
  }

  /** The address code at registration; it stays in the number even after the person moves. */
  get addressCode(): string {
    return this.id.slice(0, 6);
  }

  get birthDate(): string {
    return birthDateOf(this.id);
  }

  get sex(): Sex {
    return Number(this.id.charAt(16)) % 2 === 1 ? 'male' : 'female';
  }

  /** Completed years of age on a date; a 29 February birthday falls on 1 March in common years. */
  ageOn(date: string): number {
    parseLocalDate(date);
    const birth = this.birthDate;
    if (compareDates(date, birth) < 0) {
      throw new RangeError(`cannot compute an age on ${date}, before the birth date`);
    }
    const years = Number(date.slice(0, 4)) - Number(birth.slice(0, 4));
    // Comparing MM-DD strings makes 02-28 < 02-29 < 03-01, which yields the 1 March rule for free.
    return date.slice(5) < birth.slice(5) ? years - 1 : years;
  }

  /** For logs and screens that may not show the full number: region kept, birth date hidden. */
  masked(): string {
    return `${this.id.slice(0, 6)}********${this.id.slice(14)}`;
  }

  equals(other: ResidentId): boolean {
    return other.id === this.id;
  }

  toString(): string {
    return this.id;
  }

  toJSON(): string {
    return this.id;
  }
}

function birthDateOf(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

function checkBirthDate(birthDate: string, today: string): void {
  parseLocalDate(today);
  if (!isValidLocalDate(birthDate)) {
    throw new InvalidValueError(CODE, 'birth-date', `resident ID birth date is wrong: ${birthDate} is not a real date`);
  }
  if (birthDate < EARLIEST_BIRTH_DATE) {
    throw new InvalidValueError(
      CODE,
      'birth-date',
      `resident ID birth date is wrong: ${birthDate} is before ${EARLIEST_BIRTH_DATE}`,
    );
  }
  if (birthDate > today) {
    throw new InvalidValueError(CODE, 'birth-date', `resident ID birth date is wrong: ${birthDate} is after ${today}`);
  }
}

/** Assembles a valid ID (check character computed) — mainly for test data builders. */
export function buildResidentId(addressCode: string, birthDate: string, sequence: number): ResidentId {
  if (!/^[1-9]\d{5}$/.test(addressCode)) {
    throw new InvalidValueError(CODE, 'format', `address code must be 6 digits not starting with 0, got "${addressCode}"`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) {
    throw new InvalidValueError(CODE, 'birth-date', `birth date must be YYYY-MM-DD, got "${birthDate}"`);
  }
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new InvalidValueError(CODE, 'format', `sequence must be an integer from 0 to 999, got ${sequence}`);
  }
  const first17 = `${addressCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return ResidentId.parse(first17 + ResidentId.checkCharacter(first17));
}
