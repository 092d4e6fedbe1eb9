import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Household economic verification: facts imported from the extracts of sources without an API
 * (one batch per imported file; lookups read a source's latest batch), and the verification
 * requests with their reports. A request row is written before any source is asked, so who
 * looked up whose data is kept even when a verification never completes.
 */
export class Verification1764000007000 implements MigrationInterface {
  name = 'Verification1764000007000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE verification_import_fact (
        id bigserial PRIMARY KEY,
        source_id text NOT NULL CHECK (source_id ~ '^[a-z][a-z0-9-]*$'),
        resident_id text NOT NULL CHECK (resident_id ~ '^[0-9]{17}[0-9X]$'),
        category text NOT NULL CHECK (category IN ('income', 'asset')),
        kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9-]*$'),
        monthly_amount_fen bigint CHECK (monthly_amount_fen >= 0),
        value_fen bigint CHECK (value_fen >= 0),
        description text NOT NULL DEFAULT '',
        as_of date NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now(),
        batch text NOT NULL,
        CHECK (category <> 'income' OR monthly_amount_fen IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX verification_import_fact_lookup ON verification_import_fact (source_id, resident_id, batch)`);
    await q.query(`CREATE INDEX verification_import_fact_latest ON verification_import_fact (source_id, imported_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE verification_request (
        id uuid PRIMARY KEY,
        household_id uuid NOT NULL REFERENCES household (id),
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL,
        completed_at timestamptz,
        report jsonb,
        CHECK ((completed_at IS NULL) = (report IS NULL))
      )`);
    await q.query(`CREATE INDEX verification_request_household ON verification_request (household_id, requested_at DESC)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE verification_request`);
    await q.query(`DROP TABLE verification_import_fact`);
  }
}
