/**
 * Place names and divisions (区划地名): namings, renamings and abolitions in the gazetteer, the
 * quality-audit campaign's records (国家地名数据库质量提升行动) and division changes. Every fact is
 * dated by the payload's business date.
 */
import {
  DivisionEvents,
  PlaceNameAuditEvents,
  PlaceNameEvents,
  auditDatabaseClassOf,
  type AuditRecordReviewedV1,
  type DivisionChangedV1,
  type EventEnvelope,
  type PlaceNameAbolishedV1,
  type PlaceNameNamedV1,
  type PlaceNameRenamedV1,
} from '@civil/contracts';
import type { DataElement } from '../elements';
import type { EventMapper, EventMapping, FactRow } from '../mapping';

/** A division code as twelve digits (a county's may come with six). */
function twelve(code: string): string {
  return code.padEnd(12, '0');
}

function fact(element: string, divisionCode: string, businessDate: string, value: number, key: string): FactRow {
  return { element, divisionCode: twelve(divisionCode), businessDate, urbanRural: null, value, key };
}

/** The calendar day (China Standard Time, UTC+8) of an instant. */
function dayInChina(time: string): string {
  return new Date(Date.parse(time) + 8 * 3_600_000).toISOString().slice(0, 10);
}

const gazetteer: EventMapper = {
  types: [PlaceNameEvents.named, PlaceNameEvents.renamed, PlaceNameEvents.abolished],
  map(event: EventEnvelope): EventMapping {
    if (event.type === PlaceNameEvents.renamed) {
      const d = event.data as PlaceNameRenamedV1;
      return { facts: [fact('place-names.renamed', d.divisionCode, d.effectiveDate, 1, `place-name-renamed:${d.nameId}:${d.effectiveDate}`)], states: [] };
    }
    if (event.type === PlaceNameEvents.abolished) {
      const d = event.data as PlaceNameAbolishedV1;
      return { facts: [fact('place-names.abolished', d.divisionCode, d.effectiveDate, 1, `place-name-abolished:${d.nameId}`)], states: [] };
    }
    const d = event.data as PlaceNameNamedV1;
    // The approval's date is the naming's business date. A record entered without one (an old name
    // imported into the gazetteer, approval unknown) has no date in the payload: the envelope's time
    // (the day it entered the gazetteer, in China time) stands in.
    const date = d.approval.date ?? dayInChina(event.time);
    return { facts: [fact('place-names.named', d.divisionCode, date, 1, `place-name-named:${d.nameId}`)], states: [] };
  },
};

/**
 * A record of an audit campaign counts once (keyed by campaign and record, a later review of the
 * same record restating it): in the five national database classes or the others, and as corrected
 * or supplemented (0 or 1, so a re-review with another outcome replaces the earlier one).
 */
const audits: EventMapper = {
  types: [PlaceNameAuditEvents.recordReviewed],
  map(event: EventEnvelope): EventMapping {
    const d = event.data as AuditRecordReviewedV1;
    const key = `place-name-audit:${d.campaignId}:${d.nameId}`;
    const fiveClasses = auditDatabaseClassOf(d.category) !== 'other';
    return {
      facts: [
        fact('place-names.audit.five-classes', d.divisionCode, d.reviewedOn, fiveClasses ? 1 : 0, `${key}:five-classes`),
        fact('place-names.audit.other', d.divisionCode, d.reviewedOn, fiveClasses ? 0 : 1, `${key}:other`),
        fact('place-names.audit.corrected', d.divisionCode, d.reviewedOn, d.outcome === 'corrected' ? 1 : 0, `${key}:corrected`),
        fact('place-names.audit.supplemented', d.divisionCode, d.reviewedOn, d.outcome === 'supplemented' ? 1 : 0, `${key}:supplemented`),
      ],
      states: [],
    };
  },
};

/** One change per event, in the division that carries on (else the one that ended, else the envelope's). */
const divisions: EventMapper = {
  types: [DivisionEvents.changed],
  map(event: EventEnvelope): EventMapping {
    const d = event.data as DivisionChangedV1;
    const division = d.successors[0]?.code ?? d.predecessors[0]?.code ?? event.divisioncode;
    return { facts: [fact('divisions.changes', division, d.effectiveDate, 1, `division-change:${d.changeId}`)], states: [] };
  },
};

export const PLACE_NAMES_MAPPERS: EventMapper[] = [gazetteer, audits, divisions];

export const PLACE_NAMES_ELEMENTS: DataElement[] = [
  { code: 'place-names.named', kind: 'flow', label: '地名命名 (含录入)', unit: 'count' },
  { code: 'place-names.renamed', kind: 'flow', label: '地名更名', unit: 'count' },
  { code: 'place-names.abolished', kind: 'flow', label: '地名销名', unit: 'count' },
  { code: 'place-names.audit.five-classes', kind: 'flow', label: '地名数据库质量提升: 五类地名审核', unit: 'count' },
  { code: 'place-names.audit.other', kind: 'flow', label: '地名数据库质量提升: 五类之外地名审核', unit: 'count' },
  { code: 'place-names.audit.corrected', kind: 'flow', label: '审核中修改', unit: 'count' },
  { code: 'place-names.audit.supplemented', kind: 'flow', label: '审核中补录', unit: 'count' },
  { code: 'divisions.changes', kind: 'flow', label: '行政区划变更', unit: 'count' },
];
