import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dynamic management of 低保 cases: scheduled reviews (yearly; half-yearly for households with a
 * working-age member and irregular income) and their outcome — continue, adjust or stop — each
 * with a written reason, effective from the period after the decision.
 */
export class DibaoReviews1764000011000 implements MigrationInterface {
  name = 'DibaoReviews1764000011000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dibao_review (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES dibao_case (id),
        household_id uuid NOT NULL REFERENCES household (id),
        division_code char(12) NOT NULL,
        cadence text NOT NULL CHECK (cadence IN ('yearly', 'half-yearly')),
        due_on date NOT NULL,
        outcome text CHECK (outcome IN ('continue', 'adjust', 'stop')),
        reason text,
        decided_by text,
        decided_on date,
        effective_period char(7),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((outcome IS NULL) = (reason IS NULL) AND (outcome IS NULL) = (decided_on IS NULL))
      )`);
    // One pending review per case at a time.
    await q.query(`CREATE UNIQUE INDEX dibao_review_one_pending ON dibao_review (case_id) WHERE outcome IS NULL`);
    await q.query(`CREATE INDEX dibao_review_due ON dibao_review (division_code, due_on) WHERE outcome IS NULL`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dibao_review`);
  }
}
