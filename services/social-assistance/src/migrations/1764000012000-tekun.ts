import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 特困供养: the standards rule table (basic living = a multiple of the 低保 standard; care allowance
 * by self-care level as a share of last year's minimum wage, more for 集中 residents; the funeral
 * subsidy), the minimum wage by division and date, and the person records payroll already reads,
 * completed with who they are in the registry, where they live, what the amount is made of and
 * the eligibility finding it was decided on. Care insurance and funeral subsidies are their own
 * tables. Ratios are basis points; amounts are fen; seeded rows marked is_demo are demo values.
 */
export class Tekun1764000012000 implements MigrationInterface {
  name = 'Tekun1764000012000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_tekun_standard (
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        effective_from date NOT NULL,
        effective_to date,
        -- The national floor is 1.3 × the 低保 standard.
        basic_multiple_bp integer NOT NULL CHECK (basic_multiple_bp >= 13000),
        -- Floors: fully self-caring 1/10, partly 1/6, fully dependent 1/3 of the minimum wage.
        care_full_bp integer NOT NULL CHECK (care_full_bp * 10 >= 10000),
        care_partial_bp integer NOT NULL CHECK (care_partial_bp * 6 >= 10000),
        care_none_bp integer NOT NULL CHECK (care_none_bp * 3 >= 10000),
        centralized_care_bonus_bp integer NOT NULL CHECK (centralized_care_bonus_bp >= 0),
        -- Asset test of the second condition: deposits and securities within this many months of
        -- the 低保 standard; any vehicle or non-residential property fails it.
        deposit_limit_months integer NOT NULL CHECK (deposit_limit_months >= 0),
        funeral_subsidy_fen bigint NOT NULL CHECK (funeral_subsidy_fen >= 0),
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (division_code, effective_from),
        CHECK (effective_to IS NULL OR effective_to > effective_from)
      )`);
    await q.query(`
      INSERT INTO rule_tekun_standard (division_code, effective_from, basic_multiple_bp, care_full_bp, care_partial_bp, care_none_bp,
                                       centralized_care_bonus_bp, deposit_limit_months, funeral_subsidy_fen, is_demo) VALUES
        ('430503000000', '2023-01-01', 13000, 1000, 1667, 3334, 5000, 24, 300000, true)`);
    await q.query(`
      CREATE TABLE rule_minimum_wage (
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        effective_from date NOT NULL,
        monthly_fen bigint NOT NULL CHECK (monthly_fen > 0),
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (division_code, effective_from)
      )`);
    await q.query(`INSERT INTO rule_minimum_wage (division_code, effective_from, monthly_fen, is_demo) VALUES ('430503000000', '2022-04-01', 174000, true)`);

    // Payroll reads id, division, class, amount and periods; the rest is the case.
    await q.query(`
      ALTER TABLE tekun_person
        ADD COLUMN member_id uuid REFERENCES household_member (id),
        ADD COLUMN institution_name text,
        ADD COLUMN basic_living_fen bigint CHECK (basic_living_fen >= 0),
        ADD COLUMN care_allowance_fen bigint CHECK (care_allowance_fen >= 0),
        ADD COLUMN eligibility jsonb,
        ADD COLUMN decided_on date,
        ADD COLUMN decided_by text,
        ADD COLUMN end_detail text,
        ADD CONSTRAINT tekun_person_institution CHECK (member_id IS NULL OR (care_mode = 'centralized') = (institution_name IS NOT NULL)),
        ADD CONSTRAINT tekun_person_amount_parts CHECK (basic_living_fen IS NULL OR basic_living_fen + care_allowance_fen = monthly_amount_fen)`);
    // A person who dies before their first paid month ends the month before it: never paid.
    await q.query(`ALTER TABLE tekun_person DROP CONSTRAINT tekun_person_check`);
    await q.query(`
      ALTER TABLE tekun_person ADD CONSTRAINT tekun_person_periods_ordered
        CHECK (end_period IS NULL OR to_date(end_period, 'YYYY-MM') >= to_date(start_period, 'YYYY-MM') - interval '1 month')`);
    await q.query(`CREATE INDEX tekun_person_member ON tekun_person (member_id, start_period)`);
    await q.query(`
      CREATE TABLE tekun_care_insurance (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES household_member (id),
        insurer text NOT NULL,
        policy_number text NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL CHECK (ends_on > starts_on),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (member_id, policy_number)
      )`);
    await q.query(`
      CREATE TABLE tekun_funeral_subsidy (
        member_id uuid PRIMARY KEY REFERENCES household_member (id),
        tekun_person_id uuid NOT NULL REFERENCES tekun_person (id),
        date_of_death date NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
        granted_on date NOT NULL,
        granted_by text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tekun_funeral_subsidy`);
    await q.query(`DROP TABLE tekun_care_insurance`);
    await q.query(`DROP INDEX tekun_person_member`);
    await q.query(`ALTER TABLE tekun_person DROP CONSTRAINT tekun_person_periods_ordered`);
    await q.query(`ALTER TABLE tekun_person ADD CONSTRAINT tekun_person_check CHECK (end_period IS NULL OR end_period >= start_period)`);
    await q.query(`
      ALTER TABLE tekun_person
        DROP CONSTRAINT tekun_person_amount_parts, DROP CONSTRAINT tekun_person_institution,
        DROP COLUMN end_detail, DROP COLUMN decided_by, DROP COLUMN decided_on, DROP COLUMN eligibility,
        DROP COLUMN care_allowance_fen, DROP COLUMN basic_living_fen, DROP COLUMN institution_name, DROP COLUMN member_id`);
    await q.query(`DROP TABLE rule_minimum_wage`);
    await q.query(`DROP TABLE rule_tekun_standard`);
  }
}
