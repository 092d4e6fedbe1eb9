import { buildResidentId } from '@civil/domain-kernel';
import type { ParentInput } from '@civil/contracts';
import { assessChild, certificateClass, firstPeriodAfter, monthsBefore } from './allowances.domain';

describe('child welfare eligibility', () => {
  const child = buildResidentId('430503', '2012-05-10', 17).value;
  const present: ParentInput = { circumstance: 'present' };
  const dead: ParentInput = { circumstance: 'dead', evidence: '死亡证明 No.1' };
  const imprisoned: ParentInput = { circumstance: 'imprisoned', evidence: '判决书' };
  const assess = (father: ParentInput, mother: ParentInput, onDate = '2023-03-15') => assessChild({ residentId: child, father, mother }, onDate);

  it('both parents dead: an orphan', () => {
    expect(assess(dead, dead)).toMatchObject({ eligible: true, programme: 'orphan' });
  });

  it('both parents unable, or one dead and the other unable: de-facto unsupported', () => {
    expect(assess(imprisoned, { circumstance: 'severely-disabled' })).toMatchObject({ eligible: true, programme: 'de-facto-unsupported' });
    expect(assess(dead, { circumstance: 'compulsory-rehabilitation' })).toMatchObject({ eligible: true, programme: 'de-facto-unsupported' });
    expect(assess({ circumstance: 'guardianship-revoked' }, dead)).toMatchObject({ eligible: true, programme: 'de-facto-unsupported' });
  });

  it('a parent able to bring the child up makes the child ineligible, and the finding says which', () => {
    const result = assess(dead, present);
    expect(result.eligible).toBe(false);
    expect(result.programme).toBeNull();
    expect(result.findings.filter((f) => !f.met).map((f) => f.condition)).toEqual(['mother']);
  });

  it('a missing parent counts from six full months: the day before and the day of', () => {
    const missingSince: ParentInput = { circumstance: 'missing', since: '2022-09-15' };
    expect(assess(dead, missingSince, '2023-03-14').eligible).toBe(false);
    expect(assess(dead, missingSince, '2023-03-15')).toMatchObject({ eligible: true, programme: 'de-facto-unsupported' });
  });

  it('the allowance is for children under 18: the day before the birthday and the birthday', () => {
    expect(assess(dead, dead, '2030-05-09').eligible).toBe(true);
    const on18th = assess(dead, dead, '2030-05-10');
    expect(on18th.eligible).toBe(false);
    expect(on18th.findings[0]).toMatchObject({ condition: 'under-18', met: false });
  });

  it('counts months back across year ends and short months', () => {
    expect(monthsBefore('2023-03-15', 6)).toBe('2022-09-15');
    expect(monthsBefore('2023-08-31', 6)).toBe('2023-02-28');
    expect(monthsBefore('2024-08-31', 6)).toBe('2024-02-29');
  });
});

describe('disability certificates and periods', () => {
  it('reads the category and grade from the certificate number', () => {
    const id = buildResidentId('430503', '1970-01-01', 5).value;
    expect(certificateClass(`${id}41`)).toEqual({ category: 'physical', grade: 1 });
    expect(certificateClass(`${id}74`)).toEqual({ category: 'multiple', grade: 4 });
    expect(() => certificateClass(`${id}81`)).toThrow(/not a 残疾人证/);
  });

  it('pays from the month after the decision, across the year end', () => {
    expect(firstPeriodAfter('2023-01-31')).toBe('2023-02');
    expect(firstPeriodAfter('2023-12-01')).toBe('2024-01');
  });
});
