import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Age allowances (高龄生活补贴 90–99, 长寿保健金 100+): the register of older residents, an
 * enrolment per person and band with its first and last month, kept by a monthly set-based sweep,
 * and a set-based monthly payroll with one payment per person and month. Amounts come from
 * age_allowance_rate (1764000004000), unchanged.
 */
export class AgeAllowances1764000031000 implements MigrationInterface {
  name = 'AgeAllowances1764000031000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE older_resident (
        id uuid PRIMARY KEY,
        resident_id text NOT NULL UNIQUE,
        name text NOT NULL,
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        residence_basis text NOT NULL CHECK (residence_basis IN ('hukou', 'usual-residence')),
        birth_date date NOT NULL,
        resident_since date,
        -- The first month of each band, from the birthday (the month after it) and the residence
        -- date (the month after it): computed once at registration, both immutable.
        high_age_from char(7) NOT NULL CHECK (high_age_from ~ '^[0-9]{4}-[0-9]{2}$'),
        longevity_from char(7) NOT NULL CHECK (longevity_from ~ '^[0-9]{4}-[0-9]{2}$'),
        died_on date,
        moved_away_on date,
        destination text,
        -- The last month payable (the month of death or of the move) and why; NULL while neither.
        paid_through char(7) CHECK (paid_through ~ '^[0-9]{4}-[0-9]{2}$'),
        stop_reason text CHECK (stop_reason IN ('died', 'moved-away')),
        -- The next month from which the person's allowance changes (a band starts, or a stop takes
        -- effect); NULL once nothing more will. The sweep reads only who is due by its period.
        next_change char(7) CHECK (next_change ~ '^[0-9]{4}-[0-9]{2}$'),
        registered_by text NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now(),
        CHECK (high_age_from <= longevity_from),
        CHECK ((paid_through IS NULL) = (stop_reason IS NULL)),
        CHECK (died_on IS NULL OR died_on >= birth_date),
        CHECK (moved_away_on IS NULL OR moved_away_on >= birth_date)
      )`);
    // The sweep's work is the people due by its period, not the whole register.
    await q.query(`CREATE INDEX older_resident_due ON older_resident (next_change) WHERE next_change IS NOT NULL`);

    await q.query(`
      CREATE TABLE age_allowance_enrolment (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL REFERENCES older_resident (id),
        band text NOT NULL CHECK (band IN ('high-age', 'longevity')),
        resident_id text NOT NULL,
        division_code char(12) NOT NULL,
        first_period char(7) NOT NULL CHECK (first_period ~ '^[0-9]{4}-[0-9]{2}$'),
        -- The last month paid once ended (inclusive); NULL while open.
        last_period char(7) CHECK (last_period ~ '^[0-9]{4}-[0-9]{2}$'),
        end_reason text CHECK (end_reason IN ('moved-band', 'died', 'moved-away')),
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        -- One enrolment per person and band, ever: the sweep's idempotence rests on it.
        UNIQUE (person_id, band),
        CHECK ((last_period IS NULL) = (end_reason IS NULL)),
        CHECK (last_period IS NULL OR last_period >= first_period)
      )`);
    await q.query(`CREATE INDEX age_allowance_enrolment_open ON age_allowance_enrolment (person_id) WHERE last_period IS NULL`);

    // One row per period a sweep has run for (the first run's time): a payroll needs one.
    await q.query(`
      CREATE TABLE age_allowance_sweep (
        period char(7) PRIMARY KEY CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
        run_by text NOT NULL,
        first_run_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE age_allowance_payroll (
        period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
        band text NOT NULL CHECK (band IN ('high-age', 'longevity')),
        persons integer NOT NULL DEFAULT 0,
        amount_fen bigint NOT NULL DEFAULT 0,
        run_by text NOT NULL,
        completed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (period, band)
      )`);
    await q.query(`
      CREATE TABLE age_allowance_payment (
        period char(7) NOT NULL,
        band text NOT NULL,
        resident_id text NOT NULL,
        enrolment_id uuid NOT NULL,
        division_code char(12) NOT NULL,
        amount_fen integer NOT NULL CHECK (amount_fen >= 0),
        -- One age allowance per person and month, whichever band pays it. No foreign key to the
        -- payroll row: both are written in one transaction, and a per-row check costs (see bench/).
        PRIMARY KEY (period, resident_id)
      )`);
    await q.query(`CREATE INDEX age_allowance_payment_enrolment ON age_allowance_payment (enrolment_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['age_allowance_payment', 'age_allowance_payroll', 'age_allowance_sweep', 'age_allowance_enrolment', 'older_resident']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
