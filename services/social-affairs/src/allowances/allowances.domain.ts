import { Period, ResidentId, lastDayOfMonth } from '@civil/domain-kernel';
import { CERTIFICATE_CATEGORY_ORDER, type AllowanceFinding, type ChildAssessmentView, type DisabilityCategory, type ParentCircumstance, type ParentInput } from '@civil/contracts';

/** Children are supported until they turn 18. */
export const CHILD_AGE_LIMIT = 18;
/** A missing parent counts once missing this long (事实无人抚养儿童 policy). */
export const MISSING_MONTHS = 6;

const CIRCUMSTANCE_NAMES: Record<ParentCircumstance, string> = {
  present: '健在且有抚养能力',
  dead: '死亡（含宣告死亡）',
  missing: '失踪',
  'severely-disabled': '重残',
  'seriously-ill': '重病',
  imprisoned: '服刑在押',
  'compulsory-rehabilitation': '强制隔离戒毒',
  'deprived-of-liberty': '被执行其他限制人身自由的措施',
  'guardianship-revoked': '被撤销监护资格',
};

/** The date `months` calendar months before `date`, clamped to the month's last day. */
export function monthsBefore(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const index = year * 12 + (month - 1) - months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const d = Math.min(day, lastDayOfMonth(y, m));
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Whether a parent's circumstance leaves the child without their support on `onDate`. */
function parentUnable(parent: ParentInput, onDate: string): { unable: boolean; basis: string } {
  const evidence = parent.evidence ? `（${parent.evidence}）` : '';
  const name = CIRCUMSTANCE_NAMES[parent.circumstance];
  switch (parent.circumstance) {
    case 'present':
      return { unable: false, basis: name };
    case 'missing': {
      const threshold = monthsBefore(onDate, MISSING_MONTHS);
      const since = parent.since ?? onDate;
      return since <= threshold
        ? { unable: true, basis: `${name}，自 ${since} 起满${MISSING_MONTHS}个月${evidence}` }
        : { unable: false, basis: `${name}自 ${since} 起，不满${MISSING_MONTHS}个月（${threshold} 前方满）` };
    }
    case 'dead':
    case 'severely-disabled':
    case 'seriously-ill':
    case 'imprisoned':
    case 'compulsory-rehabilitation':
    case 'deprived-of-liberty':
    case 'guardianship-revoked':
      return { unable: true, basis: `${name}${evidence}` };
  }
}

/**
 * Child welfare eligibility from the parents' circumstances on `onDate`: an orphan when both
 * parents are dead; de-facto unsupported when neither can bring the child up (both in the
 * policy's set, or one dead and the other in it); in both cases only under 18.
 */
export function assessChild(input: { residentId: string; father: ParentInput; mother: ParentInput }, onDate: string): ChildAssessmentView {
  const child = ResidentId.parse(input.residentId);
  const age = child.ageOn(onDate);
  const father = parentUnable(input.father, onDate);
  const mother = parentUnable(input.mother, onDate);
  const findings: AllowanceFinding[] = [
    { condition: 'under-18', met: age < CHILD_AGE_LIMIT, basis: `${child.birthDate} 出生，${onDate} 时 ${age} 岁` },
    { condition: 'father', met: father.unable, basis: father.basis },
    { condition: 'mother', met: mother.unable, basis: mother.basis },
  ];
  const eligible = findings.every((f) => f.met);
  if (!eligible) return { eligible: false, programme: null, findings };
  const orphan = input.father.circumstance === 'dead' && input.mother.circumstance === 'dead';
  return { eligible: true, programme: orphan ? 'orphan' : 'de-facto-unsupported', findings };
}

/** The category and grade a 残疾人证 number carries in its last two digits. */
export function certificateClass(certificateNumber: string): { category: DisabilityCategory; grade: number } {
  const categoryDigit = Number(certificateNumber.charAt(18));
  const grade = Number(certificateNumber.charAt(19));
  const category = CERTIFICATE_CATEGORY_ORDER[categoryDigit - 1];
  if (category === undefined || grade < 1 || grade > 4) throw new Error(`not a 残疾人证 number: ${certificateNumber}`);
  return { category, grade };
}

/** The care allowance is for the most severe grades, 1 and 2. */
export const CARE_ALLOWANCE_GRADES = [1, 2] as const;

/** An allowance decided on a date is paid from the following month. */
export function firstPeriodAfter(decidedOn: string): string {
  return Period.fromDate(decidedOn).next().toString();
}
