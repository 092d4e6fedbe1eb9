import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How often 低保 cases are reviewed, as a versioned rule table (most specific division wins): a
 * stable household every `stable_interval_months`; a household with a member of working age
 * ([working_age_from, working_age_to) years) and income of an irregular kind every
 * `irregular_interval_months`. The seeded row follows the national rule (yearly, half-yearly);
 * the working-age band and the income kinds are this demo's reading of it.
 */
export class DibaoReviewRule1764000017000 implements MigrationInterface {
  name = 'DibaoReviewRule1764000017000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_dibao_review (
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        effective_from date NOT NULL,
        effective_to date,
        stable_interval_months integer NOT NULL CHECK (stable_interval_months > 0),
        irregular_interval_months integer NOT NULL CHECK (irregular_interval_months > 0),
        working_age_from integer NOT NULL CHECK (working_age_from >= 0),
        working_age_to integer NOT NULL,
        irregular_income_kinds text[] NOT NULL,
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (division_code, effective_from),
        CHECK (effective_to IS NULL OR effective_to > effective_from),
        CHECK (working_age_to > working_age_from)
      )`);
    await q.query(`
      INSERT INTO rule_dibao_review (division_code, effective_from, stable_interval_months, irregular_interval_months, working_age_from, working_age_to, irregular_income_kinds, is_demo)
      VALUES ('430503000000', '2021-07-01', 12, 6, 16, 60, '{business,other}', true)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rule_dibao_review`);
  }
}
