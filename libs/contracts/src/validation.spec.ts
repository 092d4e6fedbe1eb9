import { z } from 'zod';
import { ResidentId, buildResidentId } from '@civil/domain-kernel';
import { DomainError } from './errors';
import { registerHouseholdSchema } from './messages/social-assistance';
import { divisionCodeSchema, fieldErrorsOf, fieldPath, parseOrThrow, residentIdSchema, uuidSchema } from './validation';

const VALID_IDS = ['34052419800101001X', '11010519491231002X'];
/** A syntactically right 17-digit prefix completed with its correct check character. */
const withCheck = (first17: string): string => first17 + ResidentId.checkCharacter(first17);

function issuesOf(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to fail`);
  return fieldErrorsOf(result.error);
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('residentIdSchema', () => {
  it.each([...VALID_IDS, buildResidentId('430503', '2001-02-28', 17).value, buildResidentId('430503', '1960-12-31', 998).value])(
    'accepts %s',
    (id) => {
      expect(residentIdSchema.parse(id)).toBe(id);
    },
  );

  it('normalises a lower-case x and surrounding spaces', () => {
    expect(residentIdSchema.parse(' 34052419800101001x ')).toBe('34052419800101001X');
  });

  it.each<[string, string]>([
    ['340524198001010011', 'checksum'],
    ['34052419800101001', 'length'],
    ['34052419800101001XX', 'length'],
    ['', 'length'],
    [withCheck('34052419800230001'), 'birth-date'],
    [withCheck('34052418991231001'), 'birth-date'],
    [withCheck('34052429990101001'), 'birth-date'],
    ['3405241980010100AX', 'format'],
  ])('refuses %p with rule %s in the issue params', (id, rule) => {
    const result = residentIdSchema.safeParse(id);
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0] as { params?: { rule?: string } } | undefined;
    expect(issue?.params?.rule).toBe(rule);
    expect(fieldErrorsOf(result.error!)).toEqual([{ field: '(body)', rule, message: expect.stringContaining('resident ID') }]);
  });

  it('carries the domain message naming the expected check character', () => {
    const [error] = issuesOf(residentIdSchema, '340524198001010011');
    expect(error?.message).toBe('resident ID checksum is wrong: expected check character X, got 1');
  });

  it('refuses a non-string with zod’s own rule', () => {
    const [error] = issuesOf(residentIdSchema, 340524198001010);
    expect(error?.rule).toBe('invalid_type');
  });
});

describe('divisionCodeSchema', () => {
  it.each([
    ['430503', '430503000000'],
    ['430503101', '430503101000'],
    ['430503101201', '430503101201'],
    [' 430503 ', '430503000000'],
  ])('normalises %p to %s', (input, expected) => {
    expect(divisionCodeSchema.parse(input)).toBe(expected);
  });

  it.each([
    ['43050', 'format'],
    ['4305031010', 'format'],
    ['abcdef', 'format'],
    ['000000', 'structure'],
    ['430500101000', 'structure'],
  ])('refuses %p with rule %s', (input, rule) => {
    const [error] = issuesOf(divisionCodeSchema, input);
    expect(error?.rule).toBe(rule);
    expect(error?.message).toMatch(/division code/);
  });
});

describe('uuidSchema', () => {
  it('accepts a UUID and refuses anything else', () => {
    expect(uuidSchema.safeParse('0190a3e2-7b1c-7d4e-8f00-123456789abc').success).toBe(true);
    expect(uuidSchema.safeParse('not-a-uuid').success).toBe(false);
  });
});

describe('fieldPath', () => {
  it.each<[PropertyKey[], string]>([
    [[], '(body)'],
    [['name'], 'name'],
    [['members', 0, 'residentId'], 'members[0].residentId'],
    [['members', 12], 'members[12]'],
    [['a', 'b', 'c'], 'a.b.c'],
    [['grid', 1, 2], 'grid[1][2]'],
    [[0], '[0]'],
    [[0, 'name'], '[0].name'],
    [[Symbol('s')], 'Symbol(s)'],
  ])('formats %p as %s', (path, expected) => {
    expect(fieldPath(path)).toBe(expected);
  });
});

describe('fieldErrorsOf', () => {
  it('uses zod’s issue code as the rule when no rule param is present', () => {
    const schema = z.object({ name: z.string().min(2), age: z.number() });
    const errors = issuesOf(schema, { name: 'a', age: 'x' });
    expect(errors).toEqual([
      { field: 'name', rule: 'too_small', message: expect.any(String) },
      { field: 'age', rule: 'invalid_type', message: expect.any(String) },
    ]);
  });

  it('ignores a rule param that is not a string', () => {
    const schema = z.string().superRefine((_v, ctx) => {
      ctx.addIssue({ code: 'custom', message: 'nope', params: { rule: 7 } });
    });
    expect(issuesOf(schema, 'x')).toEqual([{ field: '(body)', rule: 'custom', message: 'nope' }]);
  });

  it('gives nested resident ID failures a path like members[0].residentId', () => {
    const errors = issuesOf(registerHouseholdSchema, {
      divisionCode: '430503101000',
      urbanRural: 'rural',
      address: '东风村1组',
      members: [
        { name: '张三', residentId: '340524198001010011', relationship: 'head' },
        { name: '李四', residentId: '3405241980', relationship: 'spouse' },
        { name: '张五', residentId: withCheck('34052420010230001'), relationship: 'child' },
      ],
    });
    expect(errors).toEqual([
      { field: 'members[0].residentId', rule: 'checksum', message: expect.stringContaining('checksum') },
      { field: 'members[1].residentId', rule: 'length', message: expect.stringContaining('length') },
      { field: 'members[2].residentId', rule: 'birth-date', message: expect.stringContaining('2001-02-30') },
    ]);
  });
});

describe('parseOrThrow', () => {
  const schema = z.object({ name: z.string().min(1), residentId: residentIdSchema, divisionCode: divisionCodeSchema }).strict();

  it('returns the parsed (normalised) value', () => {
    expect(parseOrThrow(schema, { name: 'x', residentId: '34052419800101001x', divisionCode: '430503' })).toEqual({
      name: 'x',
      residentId: '34052419800101001X',
      divisionCode: '430503000000',
    });
  });

  it('throws VALIDATION_FAILED listing every bad field', () => {
    const error = thrownBy(() => parseOrThrow(schema, { name: '', residentId: '340524198001010011', divisionCode: '43' }));
    expect(error).toBeInstanceOf(DomainError);
    const domainError = error as DomainError;
    expect(domainError.code).toBe('VALIDATION_FAILED');
    expect(domainError.fields?.map((f) => [f.field, f.rule])).toEqual([
      ['name', 'too_small'],
      ['residentId', 'checksum'],
      ['divisionCode', 'format'],
    ]);
    expect(domainError.message).toBe('invalid input: name (too_small), residentId (checksum), divisionCode (format)');
    expect(domainError.toBody().fields).toHaveLength(3);
  });

  it('reports a missing field by its name', () => {
    const error = thrownBy(() => parseOrThrow(schema, { name: 'x', divisionCode: '430503' })) as DomainError;
    expect(error.fields).toEqual([{ field: 'residentId', rule: 'invalid_type', message: expect.any(String) }]);
  });

  it('reports a body that is not an object at (body)', () => {
    const error = thrownBy(() => parseOrThrow(schema, 'text')) as DomainError;
    expect(error.fields).toEqual([{ field: '(body)', rule: 'invalid_type', message: expect.any(String) }]);
  });
  it('refuses text holding the NUL character (PostgreSQL cannot store it), with the other bad fields', () => {
    const error = thrownBy(() => parseOrThrow(schema, { name: 'a\u0000b', residentId: '340524198001010011', divisionCode: '430503' })) as DomainError;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fields?.map((f) => [f.field, f.rule])).toEqual([
      ['name', 'no-nul-character'],
      ['residentId', 'checksum'],
    ]);
    const nested = z.object({ figures: z.array(z.object({ unit: z.string() })) });
    expect((thrownBy(() => parseOrThrow(nested, { figures: [{ unit: 'ok' }, { unit: '\u0000' }] })) as DomainError).fields?.map((f) => f.field)).toEqual(['figures[1].unit']);
    // A key with NUL is named by its parent; text without it passes.
    expect((thrownBy(() => parseOrThrow(z.record(z.string(), z.string()), { 'k\u0000': 'v' })) as DomainError).fields?.map((f) => f.rule)).toEqual(['no-nul-character']);
    expect(parseOrThrow(nested, { figures: [{ unit: '万元' }] })).toEqual({ figures: [{ unit: '万元' }] });
  });
});
