/**
 * Social organisations (社会组织): pure rules over dates and numbers. Annual inspection (年检) of a
 * year: materials due by 05-31 of the following year; an organisation registered after 06-30 of
 * the year (less than six months before 12-31) is exempt for that year. Grading (等级评估): the
 * grade follows from a 1000-point score and the cut-offs in force; it is valid five years, ending on
 * the corresponding day five years on (the month's last day when there is none, Civil Code art. 202).
 */
import { compareDates, lastDayOfMonth } from '@civil/domain-kernel';
import {
  creditCodeCheckChar,
  creditCodeProblem,
  type InspectionResult,
  type InspectionStatus,
  type OrganisationGrade,
  type OrganisationType,
} from '@civil/contracts';

export { creditCodeCheckChar, creditCodeProblem };

/** Registration-authority code 5 (民政) and the category of each type (GB 32100-2015, appendix). */
const CREDIT_CODE_CATEGORY: Record<OrganisationType, string> = { 'social-group': '1', 'private-non-enterprise': '2', foundation: '3' };

/** A valid credit code of a social organisation starts with 5 (民政) and its type's category; else why not. */
export function creditCodeCategoryProblem(type: OrganisationType, code: string): string | null {
  const expected = `5${CREDIT_CODE_CATEGORY[type]}`;
  return code.startsWith(expected) ? null : `a ${type} registered by civil affairs has a credit code starting with ${expected}`;
}

export const yearOf = (date: string): number => Number(date.slice(0, 4));

/** The last day to hand in a year's inspection materials: 05-31 of the following year. */
export function inspectionDeadline(year: number): string {
  return `${String(year + 1).padStart(4, '0')}-05-31`;
}

/** Registered after 06-30 of the year, i.e. less than six months before its 12-31: no inspection that year. */
export function isInspectionExempt(registeredOn: string, year: number): boolean {
  return yearOf(registeredOn) === year && compareDates(registeredOn, `${registeredOn.slice(0, 4)}-06-30`) > 0;
}

export interface OrganisationDates {
  registeredOn: string;
  deregisteredOn: string | null;
}

/**
 * A year's inspection status on `today`: the recorded result, else exempt, else missed once the
 * deadline has passed (or not required when the organisation was deregistered by the deadline), else due.
 */
export function inspectionStatus(org: OrganisationDates, year: number, result: InspectionResult | null, today: string): InspectionStatus {
  if (result !== null) return result;
  if (isInspectionExempt(org.registeredOn, year)) return 'exempt';
  const deadline = inspectionDeadline(year);
  if (org.deregisteredOn !== null && compareDates(org.deregisteredOn, deadline) <= 0) return 'not-required';
  return compareDates(today, deadline) > 0 ? 'missed' : 'due';
}

/** The years listed for an organisation: from its registration year to last year, or the year before its deregistration. */
export function inspectionYears(org: OrganisationDates, today: string): number[] {
  const last = Math.min(yearOf(today), org.deregisteredOn === null ? Number.POSITIVE_INFINITY : yearOf(org.deregisteredOn)) - 1;
  const years: number[] = [];
  for (let year = yearOf(org.registeredOn); year <= last; year += 1) years.push(year);
  return years;
}

/** Why a result for `year` decided on `inspectedOn` cannot be recorded, or null. */
export function inspectionRefusal(org: OrganisationDates, year: number, inspectedOn: string): { field: 'year' | 'inspectedOn'; rule: string; message: string } | null {
  if (year < yearOf(org.registeredOn)) return { field: 'year', rule: 'not-registered', message: `the organisation was registered on ${org.registeredOn}, after ${year}` };
  if (isInspectionExempt(org.registeredOn, year)) {
    return { field: 'year', rule: 'exempt', message: `registered on ${org.registeredOn}, less than six months before ${year}-12-31: exempt from the ${year} inspection` };
  }
  if (yearOf(inspectedOn) <= year) return { field: 'inspectedOn', rule: 'after-year-end', message: `the ${year} inspection is decided after the year ends` };
  return null;
}

/** Minimum scores of each grade (out of 1000), strictly increasing from 1A to 5A. */
export interface GradingCutoffs {
  min1A: number;
  min2A: number;
  min3A: number;
  min4A: number;
  min5A: number;
}

/** The highest grade whose minimum the score reaches, or null below 1A. */
export function gradeFor(score: number, cutoffs: GradingCutoffs): OrganisationGrade | null {
  if (!Number.isInteger(score) || score < 0 || score > 1000) throw new RangeError(`a grading score is a whole number from 0 to 1000, got ${score}`);
  const ladder: [OrganisationGrade, number][] = [
    ['5A', cutoffs.min5A],
    ['4A', cutoffs.min4A],
    ['3A', cutoffs.min3A],
    ['2A', cutoffs.min2A],
    ['1A', cutoffs.min1A],
  ];
  return ladder.find(([, min]) => score >= min)?.[0] ?? null;
}

/** The last day a grading is valid: the corresponding day `years` later, else that month's last day (Civil Code art. 202). */
export function gradeValidUntil(gradedOn: string, years = 5): string {
  const year = yearOf(gradedOn) + years;
  const month = Number(gradedOn.slice(5, 7));
  const day = Math.min(Number(gradedOn.slice(8, 10)), lastDayOfMonth(year, month));
  return `${String(year).padStart(4, '0')}-${gradedOn.slice(5, 7)}-${String(day).padStart(2, '0')}`;
}

/**
 * Why an organisation cannot be graded on `gradedOn` because of its last inspection, or null. The
 * last inspection is that of the last year whose deadline has passed — or of the year after it
 * when its result is already in. Exempt years and years before registration do not exclude it.
 */
export function gradingRefusal(org: OrganisationDates, results: ReadonlyMap<number, InspectionResult>, gradedOn: string): { rule: 'last-inspection-missed' | 'last-inspection-failed'; message: string } | null {
  const gradedYear = yearOf(gradedOn);
  const lastPassed = compareDates(gradedOn, inspectionDeadline(gradedYear - 1)) > 0 ? gradedYear - 1 : gradedYear - 2;
  const year = results.has(lastPassed + 1) && lastPassed + 1 < gradedYear ? lastPassed + 1 : lastPassed;
  if (year < yearOf(org.registeredOn)) return null;
  const status = inspectionStatus(org, year, results.get(year) ?? null, gradedOn);
  if (status === 'fail') return { rule: 'last-inspection-failed', message: `the last annual inspection (${year}) was 不合格 (failed): the organisation cannot be graded` };
  if (status === 'missed') {
    return { rule: 'last-inspection-missed', message: `the last annual inspection (${year}, due by ${inspectionDeadline(year)}) was missed: the organisation cannot be graded` };
  }
  return null;
}
