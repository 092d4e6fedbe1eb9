/**
 * Social assistance (社会救助) into reporting's facts and stock states: 低保 households and their
 * applications, the monthly payrolls of 低保 and 特困, 特困 persons, temporary assistance and charity.
 *
 * Business dates come from the payloads, never from the envelope's `time`:
 * - a 低保 case started / adjusted / stopped, a 特困 person enrolled / changed / ended: the first
 *   day of the payload's `effectivePeriod` (the first month paid at the new state; for a stop or
 *   an end, the first month no longer paid). So a case approved on 25 December (paid from January)
 *   is new in the next year, and one stopped at a December review (unpaid from January) stops in
 *   the next year; the social-assistance demo counts by approval and review date instead, which is
 *   the same in 2023 because its approvals and stopping reviews fall in January–November;
 * - a payroll: the first day of its `period`;
 * - an application submitted, approved or rejected: its `decisionDate` (for `submitted`, the day
 *   of submission);
 * - temporary assistance: `grantedOn`; a funeral subsidy: `grantedOn`; a charity donation:
 *   `receivedOn`; a charity activity: `heldOn`.
 * The division of a fact or state is the envelope's `divisioncode` (the household's, the person's,
 * the case's), except for payroll facts, which carry each line's `townshipCode`.
 *
 * Not mapped: `household.registered` (no business date in its payload, and no figure needs it),
 * `charity.campaign-created` (no figure), `payroll.exported` (an audit record of a bank-file export).
 */
import type { EventEnvelope } from '@civil/contracts';
import {
  CharityEvents,
  DibaoCaseEvents,
  DibaoEvents,
  PayrollEvents,
  TekunEvents,
  TemporaryAssistanceEvents,
  type CharityActivityRecordedV1,
  type CharityDonationReceivedV1,
  type DibaoApplicationDecidedV1,
  type DibaoHouseholdAdjustedV1,
  type DibaoHouseholdStartedV1,
  type DibaoHouseholdStoppedV1,
  type PayrollCompletedV1,
  type TekunChangedV1,
  type TekunEndedV1,
  type TekunEnrolledV1,
  type TekunFuneralSubsidyGrantedV1,
  type TemporaryAssistanceGrantedV1,
} from '@civil/contracts';
import type { DataElement } from '../elements';
import { firstDayOf, type EventMapper, type EventMapping, type FactRow, type UrbanRuralOrNone } from '../mapping';

export const DIBAO_HOUSEHOLD = 'dibao-household';
export const TEKUN_PERSON = 'tekun-person';

type Data<T> = EventEnvelope & { data: T };

function fact(element: string, divisionCode: string, businessDate: string, urbanRural: UrbanRuralOrNone, value: number, key?: string): FactRow {
  return { element, divisionCode, businessDate, urbanRural, value, ...(key === undefined ? {} : { key }) };
}

/** Facts of a list, leaving out zeros (a goods-only donation adds no funds). */
function nonZero(facts: FactRow[]): FactRow[] {
  return facts.filter((f) => f.value !== 0);
}

function mapper<T>(types: readonly string[], map: (event: Data<T>) => EventMapping): EventMapper {
  return { types, map: (event) => map(event as Data<T>) };
}

// ---------------------------------------------------------------------------------------------
// 低保 applications: counted on their decision dates. Whether a decision was in time (30 working
// days from submission, 45 when extended, by the holiday calendar) is social assistance's to say:
// its approved/rejected events carry `inTime` (events recorded before that field existed count
// as decided, not as decided in time).
// ---------------------------------------------------------------------------------------------

const applicationSubmitted = mapper<DibaoApplicationDecidedV1>([DibaoEvents.applicationSubmitted], (e) => ({
  facts: [fact('dibao.applications.submitted', e.divisioncode, e.data.decisionDate, e.data.urbanRural, 1)],
  states: [],
}));

const applicationApproved = mapper<DibaoApplicationDecidedV1>([DibaoEvents.applicationApproved], (e) => ({
  facts: [
    fact('dibao.applications.decided', e.divisioncode, e.data.decisionDate, e.data.urbanRural, 1),
    fact('dibao.applications.approved', e.divisioncode, e.data.decisionDate, e.data.urbanRural, 1),
    ...(e.data.inTime === true ? [fact('dibao.applications.decided-in-time', e.divisioncode, e.data.decisionDate, e.data.urbanRural, 1)] : []),
  ],
  states: [],
}));

const applicationRejected = mapper<DibaoApplicationDecidedV1>([DibaoEvents.applicationRejected], (e) => ({
  facts: [
    fact('dibao.applications.decided', e.divisioncode, e.data.decisionDate, e.data.urbanRural, 1),
    fact('dibao.applications.rejected', e.divisioncode, e.data.decisionDate, e.data.urbanRural, 1),
    ...(e.data.inTime === true ? [fact('dibao.applications.decided-in-time', e.divisioncode, e.data.decisionDate, e.data.urbanRural, 1)] : []),
  ],
  states: [],
}));

// ---------------------------------------------------------------------------------------------
// 低保 households: one entity per household (a household has at most one open case; an adjustment
// opens a new case id for the same household, a later re-application starts it again).
// ---------------------------------------------------------------------------------------------

const householdStarted = mapper<DibaoHouseholdStartedV1>([DibaoEvents.householdStarted], (e) => {
  const d = e.data;
  const from = firstDayOf(d.effectivePeriod);
  // A case carried over from the previous system with the opening caseload is in the stock from
  // its original start, but it is not a new case of the year it was imported in. Events from
  // before `origin` existed were all approvals here.
  const isNew = d.origin !== 'import';
  return {
    facts: isNew
      ? [fact('dibao.new.households', e.divisioncode, from, d.urbanRural, 1), fact('dibao.new.persons', e.divisioncode, from, d.urbanRural, d.persons)]
      : [],
    states: [{ entityKind: DIBAO_HOUSEHOLD, entityId: d.householdId, effectiveFrom: from, active: true, divisionCode: e.divisioncode, urbanRural: d.urbanRural, persons: d.persons }],
  };
});

const householdAdjusted = mapper<DibaoHouseholdAdjustedV1>([DibaoCaseEvents.householdAdjusted], (e) => {
  const d = e.data;
  const from = firstDayOf(d.effectivePeriod);
  return {
    facts: [
      fact('dibao.adjusted.households', e.divisioncode, from, d.urbanRural, 1),
      fact('dibao.adjusted.persons-change', e.divisioncode, from, d.urbanRural, d.personsAfter - d.personsBefore),
    ],
    states: [{ entityKind: DIBAO_HOUSEHOLD, entityId: d.householdId, effectiveFrom: from, active: true, divisionCode: e.divisioncode, urbanRural: d.urbanRural, persons: d.personsAfter }],
  };
});

const householdStopped = mapper<DibaoHouseholdStoppedV1>([DibaoCaseEvents.householdStopped], (e) => {
  const d = e.data;
  const from = firstDayOf(d.effectivePeriod);
  return {
    facts: [fact('dibao.stopped.households', e.divisioncode, from, d.urbanRural, 1), fact('dibao.stopped.persons', e.divisioncode, from, d.urbanRural, d.persons)],
    states: [{ entityKind: DIBAO_HOUSEHOLD, entityId: d.householdId, effectiveFrom: from, active: false, divisionCode: e.divisioncode, urbanRural: d.urbanRural, persons: d.persons }],
  };
});

// ---------------------------------------------------------------------------------------------
// Payrolls: one payroll.completed per (period, programme) with totals per township × urban/rural.
//
// Every fact is keyed `payroll:<programme>:<period>:<township>:<urbanRural>:<measure>`, so a later
// payroll.completed for the same period and programme (a corrected re-run) restates the cells it
// lists and replaces the earlier values instead of adding to them; the projection keeps, per key,
// the fact of the latest event (event time, then id), whatever order the events arrive in.
// In social-assistance today a second `run` of a completed payroll returns the stored totals and
// emits nothing (PayrollService.run), so only a correction would ever emit a second event for a
// period. A cell that a correction no longer lists (a township × class left with no payee) keeps
// its earlier value: the event carries no zero line for it, and a pure mapper cannot know which
// cells an earlier event had. If social-assistance ever corrects a payroll that way, it must list
// such a cell with zeros (or reporting must key by payroll and replace the whole set).
//
// 月人均救助水平 (monthly per-capita level) = dibao.paid / dibao.person-months over the same range and
// filter: each monthly line counts its persons once per month paid (2023 urban: 2339.7293万元 over
// the year's person-months → 395.96元), the formula of social-assistance's perCapitaMonthlyLevel.
// ---------------------------------------------------------------------------------------------

const payrollCompleted = mapper<PayrollCompletedV1>([PayrollEvents.completed], (e) => {
  const d = e.data;
  const on = firstDayOf(d.period);
  const facts = d.lines.flatMap((line) => {
    const key = (measure: string): string => `payroll:${d.programme}:${d.period}:${line.townshipCode}:${line.urbanRural}:${measure}`;
    switch (d.programme) {
      case 'dibao':
        return [
          fact('dibao.paid', line.townshipCode, on, line.urbanRural, line.amountFen, key('paid')),
          fact('dibao.person-months', line.townshipCode, on, line.urbanRural, line.persons, key('persons')),
          fact('dibao.household-months', line.townshipCode, on, line.urbanRural, line.households, key('households')),
        ];
      case 'tekun':
        return [
          fact('tekun.paid', line.townshipCode, on, line.urbanRural, line.amountFen, key('paid')),
          fact('tekun.person-months', line.townshipCode, on, line.urbanRural, line.persons, key('persons')),
        ];
    }
  });
  return { facts, states: [] };
});

// ---------------------------------------------------------------------------------------------
// 特困 persons: one entity per person (the registry membership), with the care mode as attribute.
// ---------------------------------------------------------------------------------------------

const tekunEnrolled = mapper<TekunEnrolledV1>([TekunEvents.enrolled], (e) => {
  const d = e.data;
  const from = firstDayOf(d.effectivePeriod);
  return {
    // An imported person was supported before this system took over: not new in the import year.
    facts: d.origin === 'import' ? [] : [fact('tekun.new.persons', e.divisioncode, from, d.urbanRural, 1)],
    states: [{ entityKind: TEKUN_PERSON, entityId: d.personId, effectiveFrom: from, active: true, divisionCode: e.divisioncode, urbanRural: d.urbanRural, persons: 1, attributes: { careMode: d.careMode } }],
  };
});

const tekunChanged = mapper<TekunChangedV1>([TekunEvents.changed], (e) => {
  const d = e.data;
  return {
    facts: [],
    states: [
      { entityKind: TEKUN_PERSON, entityId: d.personId, effectiveFrom: firstDayOf(d.effectivePeriod), active: true, divisionCode: e.divisioncode, urbanRural: d.urbanRural, persons: 1, attributes: { careMode: d.careModeAfter } },
    ],
  };
});

const tekunEnded = mapper<TekunEndedV1>([TekunEvents.ended], (e) => {
  const d = e.data;
  const from = firstDayOf(d.effectivePeriod);
  return {
    facts: [fact('tekun.ended.persons', e.divisioncode, from, d.urbanRural, 1)],
    states: [{ entityKind: TEKUN_PERSON, entityId: d.personId, effectiveFrom: from, active: false, divisionCode: e.divisioncode, urbanRural: d.urbanRural, persons: 1, attributes: { careMode: d.careMode } }],
  };
});

const tekunFuneralSubsidy = mapper<TekunFuneralSubsidyGrantedV1>([TekunEvents.funeralSubsidyGranted], (e) => ({
  facts: [fact('tekun.funeral-subsidies', e.divisioncode, e.data.grantedOn, e.data.urbanRural, 1), fact('tekun.funeral-subsidy.paid', e.divisioncode, e.data.grantedOn, e.data.urbanRural, e.data.amountFen)],
  states: [],
}));

// ---------------------------------------------------------------------------------------------
// 临时救助 and 慈善.
// ---------------------------------------------------------------------------------------------

const temporaryGranted = mapper<TemporaryAssistanceGrantedV1>([TemporaryAssistanceEvents.granted], (e) => {
  const d = e.data;
  return {
    facts: [
      fact('temporary.cases', e.divisioncode, d.grantedOn, d.urbanRural, 1),
      fact('temporary.person-times', e.divisioncode, d.grantedOn, d.urbanRural, d.persons),
      fact('temporary.paid', e.divisioncode, d.grantedOn, d.urbanRural, d.amountFen),
    ],
    states: [],
  };
});

/** 统筹整合…资金: money received into the charity pools (the general fund and the campaigns). */
const charityDonation = mapper<CharityDonationReceivedV1>([CharityEvents.donationReceived], (e) => {
  const d = e.data;
  return {
    facts: nonZero([fact('charity.funds', e.divisioncode, d.receivedOn, null, d.fundsInFen), fact('charity.goods-received-value', e.divisioncode, d.receivedOn, null, d.goodsInValueFen)]),
    states: [],
  };
});

const charityActivity = mapper<CharityActivityRecordedV1>([CharityEvents.activityRecorded], (e) => {
  const d = e.data;
  return {
    facts: [
      fact('charity.activities', e.divisioncode, d.heldOn, null, 1),
      ...nonZero([
        fact('charity.households-visited', e.divisioncode, d.heldOn, null, d.householdsVisited),
        fact('charity.persons-served', e.divisioncode, d.heldOn, null, d.personsServed),
        fact('charity.goods-value', e.divisioncode, d.heldOn, null, d.goodsValueFen),
        fact('charity.funds-distributed', e.divisioncode, d.heldOn, null, d.fundsOutFen),
      ]),
    ],
    states: [],
  };
});

export const SOCIAL_ASSISTANCE_MAPPERS: EventMapper[] = [
  applicationSubmitted,
  applicationApproved,
  applicationRejected,
  householdStarted,
  householdAdjusted,
  householdStopped,
  payrollCompleted,
  tekunEnrolled,
  tekunChanged,
  tekunEnded,
  tekunFuneralSubsidy,
  temporaryGranted,
  charityDonation,
  charityActivity,
];

export const SOCIAL_ASSISTANCE_ELEMENTS: DataElement[] = [
  { code: 'dibao.applications.submitted', kind: 'flow', label: '低保申请受理数', unit: 'count' },
  { code: 'dibao.applications.decided', kind: 'flow', label: '低保申请办结数（批准与不予批准）', unit: 'count' },
  { code: 'dibao.applications.decided-in-time', kind: 'flow', label: '低保申请按时办结数（法定期限内）', unit: 'count' },
  { code: 'dibao.applications.approved', kind: 'flow', label: '低保申请批准数', unit: 'count' },
  { code: 'dibao.applications.rejected', kind: 'flow', label: '低保申请不予批准数', unit: 'count' },
  { code: 'dibao.new.households', kind: 'flow', label: '新增城乡低保户数', unit: 'households' },
  { code: 'dibao.new.persons', kind: 'flow', label: '新增城乡低保人数', unit: 'persons' },
  { code: 'dibao.adjusted.households', kind: 'flow', label: '低保调整户数', unit: 'households' },
  { code: 'dibao.adjusted.persons-change', kind: 'flow', label: '低保调整增减人数', unit: 'persons' },
  { code: 'dibao.stopped.households', kind: 'flow', label: '停发低保户数', unit: 'households' },
  { code: 'dibao.stopped.persons', kind: 'flow', label: '停发低保人数', unit: 'persons' },
  { code: 'dibao.paid', kind: 'flow', label: '低保发放金额', unit: 'fen' },
  { code: 'dibao.person-months', kind: 'flow', label: '低保发放人月数（月人均救助水平 = 发放金额 ÷ 人月数）', unit: 'person-months' },
  { code: 'dibao.household-months', kind: 'flow', label: '低保发放户月数', unit: 'count' },
  { code: 'dibao.households', kind: 'stock', label: '城乡低保对象户数', unit: 'households', entityKind: DIBAO_HOUSEHOLD, measure: 'entities' },
  { code: 'dibao.persons', kind: 'stock', label: '城乡低保对象人数', unit: 'persons', entityKind: DIBAO_HOUSEHOLD, measure: 'persons' },
  { code: 'tekun.paid', kind: 'flow', label: '特困供养发放金额', unit: 'fen' },
  { code: 'tekun.person-months', kind: 'flow', label: '特困供养发放人月数', unit: 'person-months' },
  { code: 'tekun.new.persons', kind: 'flow', label: '新增特困供养人数', unit: 'persons' },
  { code: 'tekun.ended.persons', kind: 'flow', label: '终止特困供养人数', unit: 'persons' },
  { code: 'tekun.funeral-subsidies', kind: 'flow', label: '特困人员丧葬补助件数', unit: 'count' },
  { code: 'tekun.funeral-subsidy.paid', kind: 'flow', label: '特困人员丧葬补助金额', unit: 'fen' },
  { code: 'tekun.persons', kind: 'stock', label: '特困供养对象人数', unit: 'persons', entityKind: TEKUN_PERSON, measure: 'entities' },
  { code: 'tekun.persons.centralized', kind: 'stock', label: '集中供养人数', unit: 'persons', entityKind: TEKUN_PERSON, measure: 'entities', where: { careMode: 'centralized' } },
  { code: 'tekun.persons.dispersed', kind: 'stock', label: '分散供养人数', unit: 'persons', entityKind: TEKUN_PERSON, measure: 'entities', where: { careMode: 'dispersed' } },
  { code: 'temporary.cases', kind: 'flow', label: '临时救助件数', unit: 'count' },
  { code: 'temporary.person-times', kind: 'flow', label: '临时救助人次', unit: 'person-times' },
  { code: 'temporary.paid', kind: 'flow', label: '临时救助资金', unit: 'fen' },
  { code: 'charity.funds', kind: 'flow', label: '统筹整合慈善资金', unit: 'fen' },
  { code: 'charity.funds-distributed', kind: 'flow', label: '慈善资金发放', unit: 'fen' },
  { code: 'charity.goods-received-value', kind: 'flow', label: '接收爱心物资价值', unit: 'fen' },
  { code: 'charity.goods-value', kind: 'flow', label: '发放爱心物资价值', unit: 'fen' },
  { code: 'charity.households-visited', kind: 'flow', label: '走访慰问困难群众户数', unit: 'households' },
  { code: 'charity.activities', kind: 'flow', label: '公益慈善活动场次', unit: 'count' },
  { code: 'charity.persons-served', kind: 'flow', label: '慈善服务群众人次', unit: 'person-times' },
];
