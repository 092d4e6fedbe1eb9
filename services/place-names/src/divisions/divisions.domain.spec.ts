import { DomainError, divisionChangeRequestSchema, divisionChangeSchema, fieldErrorsOf, type Actor } from '@civil/contracts';
import {
  checkAbolishWithoutSuccessor,
  checkChangeDate,
  checkMergePlan,
  checkParentLevel,
  checkReceiver,
  checkRecodeLevel,
  checkSplitPlan,
  codeInUse,
  levelOfCode,
  rankOf,
  requireScope,
  requireWriter,
  CODE_IN_USE,
} from './divisions.domain';
import type { FieldError } from '@civil/contracts';

function errorOf(fn: () => void): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('levelOfCode', () => {
  it.each([
    ['430000000000', 'province'],
    ['430500000000', 'city'],
    ['430503000000', 'county'],
    ['430503001000', 'street'],
    ['430503011000', 'street'],
    ['430503099000', 'street'],
    ['430503100000', 'town'],
    ['430503101000', 'town'],
    ['430503199000', 'town'],
    ['430503200000', 'township'],
    ['430503202000', 'township'],
    ['430503299000', 'township'],
    ['430503001001', 'community'],
    ['430503001199', 'community'],
    ['430503101200', 'village'],
    ['430503203399', 'village'],
    ['430503', 'county'],
    ['430503101', 'town'],
  ])('reads %s as a %s', (code, level) => {
    expect(levelOfCode(code)).toBe(level);
  });

  it.each([['430503300000'], ['430503001400'], ['430503001999'], ['43050300100'], ['000000000000'], ['430500001000'], ['abc']])('knows no level for %s', (code) => {
    expect(levelOfCode(code)).toBeNull();
  });

  it('ranks township-level units below the county and above villages', () => {
    expect(rankOf('county')).toBe(2);
    expect(rankOf('street')).toBe(rankOf('town'));
    expect(rankOf('township')).toBe(3);
    expect(rankOf('village')).toBe(rankOf('community'));
    expect(rankOf('village')).toBe(4);
  });
});

describe('who may change divisions', () => {
  const officer: Actor = { userId: 'o', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503000000'] };
  const townshipOfficer: Actor = { userId: 't', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503101000'] };
  const clerk: Actor = { userId: 'c', kind: 'staff', roles: ['clerk'], divisions: ['430503000000'] };
  const citizen: Actor = { userId: 'z', kind: 'citizen', roles: ['place-names-officer'], divisions: ['430503000000'] };

  it('lets place-names officers and admins write, and nobody else', () => {
    expect(() => requireWriter(officer)).not.toThrow();
    expect(() => requireWriter({ ...officer, roles: ['admin'] })).not.toThrow();
    expect(errorOf(() => requireWriter(clerk)).code).toBe('FORBIDDEN');
    expect(errorOf(() => requireWriter(citizen)).code).toBe('FORBIDDEN');
  });

  it('needs every affected code inside the actor’s divisions', () => {
    expect(() => requireScope(officer, ['430503006000', '430503007000', '430503012000'])).not.toThrow();
    expect(() => requireScope(townshipOfficer, ['430503101201'])).not.toThrow();
    const refused = errorOf(() => requireScope(townshipOfficer, ['430503101201', '430503202000']));
    expect(refused.code).toBe('OUT_OF_DIVISION_SCOPE');
    expect(refused.message).toContain('430503202000');
    expect(refused.message).not.toContain('430503101201');
  });
});

describe('parent and recode levels', () => {
  it('puts a township under a county and a village under a township, nothing else', () => {
    const errors: FieldError[] = [];
    checkParentLevel('430503012000', { code: '430503000000', name: '大祥区' }, 'parentCode', errors);
    checkParentLevel('430503101205', { code: '430503101000', name: '罗市镇' }, 'parentCode', errors);
    expect(errors).toEqual([]);
    checkParentLevel('430503101205', { code: '430503000000', name: '大祥区' }, 'parentCode', errors);
    expect(errors.map((e) => [e.field, e.rule])).toEqual([['parentCode', 'parent-level']]);
  });

  it('lets a 街道 become a 镇 but not a village', () => {
    const ok: FieldError[] = [];
    checkRecodeLevel('430503011000', '430503102000', ok);
    expect(ok).toEqual([]);
    const bad: FieldError[] = [];
    checkRecodeLevel('430503011000', '430503011201', bad);
    expect(bad.map((e) => [e.field, e.rule])).toEqual([['newCode', 'same-depth']]);
  });
});

describe('change dates', () => {
  const current = { divisionId: 'd', code: '430503006000', name: '百春园街道', validFrom: '2010-05-01', validTo: null };

  it('accepts a change after the current version began', () => {
    expect(() => checkChangeDate(current, '2010-05-02')).not.toThrow();
  });

  it('refuses a change on or before the current version’s start, or of an ended division', () => {
    expect(errorOf(() => checkChangeDate(current, '2010-05-01')).fields?.[0]?.rule).toBe('after-current-version');
    expect(errorOf(() => checkChangeDate(current, '2009-01-01')).code).toBe('CONFLICT');
    expect(errorOf(() => checkChangeDate({ ...current, validTo: '2024-01-01' }, '2025-01-01')).fields?.[0]?.rule).toBe('current-version');
  });
});

describe('divisions that take children without a new version', () => {
  const receiver = { divisionId: 'd', code: '430503202000', name: '蔡锷乡', validFrom: '2000-01-01', validTo: null };

  it('must be in force from the effective date on', () => {
    expect(() => checkReceiver(receiver, '2024-01-01', 'successorCode')).not.toThrow();
    expect(() => checkReceiver({ ...receiver, validFrom: '2024-01-01' }, '2024-01-01', 'successorCode')).not.toThrow();
    expect(errorOf(() => checkReceiver({ ...receiver, validFrom: '2024-01-02' }, '2024-01-01', 'successorCode')).fields?.[0]).toMatchObject({
      field: 'successorCode',
      rule: 'in-force-from-effective-date',
    });
    expect(errorOf(() => checkReceiver({ ...receiver, validTo: '2025-01-01' }, '2024-01-01', 'successorCode')).code).toBe('CONFLICT');
  });
});

describe('change plans', () => {
  it('merges distinct predecessors into one of them or a new division', () => {
    expect(() => checkMergePlan(['430503006000', '430503007000'], { code: '430503012000' })).not.toThrow();
    expect(() => checkMergePlan(['430503006000', '430503007000'], { existingCode: '430503007000' })).not.toThrow();
    const bad = errorOf(() => checkMergePlan(['430503006000', '430503006000'], { existingCode: '430503008000' }));
    expect(bad.fields?.map((f) => [f.field, f.rule])).toEqual([
      ['predecessorCodes', 'distinct'],
      ['successor.existingCode', 'one-of-predecessors'],
    ]);
  });

  const children = [
    { code: '430503101201', name: '罗市示例村一' },
    { code: '430503101202', name: '罗市示例村二' },
    { code: '430503101203', name: '罗市示例村三' },
  ];

  it('accepts a split that gives every child to exactly one successor', () => {
    expect(() =>
      checkSplitPlan(children, [
        { existingCode: '430503101000', childCodes: ['430503101201'] },
        { code: '430503102000', childCodes: ['430503101202', '430503101203'] },
      ]),
    ).not.toThrow();
  });

  it('names the unassigned child, the child given twice and the stranger', () => {
    const error = errorOf(() =>
      checkSplitPlan(children, [
        { existingCode: '430503101000', childCodes: ['430503101201', '430503202201'] },
        { code: '430503102000', childCodes: ['430503101201'] },
      ]),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fields?.map((f) => [f.field, f.rule])).toEqual([
      ['successors[0].childCodes[1]', 'child-of-predecessor'],
      ['successors[1].childCodes[0]', 'assigned-once'],
      ['successors', 'every-child-assigned'],
      ['successors', 'every-child-assigned'],
    ]);
    expect(error.fields?.[2]?.message).toContain('430503101202');
    expect(error.fields?.[3]?.message).toContain('罗市示例村三');
  });

  it('refuses two successors with the same code', () => {
    const error = errorOf(() => checkSplitPlan([], [{ code: '430503102000', childCodes: [] }, { code: '430503102000', childCodes: [] }]));
    expect(error.fields?.map((f) => f.rule)).toEqual(['distinct']);
  });

  it('refuses to abolish a division with children in force unless a successor takes them', () => {
    expect(() => checkAbolishWithoutSuccessor({ code: '430503203000', name: '板桥乡' }, [], '2024-01-01')).not.toThrow();
    const error = errorOf(() => checkAbolishWithoutSuccessor({ code: '430503203000', name: '板桥乡' }, children, '2024-01-01'));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('3 division(s)');
    expect(error.fields?.[0]?.field).toBe('successorCode');
  });

  it('says which code is in use, by whom and when', () => {
    const error = codeInUse('430503006000', 'code', { name: '百春园街道', validFrom: '2000-01-01', validTo: null });
    expect(error.code).toBe('CONFLICT');
    expect(error.fields).toEqual([{ field: 'code', rule: CODE_IN_USE, message: expect.stringContaining('百春园街道 from 2000-01-01') }]);
  });
});

describe('the change command schema', () => {
  const base = { effectiveDate: '2024-01-01', documentNumber: '湘政函〔2023〕12号' };

  it('accepts each kind and pads 6- and 9-digit codes to twelve', () => {
    const parsed = divisionChangeSchema.parse({ kind: 'create', ...base, code: '430503012', name: '新城街道', parentCode: '430503', urbanRural: 'urban' });
    expect(parsed).toMatchObject({ code: '430503012000', parentCode: '430503000000' });
    expect(divisionChangeSchema.safeParse({ kind: 'rename', ...base, code: '430503006000', newName: '百春街道' }).success).toBe(true);
    expect(
      divisionChangeSchema.safeParse({ kind: 'merge', ...base, predecessorCodes: ['430503006000', '430503007000'], successor: { code: '430503012000', name: '百城街道', urbanRural: 'urban' } }).success,
    ).toBe(true);
    expect(
      divisionChangeSchema.safeParse({
        kind: 'split',
        ...base,
        predecessorCode: '430503101000',
        successors: [{ existingCode: '430503101000', childCodes: ['430503101201'] }, { code: '430503102000', name: '新镇', urbanRural: 'rural' }],
      }).success,
    ).toBe(true);
    expect(divisionChangeSchema.safeParse({ kind: 'abolish', ...base, code: '430503203000', successorCode: '430503202000' }).success).toBe(true);
  });

  it('names every bad field', () => {
    const result = divisionChangeSchema.safeParse({ kind: 'create', effectiveDate: '2024-02-30', documentNumber: '', code: '4305030120', name: '', parentCode: '430503', urbanRural: 'city', extra: 1 });
    expect(result.success).toBe(false);
    const fields = result.success ? [] : fieldErrorsOf(result.error).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['effectiveDate', 'documentNumber', 'code', 'name', 'urbanRural']));
  });

  it('needs exactly one of divisionId and code, and a complete new successor', () => {
    const none = divisionChangeSchema.safeParse({ kind: 'rename', ...base, newName: '百春街道' });
    expect(none.success ? [] : fieldErrorsOf(none.error).map((f) => [f.field, f.rule])).toEqual([['code', 'one-of-divisionId-code']]);
    const half = divisionChangeSchema.safeParse({ kind: 'merge', ...base, predecessorCodes: ['430503006000', '430503007000'], successor: { code: '430503012000' } });
    expect(half.success ? [] : fieldErrorsOf(half.error).map((f) => f.field)).toEqual(['successor.name', 'successor.urbanRural']);
    const one = divisionChangeSchema.safeParse({ kind: 'merge', ...base, predecessorCodes: ['430503006000'], successor: { existingCode: '430503006000', name: 'x' } });
    expect(one.success ? [] : fieldErrorsOf(one.error).map((f) => f.field)).toEqual(['predecessorCodes', 'successor.name']);
  });

  it('refuses in the gateway’s object form exactly what the union refuses', () => {
    const bad = { kind: 'split', ...base, predecessorCode: '430503101000', successors: [{ code: '430503102000', childCodes: [] }] };
    const viaGateway = divisionChangeRequestSchema.safeParse(bad);
    const viaService = divisionChangeSchema.safeParse(bad);
    expect(viaGateway.success).toBe(false);
    expect(viaService.success).toBe(false);
    if (!viaGateway.success && !viaService.success) expect(fieldErrorsOf(viaGateway.error).map((f) => f.field)).toEqual(fieldErrorsOf(viaService.error).map((f) => f.field));
    expect(divisionChangeRequestSchema.safeParse({ kind: 'rename', ...base, code: '430503006000', newName: '百春街道' }).success).toBe(true);
  });
});
