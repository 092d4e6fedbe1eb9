import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Divorce by agreement: the periods as a versioned rule (Civil Code art. 1077: 30 days of
 * cooling-off, then 30 days to appear), the applications with their computed timeline, and the
 * registrations with their certificate (离婚证, numbered like marriage certificates with 'L').
 */
export class Divorce1764000022000 implements MigrationInterface {
  name = 'Divorce1764000022000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_divorce (
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        effective_from date NOT NULL,
        effective_to date,
        cooling_off_days integer NOT NULL CHECK (cooling_off_days > 0),
        appearance_days integer NOT NULL CHECK (appearance_days > 0),
        PRIMARY KEY (division_code, effective_from)
      )`);
    await q.query(`INSERT INTO rule_divorce (division_code, effective_from, cooling_off_days, appearance_days) VALUES ('000000000000', '2021-01-01', 30, 30)`);
    await q.query(`
      CREATE TABLE divorce_application (
        id uuid PRIMARY KEY,
        registry_id uuid NOT NULL REFERENCES marriage_registry (id),
        marriage_registration_id uuid NOT NULL REFERENCES marriage_registration (id),
        parties jsonb NOT NULL,
        received_on date NOT NULL,
        cooling_off_ends_on date NOT NULL,
        appear_by_on date NOT NULL,
        -- A cache for queries and the lapse sweep; the status on a date is derived from the dates.
        status text NOT NULL CHECK (status IN ('OPEN', 'WITHDRAWN', 'LAPSED', 'REGISTERED')),
        withdrawn_on date,
        withdrawn_by_resident_id text,
        registered_on date,
        certificate_number text UNIQUE,
        recorded_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (cooling_off_ends_on > received_on AND appear_by_on > cooling_off_ends_on),
        CHECK ((status = 'WITHDRAWN') = (withdrawn_on IS NOT NULL)),
        CHECK ((status = 'REGISTERED') = (registered_on IS NOT NULL AND certificate_number IS NOT NULL))
      )`);
    // One open application per marriage.
    await q.query(`CREATE UNIQUE INDEX divorce_application_one_open ON divorce_application (marriage_registration_id) WHERE status = 'OPEN'`);
    await q.query(`CREATE INDEX divorce_application_lapse ON divorce_application (appear_by_on) WHERE status = 'OPEN'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE divorce_application`);
    await q.query(`DROP TABLE rule_divorce`);
  }
}
