import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monthly payroll: one run per (period, programme) holding its progress and resume point, and
 * the payment lines, unique per beneficiary and period by their primary key. Lines are append-only:
 * a completed payroll is a record of what was paid; corrections are new lines, never rewrites.
 */
export class Payroll1764000008000 implements MigrationInterface {
  name = 'Payroll1764000008000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payroll_run (
        period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        programme text NOT NULL CHECK (programme IN ('dibao', 'tekun')),
        status text NOT NULL CHECK (status IN ('running', 'completed')),
        started_at timestamptz NOT NULL DEFAULT now(),
        started_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        completed_by text,
        batches integer NOT NULL DEFAULT 0,
        lines integer NOT NULL DEFAULT 0,
        persons integer NOT NULL DEFAULT 0,
        amount_fen bigint NOT NULL DEFAULT 0,
        -- Resume point: the beneficiary key of the last committed batch (keyset cursor).
        last_key uuid,
        -- The data of the payroll.completed event, returned as is when a completed run is asked again.
        summary jsonb,
        event_id uuid,
        PRIMARY KEY (period, programme),
        CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
        CHECK ((status = 'completed') = (summary IS NOT NULL))
      )`);
    // No foreign keys on payment_line: a row-by-row RI check would double the cost of a payroll;
    // the lines are only ever written by the run that owns (period, programme).
    await q.query(`
      CREATE TABLE payment_line (
        programme text NOT NULL CHECK (programme IN ('dibao', 'tekun')),
        period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        -- Who is paid: the household for 低保, the 特困 person record for 特困.
        beneficiary_id uuid NOT NULL,
        -- The dibao_case or tekun_person row the amount was taken from.
        source_id uuid NOT NULL,
        household_id uuid,
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        township_code char(12) NOT NULL CHECK (township_code ~ '^[0-9]{9}000$'),
        urban_rural text NOT NULL CHECK (urban_rural IN ('urban', 'rural')),
        persons integer NOT NULL CHECK (persons > 0),
        amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (programme, period, beneficiary_id),
        CHECK ((programme = 'dibao') = (household_id IS NOT NULL))
      )`);
    // Listing and exporting one township's lines page by page.
    await q.query(`CREATE INDEX payment_line_township ON payment_line (programme, period, township_code, beneficiary_id)`);
    await q.query(`CREATE TRIGGER payment_line_append_only BEFORE UPDATE OR DELETE ON payment_line FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    // The payroll walks 低保 cases in household order and takes the latest-starting case of each
    // household, so a household is paid once a month even when two of its cases touch the month.
    await q.query(`CREATE INDEX dibao_case_payroll ON dibao_case (household_id, start_period DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dibao_case_payroll`);
    await q.query(`DROP TABLE payment_line`);
    await q.query(`DROP TABLE payroll_run`);
  }
}
