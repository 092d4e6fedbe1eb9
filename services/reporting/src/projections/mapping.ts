import type { EventEnvelope } from '@civil/contracts';

export type UrbanRuralOrNone = 'urban' | 'rural' | null;

/**
 * A flow figure an event contributes: `value` of `element` in a township on a business date (the
 * date the thing happened by the payload — a payroll's month, a registration's date — never the
 * time the event was published). Facts with the same `key` replace each other, the later event
 * winning (a corrected payroll restates its totals); without a key a fact belongs to its event.
 */
export interface FactRow {
  element: string;
  /** Twelve digits; mappers pass the event's division, the projection keeps its township (first 9 digits). */
  divisionCode: string;
  businessDate: string;
  urbanRural: UrbanRuralOrNone;
  value: number;
  key?: string;
}

/**
 * One dated version of something counted as a stock (a 低保 household, a 特困 person, a care home):
 * as of a date, each entity's latest version on or before it says whether it counts and with what.
 * Out-of-order and redelivered events give the same stock, since versions are keyed by event and
 * ordered by their effective date.
 */
export interface StateVersion {
  entityKind: string;
  entityId: string;
  effectiveFrom: string;
  active: boolean;
  divisionCode: string;
  urbanRural: UrbanRuralOrNone;
  persons: number;
  /** Filterable attributes of the version, e.g. { careMode: 'centralized' }. */
  attributes?: Record<string, string | number | boolean>;
}

export interface EventMapping {
  facts: FactRow[];
  states: StateVersion[];
}

/** Turns the events of some types into facts and state versions. Pure: no I/O. */
export interface EventMapper {
  readonly types: readonly string[];
  map(event: EventEnvelope): EventMapping;
}

export const NO_MAPPING: EventMapping = { facts: [], states: [] };

/** The twelve-digit code of the township-level unit a division belongs to (the county for county-level codes). */
export function townshipOf(divisionCode: string): string {
  return `${divisionCode.slice(0, 9)}000`;
}

/** The first day of a `YYYY-MM` period, as a business date. */
export function firstDayOf(period: string): string {
  return `${period}-01`;
}

/** An index of mappers by event type; an event type mapped twice is a programming error. */
export function mapperIndex(mappers: readonly EventMapper[]): Map<string, EventMapper> {
  const index = new Map<string, EventMapper>();
  for (const mapper of mappers) {
    for (const type of mapper.types) {
      if (index.has(type)) throw new Error(`event type ${type} has two mappers`);
      index.set(type, mapper);
    }
  }
  return index;
}
