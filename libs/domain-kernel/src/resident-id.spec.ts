import { InvalidValueError } from './errors';
import { buildResidentId, ResidentId } from './resident-id';

// An independent reference for the check character, written from the ISO 7064 MOD 11-2 definition
// (weight = 2^(18 − position) mod 11, check = (12 − S mod 11) mod 11, 10 → X) rather than the tables.
function referenceCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

function withCheck(first17: string): string {
  return first17 + referenceCheck(first17);
}

const TODAY = { today: '2025-06-30' };

function ruleOf(input: string, options: { today?: string } = TODAY): string | undefined {
  try {
    ResidentId.parse(input, options);
    return undefined;
  } catch (error) {
    if (!(error instanceof InvalidValueError)) throw error;
    expect(error.code).toBe('RESIDENT_ID_INVALID');
    return error.rule;
  }
}

describe('ResidentId.checkCharacter', () => {
  it.each([
    ['34052419800101001', 'X'],
    ['11010519491231002', 'X'],
  ])('gives %s the check character %s (published examples)', (first17, expected) => {
    expect(ResidentId.checkCharacter(first17)).toBe(expected);
  });

  it('produces every one of the 11 check characters, each matching the reference', () => {
    const seen = new Set<string>();
    for (let sequence = 1; sequence <= 60; sequence++) {
      const first17 = `43050319850715${String(sequence).padStart(3, '0')}`;
      const check = ResidentId.checkCharacter(first17);
      expect(check).toBe(referenceCheck(first17));
      seen.add(check);
    }
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
  });

  it('matches the reference for every digit position (pseudo-random 17-digit inputs)', () => {
    // Many real address codes share digits (e.g. a 0 in the third place), which can hide a wrong
    // weight; random digits exercise all 17 weights.
    let seed = 20240601;
    for (let n = 0; n < 2000; n++) {
      let first17 = '';
      for (let i = 0; i < 17; i++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        first17 += String(Math.floor(seed / 65_536) % 10);
      }
      expect(ResidentId.checkCharacter(first17)).toBe(referenceCheck(first17));
    }
  });

  it.each(['3405241980010100', '340524198001010011', '3405241980010100A'])('refuses %s', (input) => {
    expect(() => ResidentId.checkCharacter(input)).toThrow(InvalidValueError);
  });
});

describe('ResidentId.parse: valid IDs', () => {
  it.each([
    '34052419800101001X',
    '11010519491231002X',
    withCheck('43050319850715123'),
    withCheck('43050320000229002'),
    withCheck('43050319000101001'),
    withCheck('44030620250630999'),
    withCheck('65010219991231000'),
    withCheck('51010419771111456'),
    withCheck('32011519681203789'),
  ])('accepts %s', (id) => {
    expect(ResidentId.parse(id, TODAY).value).toBe(id);
    expect(ResidentId.isValid(id, TODAY)).toBe(true);
  });

  it('trims surrounding whitespace and upper-cases x', () => {
    expect(ResidentId.parse('  34052419800101001x\n').value).toBe('34052419800101001X');
  });
});

describe('ResidentId.parse: each rule', () => {
  it.each([
    ['', 'length'],
    ['3405241980010100', 'length'],
    ['34052419800101001', 'length'],
    ['34052419800101001X1', 'length'],
    ['340524800101001', 'length'], // a 15-digit first-generation number
    ['3405241980010100XX', 'format'],
    ['34052419800101001Y', 'format'],
    ['A4052419800101001X', 'format'],
    ['3405241980-101001X', 'format'],
    ['34052419800101 01X', 'format'],
    ['３４052419800101001X', 'format'],
    [withCheck('04052419800101001'), 'format'],
    [withCheck('00000019800101001'), 'format'],
  ])('%j fails the %s rule', (input, rule) => {
    expect(ruleOf(input)).toBe(rule);
    expect(ResidentId.isValid(input, TODAY)).toBe(false);
  });

  it.each([
    ['19800230', 'is not a real date'],
    ['19810229', 'is not a real date'],
    ['19000229', 'is not a real date'],
    ['19801301', 'is not a real date'],
    ['19800100', 'is not a real date'],
    ['19800132', 'is not a real date'],
    ['18991231', 'is before 1900-01-01'],
    ['00000000', 'is not a real date'],
    ['20250701', 'is after 2025-06-30'],
    ['29991231', 'is after 2025-06-30'],
  ])('birth date %s fails the birth-date rule (%s)', (birth, reason) => {
    const id = withCheck(`430503${birth}001`);
    expect(ruleOf(id)).toBe('birth-date');
    expect(() => ResidentId.parse(id, TODAY)).toThrow(reason);
  });

  it.each([
    ['19000101', true],
    ['18991231', false],
    ['20000229', true],
    ['20040229', true],
    ['20030229', false],
    ['21000229', false],
    ['20250630', true],
    ['20250701', false],
  ])('boundary birth date %s valid: %s', (birth, valid) => {
    expect(ResidentId.isValid(withCheck(`430503${birth}002`), TODAY)).toBe(valid);
  });

  it('reports a wrong check character with the expected one', () => {
    expect(() => ResidentId.parse('340524198001010015')).toThrow(
      'resident ID checksum is wrong: expected check character X, got 5',
    );
    expect(ruleOf('340524198001010015')).toBe('checksum');
  });

  it('rejects every check character but the right one', () => {
    const first17 = '43050319850715123';
    const right = referenceCheck(first17);
    for (const candidate of '0123456789X') {
      expect(ResidentId.isValid(first17 + candidate, TODAY)).toBe(candidate === right);
    }
  });

  it.each([
    ['34052419800101001X', '34052419800110001X'],
    ['34052419800101001X', '34052419801001001X'],
    ['11010519491231002X', '11010519491231020X'],
  ])('catches the transposition of %s into %s', (_valid, transposed) => {
    expect(ruleOf(transposed)).toBe('checksum');
  });

  it('checks the length before the format, and the format before the date and checksum', () => {
    expect(ruleOf('ABC')).toBe('length');
    expect(ruleOf('0405241980023000XX')).toBe('format');
    expect(ruleOf('430503198002300019')).toBe('birth-date');
  });

  it('refuses non-string input from untyped callers without crashing', () => {
    expect(ruleOf(undefined as unknown as string)).toBe('format');
    expect(ResidentId.isValid(undefined)).toBe(false);
    expect(ResidentId.isValid(34052419800101)).toBe(false);
  });
});

describe('ResidentId.parse: today', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('defaults to the date in Shanghai, not the host time zone', () => {
    // 16:30 UTC on 1 June is already 2 June in Shanghai.
    jest.useFakeTimers({ now: new Date('2024-06-01T16:30:00Z') });
    expect(ResidentId.isValid(withCheck('43050320240602001'))).toBe(true);
    expect(ResidentId.isValid(withCheck('43050320240603001'))).toBe(false);
  });

  it('accepts a baby born on the given today', () => {
    expect(ResidentId.isValid(withCheck('43050320240601001'), { today: '2024-06-01' })).toBe(true);
  });

  it('treats a malformed today as a programming error rather than an invalid ID', () => {
    expect(() => ResidentId.isValid('34052419800101001X', { today: '2024/06/01' })).toThrow(
      expect.objectContaining({ code: 'DATE_INVALID' }) as Error,
    );
  });
});

describe('ResidentId accessors', () => {
  const male = ResidentId.parse('34052419800101001X');
  const female = ResidentId.parse('11010519491231002X');

  it('reads the address code, birth date and sex', () => {
    expect(male.addressCode).toBe('340524');
    expect(male.birthDate).toBe('1980-01-01');
    expect(male.sex).toBe('male');
    expect(female.addressCode).toBe('110105');
    expect(female.birthDate).toBe('1949-12-31');
    expect(female.sex).toBe('female');
  });

  it.each([
    [0, 'female'],
    [1, 'male'],
    [2, 'female'],
    [9, 'male'],
    [10, 'female'],
    [998, 'female'],
    [999, 'male'],
  ])('sequence %i means %s', (sequence, sex) => {
    expect(buildResidentId('430503', '1990-05-17', sequence).sex).toBe(sex);
  });

  it('masks the birth date and keeps the first 6 and last 4 characters', () => {
    expect(male.masked()).toBe('340524********001X');
    const id = buildResidentId('430503', '1990-05-17', 123);
    expect(id.masked()).toBe(`430503********123${id.value.charAt(17)}`);
    expect(id.masked()).not.toContain('1990');
    expect(id.masked()).toHaveLength(18);
  });

  it('serialises as the bare value', () => {
    expect(male.toString()).toBe('34052419800101001X');
    expect(String(female)).toBe('11010519491231002X');
    expect(JSON.stringify({ id: male })).toBe('{"id":"34052419800101001X"}');
  });

  it('compares by value', () => {
    expect(male.equals(ResidentId.parse(' 34052419800101001x '))).toBe(true);
    expect(male.equals(female)).toBe(false);
  });
});

describe('ResidentId.ageOn', () => {
  const born1980 = ResidentId.parse('34052419800101001X');
  const leapling = buildResidentId('430503', '2000-02-29', 1);

  it.each([
    [born1980, '1980-01-01', 0],
    [born1980, '1980-12-31', 0],
    [born1980, '1981-01-01', 1],
    [born1980, '2024-12-31', 44],
    [born1980, '2025-01-01', 45],
    [leapling, '2000-02-29', 0],
    [leapling, '2001-02-28', 0],
    [leapling, '2001-03-01', 1],
    [leapling, '2004-02-28', 3],
    [leapling, '2004-02-29', 4],
    [leapling, '2023-02-28', 22],
    [leapling, '2023-03-01', 23],
    [leapling, '2024-02-29', 24],
  ])('%s is %i on %s', (id, date, age) => {
    expect(id.ageOn(date)).toBe(age);
  });

  it('turns 60 on the 60th birthday, the threshold for many elderly benefits', () => {
    const id = buildResidentId('430503', '1965-07-01', 11);
    expect(id.ageOn('2025-06-30')).toBe(59);
    expect(id.ageOn('2025-07-01')).toBe(60);
  });

  it('refuses dates before the birth date and invalid dates', () => {
    expect(() => born1980.ageOn('1979-12-31')).toThrow(RangeError);
    expect(() => born1980.ageOn('2023-02-29')).toThrow(expect.objectContaining({ code: 'DATE_INVALID' }) as Error);
  });
});

describe('buildResidentId', () => {
  it('computes the check character', () => {
    expect(buildResidentId('340524', '1980-01-01', 1).value).toBe('34052419800101001X');
    expect(buildResidentId('110105', '1949-12-31', 2).value).toBe('11010519491231002X');
    const id = buildResidentId('430503', '1985-07-15', 7);
    expect(id.value).toBe(withCheck('43050319850715007'));
  });

  it.each([
    ['043050', '1980-01-01', 1, 'format'],
    ['43050', '1980-01-01', 1, 'format'],
    ['4305030', '1980-01-01', 1, 'format'],
    ['430503', '1980-01-01', -1, 'format'],
    ['430503', '1980-01-01', 1000, 'format'],
    ['430503', '1980-01-01', 1.5, 'format'],
    ['430503', '19800101', 1, 'birth-date'],
    ['430503', '1980-02-30', 1, 'birth-date'],
    ['430503', '1899-12-31', 1, 'birth-date'],
  ])('refuses (%s, %s, %d) by the %s rule', (address, birth, sequence, rule) => {
    expect(() => buildResidentId(address, birth, sequence)).toThrow(
      expect.objectContaining({ code: 'RESIDENT_ID_INVALID', rule }) as Error,
    );
  });
});
