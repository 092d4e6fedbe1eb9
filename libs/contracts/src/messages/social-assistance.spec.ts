import { buildResidentId } from '@civil/domain-kernel';
import { DomainError } from '../errors';
import { fieldErrorsOf, parseOrThrow } from '../validation';
import { RELATIONSHIPS, getHouseholdSchema, registerHouseholdSchema, type RegisterHouseholdRequest } from './social-assistance';

const HEAD_ID = '34052419800101001X';
const SPOUSE_ID = '11010519491231002X';
const CHILD_ID = buildResidentId('430503', '2010-06-01', 31).value;
const PARENT_ID = buildResidentId('430503', '1950-03-15', 12).value;

type Member = RegisterHouseholdRequest['members'][number];

function household(members: Member[], overrides: Partial<RegisterHouseholdRequest> = {}): RegisterHouseholdRequest {
  return { divisionCode: '430503101', urbanRural: 'rural', address: '东风村1组12号', members, ...overrides };
}

const head: Member = { name: '张三', residentId: HEAD_ID, relationship: 'head' };
const spouse: Member = { name: '李四', residentId: SPOUSE_ID, relationship: 'spouse' };
const child: Member = { name: '张小五', residentId: CHILD_ID, relationship: 'child' };

function errorsOf(input: unknown) {
  const result = registerHouseholdSchema.safeParse(input);
  if (result.success) throw new Error('expected the household to be refused');
  return fieldErrorsOf(result.error);
}

describe('registerHouseholdSchema', () => {
  it('accepts a household with exactly one head and normalises its fields', () => {
    const parsed = registerHouseholdSchema.parse(
      household([{ ...head, name: '  张三 ', residentId: HEAD_ID.toLowerCase() }, spouse, child], { address: '  东风村1组12号  ' }),
    );
    expect(parsed).toEqual({
      divisionCode: '430503101000',
      urbanRural: 'rural',
      address: '东风村1组12号',
      members: [{ name: '张三', residentId: HEAD_ID, relationship: 'head' }, spouse, child],
    });
  });

  it('accepts a household whose only member is the head', () => {
    expect(registerHouseholdSchema.safeParse(household([head])).success).toBe(true);
  });

  it.each(RELATIONSHIPS.filter((r) => r !== 'head'))('accepts a %s beside the head', (relationship) => {
    expect(registerHouseholdSchema.safeParse(household([head, { name: '王六', residentId: PARENT_ID, relationship }])).success).toBe(true);
  });

  it.each<[string, Member[], number]>([
    ['no head', [{ ...spouse }, { ...child }], 0],
    ['two heads', [head, { ...spouse, relationship: 'head' }], 2],
    ['three heads', [head, { ...spouse, relationship: 'head' }, { ...child, relationship: 'head' }], 3],
  ])('refuses a household with %s (rule one-head on members)', (_label, members, heads) => {
    expect(errorsOf(household(members))).toEqual([
      { field: 'members', rule: 'one-head', message: `a household has exactly one head, found ${heads}` },
    ]);
  });

  it('refuses the same person listed twice, pointing at the repeat', () => {
    expect(errorsOf(household([head, spouse, { ...child, residentId: SPOUSE_ID }]))).toEqual([
      { field: 'members[2].residentId', rule: 'unique', message: 'the same person is listed twice' },
    ]);
  });

  it('recognises a duplicate even when written with a lower-case x', () => {
    expect(errorsOf(household([head, { ...spouse, residentId: HEAD_ID.toLowerCase() }]))).toEqual([
      { field: 'members[1].residentId', rule: 'unique', message: 'the same person is listed twice' },
    ]);
  });

  it('reports each repeat of a person listed three times', () => {
    const errors = errorsOf(household([head, { ...spouse, residentId: HEAD_ID }, { ...child, residentId: HEAD_ID }]));
    expect(errors.map((e) => [e.field, e.rule])).toEqual([
      ['members[1].residentId', 'unique'],
      ['members[2].residentId', 'unique'],
    ]);
  });

  it('reports a missing head and a duplicate together', () => {
    const errors = errorsOf(household([spouse, { ...child, residentId: SPOUSE_ID }]));
    expect(errors.map((e) => [e.field, e.rule])).toEqual([
      ['members', 'one-head'],
      ['members[1].residentId', 'unique'],
    ]);
  });

  it.each<[string, unknown, string, string]>([
    ['no members', household([]), 'members', 'too_small'],
    ['31 members', household([head, ...Array.from({ length: 30 }, (_, i) => ({ ...child, residentId: buildResidentId('430503', '2000-01-01', i + 100).value }))]), 'members', 'too_big'],
    ['an unknown relationship', household([head, { ...spouse, relationship: 'cousin' as Member['relationship'] }]), 'members[1].relationship', 'invalid_value'],
    ['an empty member name', household([{ ...head, name: '   ' }]), 'members[0].name', 'too_small'],
    ['an unknown urbanRural', household([head], { urbanRural: 'suburban' as 'urban' }), 'urbanRural', 'invalid_value'],
    ['a one-character address', household([head], { address: ' x ' }), 'address', 'too_small'],
    ['a bad division code', household([head], { divisionCode: '4305' }), 'divisionCode', 'format'],
    ['a bad checksum', household([{ ...head, residentId: '340524198001010011' }]), 'members[0].residentId', 'checksum'],
  ])('refuses %s at %s (%s)', (_label, input, field, rule) => {
    expect(errorsOf(input)).toContainEqual({ field, rule, message: expect.any(String) });
  });

  it('refuses unknown fields on the household and on a member', () => {
    const errors = errorsOf({ ...household([{ ...head, nickname: '三儿' } as Member]), income: 1 });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: '(body)', rule: 'unrecognized_keys', message: expect.stringContaining('income') }),
        expect.objectContaining({ field: 'members[0]', rule: 'unrecognized_keys', message: expect.stringContaining('nickname') }),
      ]),
    );
  });

  it('makes parseOrThrow fail with VALIDATION_FAILED naming the duplicate', () => {
    let caught: unknown;
    try {
      parseOrThrow(registerHouseholdSchema, household([head, { ...spouse, residentId: HEAD_ID }]));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).message).toBe('invalid input: members[1].residentId (unique)');
  });
});

describe('getHouseholdSchema', () => {
  it('accepts a UUID id only', () => {
    expect(getHouseholdSchema.safeParse({ id: '0190a3e2-7b1c-7d4e-8f00-123456789abc' }).success).toBe(true);
    expect(getHouseholdSchema.safeParse({ id: '42' }).success).toBe(false);
    expect(getHouseholdSchema.safeParse({ id: '0190a3e2-7b1c-7d4e-8f00-123456789abc', extra: 1 }).success).toBe(false);
  });
});
