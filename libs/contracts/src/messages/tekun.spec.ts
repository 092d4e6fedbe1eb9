import { DomainError } from '../errors';
import { parseOrThrow } from '../validation';
import { endTekunSchema, enrolTekunSchema } from './tekun';

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return (error.fields ?? []).map((f) => f.field).sort();
    throw error;
  }
  throw new Error('expected a validation error');
}

const valid = {
  residentId: '11010519491231002X',
  legalSupporters: { status: 'none' },
  careMode: 'dispersed',
  selfCareLevel: 'full',
};

describe('特困 message schemas', () => {
  it('accepts a dispersed enrolment without an institution, and defaults the optional facts', () => {
    expect(parseOrThrow(enrolTekunSchema, valid)).toMatchObject({ livesOnOwnLabour: false, legalSupporters: { status: 'none', detail: '' } });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['centralized care without its institution', { careMode: 'centralized' }, ['institutionName']],
    ['dispersed care with an institution', { institutionName: '敬老院' }, ['institutionName']],
    ['supporters unable without saying why', { legalSupporters: { status: 'unable' } }, ['legalSupporters.detail']],
    ['a bad resident ID, an unknown level and a disability grade 5', { residentId: '11010519491231002Y', selfCareLevel: 'some', disability: { category: 'physical', grade: 5, certificateNumber: 'x' } }, ['disability.grade', 'residentId', 'selfCareLevel']],
  ])('names the fields of %s', (_label, change, fields) => {
    expect(fieldsOf(() => parseOrThrow(enrolTekunSchema, { ...valid, ...change }))).toEqual(fields);
  });

  it('wants a date of death exactly when the reason is death', () => {
    const personId = '0190b5a0-0000-7000-8000-000000000000';
    expect(fieldsOf(() => parseOrThrow(endTekunSchema, { personId, reason: 'death', detail: 'x' }))).toEqual(['dateOfDeath']);
    expect(fieldsOf(() => parseOrThrow(endTekunSchema, { personId, reason: 'moved-away', detail: 'x', dateOfDeath: '2023-01-01' }))).toEqual(['dateOfDeath']);
    expect(parseOrThrow(endTekunSchema, { personId, reason: 'death', detail: '证明', dateOfDeath: '2023-01-01' }).reason).toBe('death');
  });
});
