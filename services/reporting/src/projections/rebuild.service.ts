import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parseEnvelope, type EventEnvelope } from '@civil/contracts';
import type { DataSource } from 'typeorm';
import { ProjectionService } from './projection.service';

/** Archived events read and written per round trip. */
const PAGE = 5000;

export interface RebuildResult {
  events: number;
  mapped: number;
  facts: number;
  states: number;
  seconds: number;
}

/**
 * Rebuilds every projection from the event archive in one transaction: the tables are emptied
 * and refilled page by page through the same mappers the live ingestion uses. The TRUNCATE's lock
 * makes the live consumer wait until the rebuild commits, so no event is applied twice or lost;
 * readers see the old figures until then.
 */
@Injectable()
export class RebuildService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projections: ProjectionService,
  ) {}

  async rebuild(): Promise<RebuildResult> {
    const started = Date.now();
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`TRUNCATE fact, state_version`);
      let after = 0;
      let events = 0;
      let mapped = 0;
      for (;;) {
        const rows = await manager.query<{ seq: string; envelope: unknown }[]>(
          `SELECT archive_seq AS seq, envelope FROM event_archive WHERE archive_seq > $1 AND type = ANY($2) ORDER BY archive_seq LIMIT ${PAGE}`,
          [after, this.projections.mappedTypes()],
        );
        if (rows.length === 0) break;
        const items: { event: EventEnvelope; mapping: NonNullable<ReturnType<ProjectionService['map']>> }[] = [];
        for (const row of rows) {
          const event = parseEnvelope(JSON.stringify(row.envelope));
          const mapping = this.projections.map(event);
          if (mapping !== null) items.push({ event, mapping });
        }
        await this.projections.write(items, manager);
        events += rows.length;
        mapped += items.length;
        after = Number(rows[rows.length - 1]?.seq ?? after);
      }
      const [counts] = await manager.query<{ facts: number; states: number }[]>(
        `SELECT (SELECT count(*) FROM fact)::int AS facts, (SELECT count(*) FROM state_version)::int AS states`,
      );
      return { events, mapped, facts: counts?.facts ?? 0, states: counts?.states ?? 0, seconds: (Date.now() - started) / 1000 };
    });
  }
}
