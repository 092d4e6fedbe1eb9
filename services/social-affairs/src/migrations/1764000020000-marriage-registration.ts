import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marriage registration: the versioned rule (minimum ages; whether usual residence in the province
 * gives jurisdiction, as in Hunan since 2022-06), appointments with a per-registry daily count
 * checked against the registry's capacity, registrations, certificates with their own serials per
 * registry, year and kind, and each person's marital status as our records know it.
 */
export class MarriageRegistration1764000020000 implements MigrationInterface {
  name = 'MarriageRegistration1764000020000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_marriage (
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        effective_from date NOT NULL,
        effective_to date,
        male_min_age integer NOT NULL CHECK (male_min_age > 0),
        female_min_age integer NOT NULL CHECK (female_min_age > 0),
        -- 'hukou': either party's household registration in the registry's county;
        -- 'province-residence': also either party's usual residence (residence permit) in its province.
        jurisdiction text NOT NULL CHECK (jurisdiction IN ('hukou', 'province-residence')),
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (division_code, effective_from),
        CHECK (effective_to IS NULL OR effective_to > effective_from)
      )`);
    // The Civil Code's ages (art. 1047); Hunan's residence rule from 2022-06-01.
    await q.query(`
      INSERT INTO rule_marriage (division_code, effective_from, effective_to, male_min_age, female_min_age, jurisdiction) VALUES
        ('430000000000', '2021-01-01', '2022-06-01', 22, 20, 'hukou'),
        ('430000000000', '2022-06-01', NULL, 22, 20, 'province-residence')`);

    await q.query(`
      CREATE TABLE marriage_appointment_day (
        registry_id uuid NOT NULL REFERENCES marriage_registry (id),
        on_date date NOT NULL,
        booked integer NOT NULL CHECK (booked >= 0),
        PRIMARY KEY (registry_id, on_date)
      )`);
    await q.query(`
      CREATE TABLE marriage_appointment (
        id uuid PRIMARY KEY,
        registry_id uuid NOT NULL REFERENCES marriage_registry (id),
        on_date date NOT NULL,
        party_a_resident_id text NOT NULL,
        party_b_resident_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('BOOKED', 'USED', 'CANCELLED')),
        booked_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (party_a_resident_id <> party_b_resident_id)
      )`);
    // A person holds one live appointment at a time.
    await q.query(`CREATE UNIQUE INDEX marriage_appointment_live_a ON marriage_appointment (party_a_resident_id) WHERE status = 'BOOKED'`);
    await q.query(`CREATE INDEX marriage_appointment_party_b ON marriage_appointment (party_b_resident_id)`);

    await q.query(`
      CREATE TABLE marriage_registration (
        id uuid PRIMARY KEY,
        registry_id uuid NOT NULL REFERENCES marriage_registry (id),
        appointment_id uuid REFERENCES marriage_appointment (id),
        registered_on date NOT NULL,
        parties jsonb NOT NULL,
        declaration jsonb NOT NULL,
        registered_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE certificate_serial (
        registry_id uuid NOT NULL REFERENCES marriage_registry (id),
        year integer NOT NULL,
        kind text NOT NULL,
        last integer NOT NULL CHECK (last > 0),
        PRIMARY KEY (registry_id, year, kind)
      )`);
    await q.query(`
      CREATE TABLE marriage_certificate (
        number text PRIMARY KEY,
        registration_id uuid NOT NULL REFERENCES marriage_registration (id),
        kind text NOT NULL CHECK (kind IN ('original', 'reissue')),
        issued_on date NOT NULL,
        holder_resident_id text,
        -- What the certificate says, as printed; compared with the registration by the accuracy check.
        particulars jsonb NOT NULL,
        archive_reference text,
        issued_by text NOT NULL,
        CHECK ((kind = 'original') = (holder_resident_id IS NULL)),
        CHECK ((kind = 'reissue') = (archive_reference IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX marriage_certificate_registration ON marriage_certificate (registration_id)`);
    await q.query(`
      CREATE TABLE person_marital_status (
        resident_id text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('married', 'divorced', 'widowed')),
        since date NOT NULL,
        registration_id uuid REFERENCES marriage_registration (id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['person_marital_status', 'marriage_certificate', 'certificate_serial', 'marriage_registration', 'marriage_appointment', 'marriage_appointment_day', 'rule_marriage']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
