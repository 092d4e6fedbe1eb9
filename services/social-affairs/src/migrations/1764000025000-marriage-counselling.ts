import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marriage and family counselling (婚姻家庭辅导,「镜圆」): counsellors of a registry, session days
 * (Wednesdays, opened once per registry and date), their slots with one counsellor and a capacity,
 * bookings, and the record of each held session. `booked` never leaves 0..capacity (the service
 * books with a conditional UPDATE on the slot row).
 *
 * Data minimisation: the session record holds codes only (kind, outcome, duration, follow-up
 * needed). There is deliberately no column for notes or any other free text about a session.
 */
export class MarriageCounselling1764000025000 implements MigrationInterface {
  name = 'MarriageCounselling1764000025000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE counsellor (
        id uuid PRIMARY KEY,
        registry_id uuid NOT NULL REFERENCES marriage_registry (id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
        role text NOT NULL CHECK (role IN ('psychologist', 'family-counsellor', 'lawyer', 'social-worker')),
        registered_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX counsellor_registry ON counsellor (registry_id)`);

    await q.query(`
      CREATE TABLE counselling_day (
        registry_id uuid NOT NULL REFERENCES marriage_registry (id),
        session_date date NOT NULL CHECK (extract(isodow FROM session_date) = 3),
        opened_by text NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (registry_id, session_date)
      )`);
    await q.query(`
      CREATE TABLE counselling_slot (
        id uuid PRIMARY KEY,
        registry_id uuid NOT NULL,
        session_date date NOT NULL,
        starts_at time NOT NULL,
        ends_at time NOT NULL,
        counsellor_id uuid NOT NULL REFERENCES counsellor (id),
        capacity integer NOT NULL CHECK (capacity > 0),
        booked integer NOT NULL DEFAULT 0,
        FOREIGN KEY (registry_id, session_date) REFERENCES counselling_day (registry_id, session_date),
        CONSTRAINT counselling_slot_booked_within_capacity CHECK (booked BETWEEN 0 AND capacity),
        CONSTRAINT counselling_slot_ends_after_start CHECK (ends_at > starts_at),
        CONSTRAINT counselling_slot_counsellor_start_unique UNIQUE (counsellor_id, session_date, starts_at)
      )`);
    await q.query(`CREATE INDEX counselling_slot_day ON counselling_slot (registry_id, session_date, starts_at)`);

    await q.query(`
      CREATE TABLE counselling_booking (
        id uuid PRIMARY KEY,
        slot_id uuid NOT NULL REFERENCES counselling_slot (id),
        client_resident_id char(18) NOT NULL,
        partner_resident_id char(18),
        status text NOT NULL DEFAULT 'BOOKED' CHECK (status IN ('BOOKED', 'CANCELLED', 'ATTENDED')),
        booked_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (partner_resident_id IS NULL OR partner_resident_id <> client_resident_id)
      )`);
    // A person holds one live booking per slot.
    await q.query(`CREATE UNIQUE INDEX counselling_booking_live ON counselling_booking (slot_id, client_resident_id) WHERE status = 'BOOKED'`);
    await q.query(`CREATE INDEX counselling_booking_client ON counselling_booking (client_resident_id)`);
    await q.query(`CREATE INDEX counselling_booking_partner ON counselling_booking (partner_resident_id) WHERE partner_resident_id IS NOT NULL`);

    // Codes only: who and when come from the booking and its slot; no free-text column exists.
    await q.query(`
      CREATE TABLE counselling_session_record (
        booking_id uuid PRIMARY KEY REFERENCES counselling_booking (id),
        kind text NOT NULL CHECK (kind IN ('premarital', 'divorce-mediation', 'psychological')),
        outcome text NOT NULL,
        duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 480),
        follow_up_needed boolean NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT counselling_session_record_outcome_of_kind CHECK (
          (kind = 'divorce-mediation' AND outcome IN ('reconciled', 'continuing', 'proceeding-with-divorce', 'referred'))
          OR (kind IN ('premarital', 'psychological') AND outcome IN ('completed', 'referred')))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['counselling_session_record', 'counselling_booking', 'counselling_slot', 'counselling_day', 'counsellor']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
