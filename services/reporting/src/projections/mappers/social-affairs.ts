/**
 * Social affairs (社会事务): marriage and divorce registration and their certificates, 「镜圆」
 * counselling, social organisations, the child and disability allowances, cemetery bookings and
 * the social work station. Every fact is dated by the payload's business date.
 */
import {
  AllowanceEvents,
  CemeteryEvents,
  CounsellingEvents,
  DivorceEvents,
  MarriageEvents,
  SocialOrganisationEvents,
  SocialWorkEvents,
  type AllowanceEndedV1,
  type AllowanceEnrolledV1,
  type AllowancePayrollCompletedV1,
  type AllowanceProgramme,
  type CemeteryBookingEventV1,
  type CertificateIssuedV1,
  type CounsellingSessionRecordedV1,
  type DivorceRegisteredV1,
  type EventEnvelope,
  type MarriageRegisteredV1,
  type OrganisationDeregisteredV1,
  type OrganisationInspectedV1,
  type OrganisationRegisteredV1,
  type SocialWorkActivityRecordedV1,
} from '@civil/contracts';
import type { DataElement } from '../elements';
import { firstDayOf, type EventMapper, type EventMapping, type FactRow, type StateVersion } from '../mapping';

/** A division code as twelve digits (payroll lines carry the township's first nine). */
function twelve(code: string): string {
  return code.padEnd(12, '0');
}

function fact(element: string, divisionCode: string, businessDate: string, value: number, key?: string): FactRow {
  return { element, divisionCode: twelve(divisionCode), businessDate, urbanRural: null, value, ...(key === undefined ? {} : { key }) };
}

function facts(...rows: FactRow[]): EventMapping {
  return { facts: rows, states: [] };
}

function states(...rows: StateVersion[]): EventMapping {
  return { facts: [], states: rows };
}

/** The first day after a `YYYY-MM` period: a stopped allowance no longer counts from then. */
function dayAfterPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

const registrations: EventMapper = {
  types: [MarriageEvents.registered, DivorceEvents.registered],
  map(event: EventEnvelope): EventMapping {
    if (event.type === MarriageEvents.registered) {
      const d = event.data as MarriageRegisteredV1;
      return facts(fact('marriage.registrations', d.registryDivisionCode, d.registeredOn, 1, `marriage:${d.registrationId}`));
    }
    // A divorce registration issues its certificate (离婚证, L…) in the same transaction, printed
    // from the registration itself: no certificate event of its own, and it matches by construction.
    // The service's 出证准确率 counts these too.
    const d = event.data as DivorceRegisteredV1;
    return facts(
      fact('divorce.registrations', d.registryDivisionCode, d.registeredOn, 1, `divorce:${d.registrationId}`),
      fact('certificates.issued', d.registryDivisionCode, d.registeredOn, 1, `certificate:${d.certificateNumber}:issued`),
      fact('certificates.accurate', d.registryDivisionCode, d.registeredOn, 1, `certificate:${d.certificateNumber}:accurate`),
    );
  },
};

/** 结婚证 originals and reissues (补领); the division is the registry's (the envelope's). */
const certificates: EventMapper = {
  types: [MarriageEvents.certificateIssued, MarriageEvents.certificateReissued],
  map(event: EventEnvelope): EventMapping {
    const d = event.data as CertificateIssuedV1;
    return facts(
      fact('certificates.issued', event.divisioncode, d.issuedOn, 1, `certificate:${d.certificateNumber}:issued`),
      fact('certificates.accurate', event.divisioncode, d.issuedOn, d.matchesRegistration ? 1 : 0, `certificate:${d.certificateNumber}:accurate`),
    );
  },
};

const counselling: EventMapper = {
  types: [CounsellingEvents.sessionRecorded],
  map(event: EventEnvelope): EventMapping {
    const d = event.data as CounsellingSessionRecordedV1;
    const key = `counselling:${d.bookingId}`;
    const mediation = d.kind === 'divorce-mediation';
    return facts(
      fact('counselling.sessions', event.divisioncode, d.sessionDate, 1, `${key}:session`),
      fact('counselling.divorce-mediations', event.divisioncode, d.sessionDate, mediation ? 1 : 0, `${key}:mediation`),
      fact('counselling.reconciled', event.divisioncode, d.sessionDate, mediation && d.outcome === 'reconciled' ? 1 : 0, `${key}:reconciled`),
    );
  },
};

/**
 * Organisations as a stock (entity kind `organisation`, attributes orgType and registeredBy). 基金会
 * are registered by the province and only recorded by the district (`organisation.recorded`): they
 * are kept as versions with registeredBy 'province' but left out of `organisations`, which counts
 * what the district registered (the seed's 133 = 社会团体 + 民办非企业单位); `organisations.foundations`
 * counts them on their own.
 */
const organisations: EventMapper = {
  types: [SocialOrganisationEvents.registered, SocialOrganisationEvents.recorded, SocialOrganisationEvents.deregistered, SocialOrganisationEvents.inspected],
  map(event: EventEnvelope): EventMapping {
    if (event.type === SocialOrganisationEvents.inspected) {
      const d = event.data as OrganisationInspectedV1;
      const key = `organisation-inspection:${d.orgId}:${d.year}`;
      return facts(
        fact('organisations.inspections', event.divisioncode, d.inspectedOn, 1, key),
        fact('organisations.inspections.passed', event.divisioncode, d.inspectedOn, d.result === 'pass' ? 1 : 0, `${key}:passed`),
      );
    }
    if (event.type === SocialOrganisationEvents.deregistered) {
      const d = event.data as OrganisationDeregisteredV1;
      return states({
        entityKind: 'organisation',
        entityId: d.orgId,
        effectiveFrom: d.deregisteredOn,
        active: false,
        divisionCode: twelve(event.divisioncode),
        urbanRural: null,
        persons: 0,
        attributes: { orgType: d.type, registeredBy: d.type === 'foundation' ? 'province' : 'county' },
      });
    }
    const d = event.data as OrganisationRegisteredV1;
    return states({
      entityKind: 'organisation',
      entityId: d.orgId,
      effectiveFrom: d.registeredOn,
      active: true,
      divisionCode: twelve(event.divisioncode),
      urbanRural: null,
      persons: 0,
      attributes: { orgType: d.type, registeredBy: d.registeredBy },
    });
  },
};

const PROGRAMMES: readonly AllowanceProgramme[] = ['orphan', 'de-facto-unsupported', 'disability-living', 'disability-care'];

/**
 * One payroll per (period, programme), totals by township: a fact per township line keyed by
 * programme, period and township, so a corrected re-run restates (replaces) the figures. A township
 * dropped from a corrected run keeps its earlier line: the services never drop one (a correction
 * restates every line), so this is accepted.
 */
const allowancePayroll: EventMapper = {
  types: [AllowanceEvents.payrollCompleted],
  map(event: EventEnvelope): EventMapping {
    const d = event.data as AllowancePayrollCompletedV1;
    const date = firstDayOf(d.period);
    return facts(
      ...d.lines.flatMap((line) => {
        const key = `allowance-payroll:${d.programme}:${d.period}:${line.townshipCode}`;
        return [
          fact(`allowance.${d.programme}.paid`, line.townshipCode, date, line.amountFen, `${key}:paid`),
          fact(`allowance.${d.programme}.person-months`, line.townshipCode, date, line.persons, `${key}:persons`),
        ];
      }),
    );
  },
};

/** Beneficiaries as a stock (entity kind `allowance-enrolment`, attribute programme), the envelope's division being the beneficiary's. */
const allowanceEnrolments: EventMapper = {
  types: [AllowanceEvents.enrolled, AllowanceEvents.ended],
  map(event: EventEnvelope): EventMapping {
    if (event.type === AllowanceEvents.enrolled) {
      const d = event.data as AllowanceEnrolledV1;
      return states({ entityKind: 'allowance-enrolment', entityId: d.enrolmentId, effectiveFrom: firstDayOf(d.firstPeriod), active: true, divisionCode: twelve(event.divisioncode), urbanRural: null, persons: 1, attributes: { programme: d.programme } });
    }
    const d = event.data as AllowanceEndedV1;
    return states({ entityKind: 'allowance-enrolment', entityId: d.enrolmentId, effectiveFrom: dayAfterPeriod(d.lastPeriod), active: false, divisionCode: twelve(event.divisioncode), urbanRural: null, persons: 1, attributes: { programme: d.programme } });
  },
};

/**
 * Cemetery bookings by visit date, keyed by booking: confirmed counts one booking, a cancellation
 * (always later) restates it as none; a check-in counts its visitors (those who came), a no-show one no-show.
 */
const cemetery: EventMapper = {
  types: [CemeteryEvents.confirmed, CemeteryEvents.cancelled, CemeteryEvents.checkedIn, CemeteryEvents.noShow],
  map(event: EventEnvelope): EventMapping {
    const d = event.data as CemeteryBookingEventV1;
    const key = `cemetery-booking:${d.bookingId}`;
    switch (event.type) {
      case CemeteryEvents.confirmed:
        return facts(fact('cemetery.bookings', event.divisioncode, d.visitDate, 1, key));
      case CemeteryEvents.cancelled:
        return facts(fact('cemetery.bookings', event.divisioncode, d.visitDate, 0, key));
      case CemeteryEvents.checkedIn:
        return facts(fact('cemetery.visitors', event.divisioncode, d.visitDate, d.visitors, `${key}:visitors`));
      default:
        return facts(fact('cemetery.no-shows', event.divisioncode, d.visitDate, 1, `${key}:no-show`));
    }
  },
};

const socialWork: EventMapper = {
  types: [SocialWorkEvents.activityRecorded],
  map(event: EventEnvelope): EventMapping {
    const d = event.data as SocialWorkActivityRecordedV1;
    const key = `social-work:${d.activityId}`;
    return facts(
      fact('social-work.activities', event.divisioncode, d.heldOn, 1, key),
      fact('social-work.persons-served', event.divisioncode, d.heldOn, d.personsServed, `${key}:persons`),
    );
  },
};

export const SOCIAL_AFFAIRS_MAPPERS: EventMapper[] = [registrations, certificates, counselling, organisations, allowancePayroll, allowanceEnrolments, cemetery, socialWork];

const ALLOWANCE_LABELS: Record<AllowanceProgramme, string> = {
  orphan: '孤儿基本生活费',
  'de-facto-unsupported': '事实无人抚养儿童生活补贴',
  'disability-living': '困难残疾人生活补贴',
  'disability-care': '重度残疾人护理补贴',
};

export const SOCIAL_AFFAIRS_ELEMENTS: DataElement[] = [
  { code: 'marriage.registrations', kind: 'flow', label: '结婚登记 (对)', unit: 'count' },
  { code: 'divorce.registrations', kind: 'flow', label: '离婚登记 (对)', unit: 'count' },
  { code: 'certificates.issued', kind: 'flow', label: '发放婚姻登记证件 (结婚证、补领、离婚证)', unit: 'count' },
  { code: 'certificates.accurate', kind: 'flow', label: '与登记一致的证件', unit: 'count' },
  { code: 'counselling.sessions', kind: 'flow', label: '「镜圆」婚姻家庭辅导 (次)', unit: 'count' },
  { code: 'counselling.divorce-mediations', kind: 'flow', label: '离婚调解 (次)', unit: 'count' },
  { code: 'counselling.reconciled', kind: 'flow', label: '调解和好 (次)', unit: 'count' },
  { code: 'organisations', kind: 'stock', label: '登记在册社会组织 (区登记)', unit: 'count', entityKind: 'organisation', measure: 'entities', where: { registeredBy: 'county' } },
  { code: 'organisations.social-groups', kind: 'stock', label: '社会团体', unit: 'count', entityKind: 'organisation', measure: 'entities', where: { orgType: 'social-group' } },
  { code: 'organisations.private-non-enterprise', kind: 'stock', label: '民办非企业单位', unit: 'count', entityKind: 'organisation', measure: 'entities', where: { orgType: 'private-non-enterprise' } },
  { code: 'organisations.foundations', kind: 'stock', label: '基金会 (省登记、区备案)', unit: 'count', entityKind: 'organisation', measure: 'entities', where: { orgType: 'foundation' } },
  { code: 'organisations.inspections', kind: 'flow', label: '社会组织年检结论', unit: 'count' },
  { code: 'organisations.inspections.passed', kind: 'flow', label: '年检合格', unit: 'count' },
  ...PROGRAMMES.flatMap((p): DataElement[] => [
    { code: `allowance.${p}.paid`, kind: 'flow', label: `${ALLOWANCE_LABELS[p]}发放金额`, unit: 'fen' },
    { code: `allowance.${p}.person-months`, kind: 'flow', label: `${ALLOWANCE_LABELS[p]}发放人月`, unit: 'person-months' },
    { code: `allowance.${p}.beneficiaries`, kind: 'stock', label: `${ALLOWANCE_LABELS[p]}在保人数`, unit: 'persons', entityKind: 'allowance-enrolment', measure: 'entities', where: { programme: p } },
  ]),
  { code: 'cemetery.bookings', kind: 'flow', label: '祭扫预约 (未取消)', unit: 'count' },
  { code: 'cemetery.visitors', kind: 'flow', label: '祭扫入园人数', unit: 'persons' },
  { code: 'cemetery.no-shows', kind: 'flow', label: '预约未到', unit: 'count' },
  { code: 'social-work.activities', kind: 'flow', label: '社工站志愿服务活动 (场)', unit: 'count' },
  { code: 'social-work.persons-served', kind: 'flow', label: '社工站服务人次', unit: 'person-times' },
];
