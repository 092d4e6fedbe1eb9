import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 祭扫预约 (cemetery-visit booking): sites, their time slots with a capacity and the places booked,
 * and the bookings. `booked` never leaves 0..capacity (the service books with a conditional UPDATE
 * on the slot row); the per-grave limit (3 visitors per grave, site and day) is checked under an
 * advisory lock on that grave and day.
 */
export class CemeteryBooking1764000021000 implements MigrationInterface {
  name = 'CemeteryBooking1764000021000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cemetery_site (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        address text NOT NULL,
        is_demo boolean NOT NULL DEFAULT false
      )`);
    // Reference data: 雨溪公墓 in 雨溪街道 (大祥区). Address is a demo value.
    await q.query(
      `INSERT INTO cemetery_site (id, name, division_code, address, is_demo)
       VALUES ('0193a0a0-0000-7000-8000-0000000000c1', '雨溪公墓', '430503010000', '大祥区雨溪街道（演示地址）', true)`,
    );

    await q.query(`
      CREATE TABLE cemetery_slot (
        id uuid PRIMARY KEY,
        site_id uuid NOT NULL REFERENCES cemetery_site (id),
        visit_date date NOT NULL,
        starts_at time NOT NULL,
        ends_at time NOT NULL,
        capacity integer NOT NULL CHECK (capacity > 0),
        booked integer NOT NULL DEFAULT 0,
        CONSTRAINT cemetery_slot_booked_within_capacity CHECK (booked BETWEEN 0 AND capacity),
        CONSTRAINT cemetery_slot_ends_after_start CHECK (ends_at > starts_at),
        CONSTRAINT cemetery_slot_site_day_start_unique UNIQUE (site_id, visit_date, starts_at)
      )`);

    await q.query(`
      CREATE TABLE cemetery_booking (
        id uuid PRIMARY KEY,
        slot_id uuid NOT NULL REFERENCES cemetery_slot (id),
        booking_code text NOT NULL CHECK (booking_code ~ '^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$'),
        grave_number text NOT NULL CHECK (length(grave_number) BETWEEN 1 AND 64),
        visitor_resident_id char(18) NOT NULL,
        visitor_name text NOT NULL CHECK (length(visitor_name) BETWEEN 1 AND 100),
        mobile text NOT NULL CHECK (mobile ~ '^1[0-9]{10}$'),
        visitors integer NOT NULL CHECK (visitors BETWEEN 1 AND 3),
        status text NOT NULL DEFAULT 'BOOKED' CHECK (status IN ('BOOKED', 'CHECKED_IN', 'CANCELLED', 'NO_SHOW')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT cemetery_booking_code_unique UNIQUE (booking_code)
      )`);
    await q.query(`CREATE INDEX cemetery_booking_slot ON cemetery_booking (slot_id, status)`);
    await q.query(`CREATE INDEX cemetery_booking_grave ON cemetery_booking (grave_number, slot_id) WHERE status <> 'CANCELLED'`);
    await q.query(`CREATE INDEX cemetery_booking_visitor ON cemetery_booking (visitor_resident_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['cemetery_booking', 'cemetery_slot', 'cemetery_site']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
