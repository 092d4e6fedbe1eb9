/**
 * Elderly care (养老服务): care institutions as a stock, home adaptations (居家适老化改造) and the
 * age allowances (高龄生活补贴, 长寿保健金). Every fact is dated by the payload's business date.
 */
import {
  AgeAllowanceEvents,
  CareInstitutionEvents,
  HomeAdaptationEvents,
  type AgeAllowanceBand,
  type AgeAllowanceEnrolmentMovedV1,
  type AgeAllowanceEnrolmentStartedV1,
  type AgeAllowanceEnrolmentStoppedV1,
  type AgeAllowancePayrollCompletedV1,
  type CareInstitutionClosedV1,
  type CareInstitutionRegisteredV1,
  type EventEnvelope,
  type HomeAdaptationCompletedV1,
} from '@civil/contracts';
import type { DataElement } from '../elements';
import { firstDayOf, type EventMapper, type EventMapping, type FactRow, type StateVersion } from '../mapping';

/** A division code as twelve digits (township codes in payloads carry the first nine). */
function twelve(code: string): string {
  return code.padEnd(12, '0');
}

function fact(element: string, divisionCode: string, businessDate: string, value: number, key: string): FactRow {
  return { element, divisionCode: twelve(divisionCode), businessDate, urbanRural: null, value, key };
}

function dayAfterPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * Institutions (entity kind `care-institution`, attribute ownership): registered → counted from the
 * opening date, closed → no longer from the closing date; the envelope's division is the institution's.
 */
const institutions: EventMapper = {
  types: [CareInstitutionEvents.registered, CareInstitutionEvents.closed],
  map(event: EventEnvelope): EventMapping {
    const closed = event.type === CareInstitutionEvents.closed;
    const d = event.data as CareInstitutionRegisteredV1 | CareInstitutionClosedV1;
    const version: StateVersion = {
      entityKind: 'care-institution',
      entityId: d.institutionId,
      effectiveFrom: closed ? (d as CareInstitutionClosedV1).closedOn : d.openedOn,
      active: !closed,
      divisionCode: twelve(event.divisioncode),
      urbanRural: null,
      persons: 0,
      attributes: { ownership: d.ownership },
    };
    return { facts: [], states: [version] };
  },
};

/** One household adapted per completed case, dated by the day the subsidy was paid. */
const homeAdaptation: EventMapper = {
  types: [HomeAdaptationEvents.completed],
  map(event: EventEnvelope): EventMapping {
    const d = event.data as HomeAdaptationCompletedV1;
    const key = `home-adaptation:${d.caseId}`;
    return {
      facts: [fact('home-adaptation.completed', d.townshipCode, d.completedOn, 1, key), fact('home-adaptation.subsidy', d.townshipCode, d.completedOn, d.subsidyFen, `${key}:subsidy`)],
      states: [],
    };
  },
};

/** One payroll per (period, band), a fact per township line keyed so that a corrected re-run replaces it. */
const ageAllowancePayroll: EventMapper = {
  types: [AgeAllowanceEvents.payrollCompleted],
  map(event: EventEnvelope): EventMapping {
    const d = event.data as AgeAllowancePayrollCompletedV1;
    const date = firstDayOf(d.period);
    return {
      facts: d.lines.flatMap((line) => {
        const key = `age-allowance-payroll:${d.band}:${d.period}:${line.townshipCode}`;
        return [
          fact(`age-allowance.${d.band}.paid`, line.townshipCode, date, line.amountFen, `${key}:paid`),
          fact(`age-allowance.${d.band}.person-months`, line.townshipCode, date, line.persons, `${key}:persons`),
        ];
      }),
      states: [],
    };
  },
};

/** Enrolments as a stock (entity kind `age-allowance-enrolment`, attribute band), the envelope's division being the person's. */
const ageAllowanceEnrolments: EventMapper = {
  types: [AgeAllowanceEvents.enrolmentStarted, AgeAllowanceEvents.enrolmentMoved, AgeAllowanceEvents.enrolmentStopped],
  map(event: EventEnvelope): EventMapping {
    const version = (enrolmentId: string, band: AgeAllowanceBand, effectiveFrom: string, active: boolean): StateVersion => ({
      entityKind: 'age-allowance-enrolment',
      entityId: enrolmentId,
      effectiveFrom,
      active,
      divisionCode: twelve(event.divisioncode),
      urbanRural: null,
      persons: 1,
      attributes: { band },
    });
    if (event.type === AgeAllowanceEvents.enrolmentStarted) {
      const d = event.data as AgeAllowanceEnrolmentStartedV1;
      return { facts: [], states: [version(d.enrolmentId, d.band, firstDayOf(d.firstPeriod), true)] };
    }
    if (event.type === AgeAllowanceEvents.enrolmentMoved) {
      const d = event.data as AgeAllowanceEnrolmentMovedV1;
      return {
        facts: [],
        states: [version(d.fromEnrolmentId, d.fromBand, dayAfterPeriod(d.lastPeriod), false), version(d.toEnrolmentId, d.toBand, firstDayOf(d.firstPeriod), true)],
      };
    }
    const d = event.data as AgeAllowanceEnrolmentStoppedV1;
    return { facts: [], states: [version(d.enrolmentId, d.band, dayAfterPeriod(d.lastPeriod), false)] };
  },
};

export const ELDERLY_CARE_MAPPERS: EventMapper[] = [institutions, homeAdaptation, ageAllowancePayroll, ageAllowanceEnrolments];

const BAND_LABELS: Record<AgeAllowanceBand, string> = { 'high-age': '高龄生活补贴', longevity: '长寿保健金' };

export const ELDERLY_CARE_ELEMENTS: DataElement[] = [
  { code: 'institutions', kind: 'stock', label: '养老服务机构', unit: 'count', entityKind: 'care-institution', measure: 'entities' },
  { code: 'institutions.public', kind: 'stock', label: '公办敬老院', unit: 'count', entityKind: 'care-institution', measure: 'entities', where: { ownership: 'public' } },
  { code: 'institutions.private', kind: 'stock', label: '民办养老机构', unit: 'count', entityKind: 'care-institution', measure: 'entities', where: { ownership: 'private' } },
  { code: 'home-adaptation.completed', kind: 'flow', label: '完成居家适老化改造 (户)', unit: 'households' },
  { code: 'home-adaptation.subsidy', kind: 'flow', label: '适老化改造补贴', unit: 'fen' },
  ...(['high-age', 'longevity'] as const).flatMap((band): DataElement[] => [
    { code: `age-allowance.${band}.paid`, kind: 'flow', label: `${BAND_LABELS[band]}发放金额`, unit: 'fen' },
    { code: `age-allowance.${band}.person-months`, kind: 'flow', label: `${BAND_LABELS[band]}发放人月`, unit: 'person-months' },
    { code: `age-allowance.${band}.beneficiaries`, kind: 'stock', label: `${BAND_LABELS[band]}享受人数`, unit: 'persons', entityKind: 'age-allowance-enrolment', measure: 'entities', where: { band } },
  ]),
];
