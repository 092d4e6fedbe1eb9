import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReportingSchema1764000002000 implements MigrationInterface {
  name = 'ReportingSchema1764000002000';
  async up(q: QueryRunner): Promise<void> {
    // Every event once, with its envelope: the source projections are rebuilt from.
    await q.query(`
      CREATE TABLE event_archive (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        source text NOT NULL,
        subject text NOT NULL,
        division_code char(12) NOT NULL,
        event_time timestamptz NOT NULL,
        actor text NOT NULL,
        traceparent text,
        envelope jsonb NOT NULL,
        stream_sequence bigint,
        archived_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX event_archive_by_type_time ON event_archive (type, event_time)`);
    // Walking-skeleton projection: events per type × township × month (Asia/Shanghai).
    await q.query(`
      CREATE TABLE event_counter (
        event_type text NOT NULL,
        division_code char(12) NOT NULL,
        period char(7) NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (event_type, division_code, period)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE event_counter`);
    await q.query(`DROP TABLE event_archive`);
  }
}
