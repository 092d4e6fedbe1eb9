import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tables every service gets: the transactional outbox, the processed-event inbox of idempotent
 * consumers, and the dead letters of messages that could not be handled.
 */
export class PlatformOutbox1764000000000 implements MigrationInterface {
  name = 'PlatformOutbox1764000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        subject text NOT NULL,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    // The relay only ever looks at unpublished rows, oldest first.
    await q.query(`CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox`);
  }
}

export class PlatformInbox1764000000001 implements MigrationInterface {
  name = 'PlatformInbox1764000000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE processed_event (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
    await q.query(`
      CREATE TABLE dead_letter (
        id bigserial PRIMARY KEY,
        consumer text NOT NULL,
        stream_sequence bigint,
        subject text NOT NULL,
        payload text NOT NULL,
        error text NOT NULL,
        deliveries integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dead_letter`);
    await q.query(`DROP TABLE processed_event`);
  }
}

export const platformMigrations = [PlatformOutbox1764000000000, PlatformInbox1764000000001];
