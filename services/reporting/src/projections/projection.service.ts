import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@civil/contracts';
import type { EntityManager } from 'typeorm';
import { ALL_MAPPERS } from './mappers';
import { mapperIndex, townshipOf, type EventMapper, type EventMapping } from './mapping';

/**
 * Applies events to the projections with the mappers: facts (flows) and state versions (stocks).
 * Idempotent and order-independent: a fact belongs to its key (the later event wins), a state
 * version to its event, so a redelivered event or events in another order give the same tables.
 */
@Injectable()
export class ProjectionService {
  private readonly index: Map<string, EventMapper>;

  constructor(mappers: readonly EventMapper[] = ALL_MAPPERS) {
    this.index = mapperIndex(mappers);
  }

  mappedTypes(): string[] {
    return [...this.index.keys()].sort();
  }

  map(event: EventEnvelope): EventMapping | null {
    return this.index.get(event.type)?.map(event) ?? null;
  }

  async apply(event: EventEnvelope, manager: EntityManager): Promise<void> {
    await this.applyMany([event], manager);
  }

  async applyMany(events: readonly EventEnvelope[], manager: EntityManager): Promise<void> {
    const items = events.flatMap((event) => {
      const mapping = this.map(event);
      return mapping === null ? [] : [{ event, mapping }];
    });
    if (items.length > 0) await this.write(items, manager);
  }

  /** Writes the mappings of many events with one statement per table (the rebuild's path). */
  async write(items: readonly { event: EventEnvelope; mapping: EventMapping }[], manager: EntityManager): Promise<void> {
    const facts = items.flatMap(({ event, mapping }) =>
      mapping.facts.map((f, i) => ({ ...f, key: f.key ?? `${event.id}#${i}`, eventId: event.id, eventTime: event.time })),
    );
    if (facts.length > 0) {
      // Several facts of one batch may share a key: keep the latest per key before the upsert.
      const latest = new Map<string, (typeof facts)[number]>();
      for (const f of facts) {
        const seen = latest.get(f.key);
        if (seen === undefined || later(f, seen)) latest.set(f.key, f);
      }
      const rows = [...latest.values()];
      await manager.query(
        `INSERT INTO fact (key, element, division_code, business_date, urban_rural, value, event_id, event_time)
         SELECT * FROM unnest($1::text[], $2::text[], $3::char(12)[], $4::date[], $5::text[], $6::numeric[], $7::uuid[], $8::timestamptz[])
         ON CONFLICT (key) DO UPDATE SET element = EXCLUDED.element, division_code = EXCLUDED.division_code, business_date = EXCLUDED.business_date,
           urban_rural = EXCLUDED.urban_rural, value = EXCLUDED.value, event_id = EXCLUDED.event_id, event_time = EXCLUDED.event_time
         WHERE (fact.event_time, fact.event_id) < (EXCLUDED.event_time, EXCLUDED.event_id)`,
        [
          rows.map((f) => f.key),
          rows.map((f) => f.element),
          rows.map((f) => townshipOf(f.divisionCode)),
          rows.map((f) => f.businessDate),
          rows.map((f) => f.urbanRural),
          rows.map((f) => f.value),
          rows.map((f) => f.eventId),
          rows.map((f) => f.eventTime),
        ],
      );
    }
    const states = items.flatMap(({ event, mapping }) => mapping.states.map((s) => ({ ...s, eventId: event.id, eventTime: event.time })));
    if (states.length > 0) {
      await manager.query(
        `INSERT INTO state_version (entity_kind, entity_id, event_id, effective_from, event_time, active, division_code, urban_rural, persons, attributes)
         SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::date[], $5::timestamptz[], $6::boolean[], $7::char(12)[], $8::text[], $9::int[], $10::jsonb[])
         ON CONFLICT DO NOTHING`,
        [
          states.map((s) => s.entityKind),
          states.map((s) => s.entityId),
          states.map((s) => s.eventId),
          states.map((s) => s.effectiveFrom),
          states.map((s) => s.eventTime),
          states.map((s) => s.active),
          states.map((s) => townshipOf(s.divisionCode)),
          states.map((s) => s.urbanRural),
          states.map((s) => s.persons),
          states.map((s) => JSON.stringify(s.attributes ?? {})),
        ],
      );
    }
  }
}

function later(a: { eventTime: string; eventId: string }, b: { eventTime: string; eventId: string }): boolean {
  const ta = Date.parse(a.eventTime);
  const tb = Date.parse(b.eventTime);
  return ta !== tb ? ta > tb : a.eventId > b.eventId;
}
