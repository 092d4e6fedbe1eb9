import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reporting's projections: flow facts and stock state versions, both derived from the event
 * archive by the mappers and rebuildable from it (`node dist/rebuild.js`).
 */
export class Projections1764000050000 implements MigrationInterface {
  name = 'Projections1764000050000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fact (
        key text PRIMARY KEY,
        element text NOT NULL,
        division_code char(12) NOT NULL,
        business_date date NOT NULL,
        urban_rural text CHECK (urban_rural IN ('urban', 'rural')),
        value numeric NOT NULL,
        event_id uuid NOT NULL,
        event_time timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX fact_by_element_date ON fact (element, business_date)`);
    await q.query(`
      CREATE TABLE state_version (
        entity_kind text NOT NULL,
        entity_id text NOT NULL,
        event_id uuid NOT NULL,
        effective_from date NOT NULL,
        event_time timestamptz NOT NULL,
        active boolean NOT NULL,
        division_code char(12) NOT NULL,
        urban_rural text CHECK (urban_rural IN ('urban', 'rural')),
        persons integer NOT NULL CHECK (persons >= 0),
        attributes jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (entity_kind, entity_id, event_id)
      )`);
    await q.query(`CREATE INDEX state_version_as_of ON state_version (entity_kind, entity_id, effective_from DESC, event_time DESC)`);
    // The archive in the order events were archived, for rebuilds that page through it.
    await q.query(`ALTER TABLE event_archive ADD COLUMN archive_seq bigint GENERATED ALWAYS AS IDENTITY`);
    await q.query(`CREATE UNIQUE INDEX event_archive_in_order ON event_archive (archive_seq)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX event_archive_in_order`);
    await q.query(`ALTER TABLE event_archive DROP COLUMN archive_seq`);
    await q.query(`DROP TABLE state_version`);
    await q.query(`DROP TABLE fact`);
  }
}
