import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The city elderly-service platform feed (see `city-feed/`).
 *
 * `city_feed_entry` is append-only and filled by a trigger on the service's `outbox`: every event
 * whose type is listed in `city_feed_event_type` is copied in the very transaction that records
 * it, so an entry exists exactly when the change commits. Each entry carries the id of the
 * transaction that wrote it (`txid`, xid8) and an identity `seq`; readers order by (txid, seq) and
 * only take entries of transactions older than the oldest one still running
 * (`pg_snapshot_xmin(pg_current_snapshot())`): those can no longer change, so a cursor never skips
 * an entry that commits late, and never repeats one.
 *
 * `city_feed_delivery` holds the webhook sender's own cursor and its lease (one sender at a time
 * across replicas); `city_feed_dead_letter` the batches the city did not accept after every retry.
 */
export class CityFeed1764000033000 implements MigrationInterface {
  name = 'CityFeed1764000033000';
  async up(q: QueryRunner): Promise<void> {
    // The events the city receives, and as what. Another event joins the feed with a row here (in a
    // later migration) and a source in city-feed/city-feed.sources.ts.
    await q.query(`
      CREATE TABLE city_feed_event_type (
        type text PRIMARY KEY CHECK (type LIKE 'civil.elderly-care.%'),
        kind text NOT NULL CHECK (kind IN ('institution', 'resident-stay', 'service-delivered'))
      )`);
    await q.query(`
      INSERT INTO city_feed_event_type (type, kind) VALUES
        ('civil.elderly-care.institution.registered.v1', 'institution'),
        ('civil.elderly-care.institution.beds-changed.v1', 'institution'),
        ('civil.elderly-care.institution.closed.v1', 'institution'),
        ('civil.elderly-care.institution-resident.admitted.v1', 'resident-stay'),
        ('civil.elderly-care.institution-resident.discharged.v1', 'resident-stay'),
        ('civil.elderly-care.home-adaptation.completed.v1', 'service-delivered')`);
    await q.query(`
      CREATE TABLE city_feed_entry (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id uuid NOT NULL UNIQUE,
        event_type text NOT NULL,
        kind text NOT NULL,
        division_code text NOT NULL,
        occurred_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (txid, seq)
      )`);
    await q.query(`
      CREATE FUNCTION city_feed_capture() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        feed_kind text;
      BEGIN
        SELECT kind INTO feed_kind FROM city_feed_event_type WHERE type = NEW.type;
        IF feed_kind IS NOT NULL THEN
          INSERT INTO city_feed_entry (event_id, event_type, kind, division_code, occurred_at, data)
          VALUES (NEW.id, NEW.type, feed_kind, coalesce(NEW.envelope->>'divisioncode', ''),
                  coalesce((NEW.envelope->>'time')::timestamptz, NEW.created_at), coalesce(NEW.envelope->'data', '{}'::jsonb));
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER city_feed_capture AFTER INSERT ON outbox
        FOR EACH ROW WHEN (NEW.type LIKE 'civil.elderly-care.%') EXECUTE FUNCTION city_feed_capture()`);
    // Append-only: what the city was given is never rewritten.
    await q.query(`
      CREATE FUNCTION city_feed_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'city_feed_entry is append-only';
      END $$`);
    await q.query(`CREATE TRIGGER city_feed_append_only BEFORE UPDATE OR DELETE ON city_feed_entry FOR EACH ROW EXECUTE FUNCTION city_feed_append_only()`);
    // Events recorded before the feed existed, oldest first.
    await q.query(`
      INSERT INTO city_feed_entry (event_id, event_type, kind, division_code, occurred_at, data)
      SELECT o.id, o.type, t.kind, coalesce(o.envelope->>'divisioncode', ''), coalesce((o.envelope->>'time')::timestamptz, o.created_at), coalesce(o.envelope->'data', '{}'::jsonb)
        FROM outbox o JOIN city_feed_event_type t ON t.type = o.type
       ORDER BY o.created_at, o.id`);

    await q.query(`
      CREATE TABLE city_feed_delivery (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        -- The last entry the city accepted (or that was dead-lettered); NULL: nothing yet.
        cursor text,
        lease_owner text,
        lease_until timestamptz,
        last_delivered_at timestamptz,
        last_error text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO city_feed_delivery (id) VALUES (1)`);
    await q.query(`
      CREATE TABLE city_feed_dead_letter (
        id uuid PRIMARY KEY,
        from_cursor text,
        to_cursor text NOT NULL,
        entries integer NOT NULL CHECK (entries > 0),
        attempts integer NOT NULL CHECK (attempts > 0),
        last_error text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz NOT NULL DEFAULT now(),
        resent_at timestamptz,
        resent_by text
      )`);
    await q.query(`CREATE INDEX city_feed_dead_letter_pending ON city_feed_dead_letter (created_at) WHERE resent_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE city_feed_dead_letter`);
    await q.query(`DROP TABLE city_feed_delivery`);
    await q.query(`DROP TRIGGER city_feed_capture ON outbox`);
    await q.query(`DROP FUNCTION city_feed_capture()`);
    await q.query(`DROP TABLE city_feed_entry`);
    await q.query(`DROP FUNCTION city_feed_append_only()`);
    await q.query(`DROP TABLE city_feed_event_type`);
  }
}
