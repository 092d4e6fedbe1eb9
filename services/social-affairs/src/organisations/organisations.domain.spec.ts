import { parseOrThrow, registerOrganisationSchema, DomainError, type InspectionResult } from '@civil/contracts';
import {
  creditCodeCategoryProblem,
  creditCodeCheckChar,
  creditCodeProblem,
  gradeFor,
  gradeValidUntil,
  gradingRefusal,
  inspectionDeadline,
  inspectionRefusal,
  inspectionStatus,
  inspectionYears,
  isInspectionExempt,
} from './organisations.domain';

describe('unified social credit code (GB 32100-2015)', () => {
  it.each([
    // The standard's well-known example (a company, authority 9).
    '91350100M000100Y43',
    '51430503MJ0000001T',
    '52430503MJ00000041',
    '53430000MJ0000003M',
    // Σ mod 31 = 0 → 31, written as 0.
    '51430503MJ00000220',
  ])('accepts %s', (code) => {
    expect(creditCodeProblem(code)).toBeNull();
    expect(creditCodeCheckChar(code.slice(0, 17))).toBe(code[17]);
  });

  it.each<[string, string, 'format' | 'checksum']>([
    ['a wrong check character', '51430503MJ0000001U', 'checksum'],
    ['two characters swapped', '51430503JM0000001T', 'checksum'],
    ['17 characters', '51430503MJ0000001', 'format'],
    ['19 characters', '51430503MJ0000001TT', 'format'],
    ['a letter outside the charset (I)', '51430503MI0000001T', 'format'],
    ['a letter outside the charset (O)', '51430503MO0000001T', 'format'],
    ['lower case (the schema upper-cases first)', '51430503mj0000001t', 'format'],
  ])('refuses %s', (_label, code, rule) => {
    expect(creditCodeProblem(code)?.rule).toBe(rule);
  });

  it('the schema trims and upper-cases, then names the failing rule', () => {
    expect(parseOrThrow(registerOrganisationSchema.pick({ creditCode: true }), { creditCode: ' 51430503mj0000001t ' })).toEqual({ creditCode: '51430503MJ0000001T' });
    try {
      parseOrThrow(registerOrganisationSchema.pick({ creditCode: true }), { creditCode: '51430503MJ0000001U' });
      throw new Error('expected a validation error');
    } catch (error) {
      expect(error instanceof DomainError ? error.fields : error).toEqual([{ field: 'creditCode', rule: 'checksum', message: expect.stringContaining('T') }]);
    }
  });

  it('a social organisation’s code starts with 5 (civil affairs) and its type’s category', () => {
    expect(creditCodeCategoryProblem('social-group', '51430503MJ0000001T')).toBeNull();
    expect(creditCodeCategoryProblem('private-non-enterprise', '52430503MJ00000041')).toBeNull();
    expect(creditCodeCategoryProblem('foundation', '53430000MJ0000003M')).toBeNull();
    expect(creditCodeCategoryProblem('private-non-enterprise', '51430503MJ0000001T')).toMatch(/52/);
    expect(creditCodeCategoryProblem('social-group', '91350100M000100Y43')).toMatch(/51/);
  });
});

describe('annual inspection', () => {
  it.each<[string, boolean]>([
    // Six months or more before 12-31: inspected.
    ['2023-01-01', false],
    ['2023-06-30', false],
    // After 06-30, less than six months before 12-31: exempt.
    ['2023-07-01', true],
    ['2023-07-02', true],
    ['2023-12-31', true],
  ])('registered %s: exempt for 2023 → %s', (registeredOn, exempt) => {
    expect(isInspectionExempt(registeredOn, 2023)).toBe(exempt);
  });

  it('exemption is for the registration year only', () => {
    expect(isInspectionExempt('2023-07-02', 2024)).toBe(false);
    expect(isInspectionExempt('2022-12-01', 2023)).toBe(false);
  });

  it('materials are due by 05-31 of the following year', () => {
    expect(inspectionDeadline(2023)).toBe('2024-05-31');
  });

  const org = { registeredOn: '2022-03-01', deregisteredOn: null };
  it.each<[string, number, InspectionResult | null, string, string]>([
    ['a recorded result', 2022, 'basic-pass', '2023-04-01', 'basic-pass'],
    ['no result, on the deadline', 2022, null, '2023-05-31', 'due'],
    ['no result, the day after the deadline', 2022, null, '2023-06-01', 'missed'],
    ['a result after the deadline', 2022, 'fail', '2023-06-01', 'fail'],
  ])('status: %s', (_label, year, result, today, status) => {
    expect(inspectionStatus(org, year, result, today)).toBe(status);
  });

  it('an exempt year, and a year whose deadline falls after deregistration', () => {
    expect(inspectionStatus({ registeredOn: '2023-07-01', deregisteredOn: null }, 2023, null, '2025-01-01')).toBe('exempt');
    expect(inspectionStatus({ registeredOn: '2022-03-01', deregisteredOn: '2024-03-01' }, 2023, null, '2025-01-01')).toBe('not-required');
    expect(inspectionStatus({ registeredOn: '2022-03-01', deregisteredOn: '2024-06-01' }, 2023, null, '2025-01-01')).toBe('missed');
  });

  it('lists the years from registration to last year, or to the year before deregistration', () => {
    expect(inspectionYears(org, '2024-02-01')).toEqual([2022, 2023]);
    expect(inspectionYears(org, '2022-12-31')).toEqual([]);
    expect(inspectionYears({ registeredOn: '2020-05-01', deregisteredOn: '2022-08-01' }, '2025-01-01')).toEqual([2020, 2021]);
  });

  it('refuses a year before registration, an exempt year, and a decision before the year ends', () => {
    expect(inspectionRefusal(org, 2021, '2023-03-01')?.rule).toBe('not-registered');
    expect(inspectionRefusal({ registeredOn: '2023-07-01', deregisteredOn: null }, 2023, '2024-03-01')?.rule).toBe('exempt');
    expect(inspectionRefusal(org, 2023, '2023-12-31')?.rule).toBe('after-year-end');
    expect(inspectionRefusal(org, 2023, '2024-01-01')).toBeNull();
    expect(inspectionRefusal({ registeredOn: '2023-06-30', deregisteredOn: null }, 2023, '2024-01-02')).toBeNull();
  });
});

describe('grading', () => {
  const cutoffs = { min1A: 500, min2A: 600, min3A: 700, min4A: 800, min5A: 900 };
  it.each<[number, string | null]>([
    [1000, '5A'],
    [900, '5A'],
    [899, '4A'],
    [800, '4A'],
    [799, '3A'],
    [700, '3A'],
    [699, '2A'],
    [600, '2A'],
    [599, '1A'],
    [500, '1A'],
    [499, null],
    [0, null],
  ])('score %i → %s', (score, grade) => {
    expect(gradeFor(score, cutoffs)).toBe(grade);
  });

  it('follows other cut-offs', () => {
    const stricter = { min1A: 550, min2A: 650, min3A: 750, min4A: 850, min5A: 950 };
    expect(gradeFor(940, stricter)).toBe('4A');
    expect(gradeFor(549, stricter)).toBeNull();
  });

  it('refuses a score outside 0–1000', () => {
    expect(() => gradeFor(1001, cutoffs)).toThrow(RangeError);
    expect(() => gradeFor(-1, cutoffs)).toThrow(RangeError);
    expect(() => gradeFor(800.5, cutoffs)).toThrow(RangeError);
  });

  it.each<[string, string]>([
    ['2024-03-15', '2029-03-15'],
    ['2023-12-31', '2028-12-31'],
    // No 02-29 in 2029: the month's last day (Civil Code art. 202).
    ['2024-02-29', '2029-02-28'],
    // 2028 is a leap year.
    ['2023-02-28', '2028-02-28'],
  ])('graded %s is valid through %s', (gradedOn, validUntil) => {
    expect(gradeValidUntil(gradedOn)).toBe(validUntil);
  });

  describe('exclusion by the last inspection', () => {
    const org = { registeredOn: '2021-03-01', deregisteredOn: null };
    const results = (entries: [number, InspectionResult][]): Map<number, InspectionResult> => new Map(entries);

    it('allows a grading when the last year whose deadline passed was inspected (pass or basic pass)', () => {
      expect(gradingRefusal(org, results([[2022, 'pass']]), '2023-07-01')).toBeNull();
      expect(gradingRefusal(org, results([[2022, 'basic-pass']]), '2023-07-01')).toBeNull();
    });

    it('refuses after a failed last inspection', () => {
      expect(gradingRefusal(org, results([[2022, 'fail']]), '2023-07-01')?.rule).toBe('last-inspection-failed');
    });

    it('refuses after a missed one — once its deadline has passed', () => {
      expect(gradingRefusal(org, results([[2021, 'pass']]), '2023-06-01')?.rule).toBe('last-inspection-missed');
      // On 2023-05-31 the 2022 deadline has not passed: the last one is 2021.
      expect(gradingRefusal(org, results([[2021, 'pass']]), '2023-05-31')).toBeNull();
    });

    it('takes a result already in for the year after', () => {
      expect(gradingRefusal(org, results([[2021, 'pass'], [2022, 'fail']]), '2023-04-01')?.rule).toBe('last-inspection-failed');
      expect(gradingRefusal(org, results([[2022, 'pass']]), '2023-04-01')).toBeNull();
    });

    it('an exempt last year or no year yet does not exclude', () => {
      expect(gradingRefusal({ registeredOn: '2022-09-01', deregisteredOn: null }, results([]), '2023-07-01')).toBeNull();
      expect(gradingRefusal({ registeredOn: '2023-01-10', deregisteredOn: null }, results([]), '2023-07-01')).toBeNull();
    });
  });
});
