import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Age-allowance amounts are data (a rule table by division and effective date), never code. */
export class AgeAllowanceRates1764000004000 implements MigrationInterface {
  name = 'AgeAllowanceRates1764000004000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE age_allowance_rate (
        band text NOT NULL CHECK (band IN ('high-age', 'longevity')),
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        min_age integer NOT NULL,
        max_age integer,
        monthly_amount_fen bigint NOT NULL CHECK (monthly_amount_fen >= 0),
        effective_from date NOT NULL,
        effective_to date,
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (band, division_code, effective_from),
        CHECK (effective_to IS NULL OR effective_to > effective_from)
      )`);
    // Demo values chosen to reproduce the 2023 report's totals (124.92万 high-age, 9万 longevity).
    await q.query(`
      INSERT INTO age_allowance_rate (band, division_code, min_age, max_age, monthly_amount_fen, effective_from, is_demo) VALUES
        ('high-age',  '430503000000', 90, 99,   10000, '2023-01-01', true),
        ('longevity', '430503000000', 100, NULL, 30000, '2023-01-01', true)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE age_allowance_rate`);
  }
}
