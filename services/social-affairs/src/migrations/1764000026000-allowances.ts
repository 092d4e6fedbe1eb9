import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monthly allowances: child welfare (孤儿, 事实无人抚养儿童) and the two disability subsidies.
 * Standards are a versioned rule table; enrolments say who is paid from which month to which;
 * payrolls are set-based with one payment per person, programme and month. The 低保 cases the
 * living allowance depends on are a read model fed by social assistance's events.
 */
export class Allowances1764000026000 implements MigrationInterface {
  name = 'Allowances1764000026000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_allowance_standard (
        programme text NOT NULL CHECK (programme IN ('orphan', 'de-facto-unsupported', 'disability-living', 'disability-care')),
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        -- The disability grade the row applies to; 0 for every grade (and for the child programmes).
        grade smallint NOT NULL DEFAULT 0 CHECK (grade BETWEEN 0 AND 4),
        effective_from date NOT NULL,
        effective_to date,
        monthly_fen integer NOT NULL CHECK (monthly_fen > 0),
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (programme, division_code, grade, effective_from),
        CHECK (effective_to IS NULL OR effective_to >= effective_from)
      )`);
    // Hunan's provincial standards as seeded for the demo (marked is_demo): the province's notice
    // governs, and a change is a new row from its effective date. De-facto-unsupported children
    // are paid at the 散居孤儿 standard.
    await q.query(`
      INSERT INTO rule_allowance_standard (programme, division_code, grade, effective_from, effective_to, monthly_fen, is_demo) VALUES
        ('orphan',               '430000000000', 0, '2022-01-01', '2023-06-30', 115000, true),
        ('orphan',               '430000000000', 0, '2023-07-01', NULL,         120000, true),
        ('de-facto-unsupported', '430000000000', 0, '2022-01-01', '2023-06-30', 115000, true),
        ('de-facto-unsupported', '430000000000', 0, '2023-07-01', NULL,         120000, true),
        ('disability-living',    '430000000000', 0, '2022-01-01', '2023-06-30',   7000, true),
        ('disability-living',    '430000000000', 0, '2023-07-01', NULL,           8000, true),
        ('disability-care',      '430000000000', 1, '2022-01-01', '2023-06-30',   9000, true),
        ('disability-care',      '430000000000', 1, '2023-07-01', NULL,          10000, true),
        ('disability-care',      '430000000000', 2, '2022-01-01', '2023-06-30',   7000, true),
        ('disability-care',      '430000000000', 2, '2023-07-01', NULL,           8000, true)`);

    await q.query(`
      CREATE TABLE allowance_enrolment (
        id uuid PRIMARY KEY,
        programme text NOT NULL CHECK (programme IN ('orphan', 'de-facto-unsupported', 'disability-living', 'disability-care')),
        resident_id text NOT NULL,
        name text NOT NULL,
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        birth_date date NOT NULL,
        grade smallint CHECK (grade BETWEEN 1 AND 4),
        category text,
        certificate_number text,
        findings jsonb NOT NULL,
        decided_on date NOT NULL,
        decided_by text NOT NULL,
        first_period char(7) NOT NULL CHECK (first_period ~ '^[0-9]{4}-[0-9]{2}$'),
        -- The last month paid once ended (inclusive); NULL while open.
        last_period char(7) CHECK (last_period ~ '^[0-9]{4}-[0-9]{2}$'),
        end_reason text,
        ended_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((last_period IS NULL) = (end_reason IS NULL)),
        CHECK ((programme LIKE 'disability-%') = (grade IS NOT NULL AND certificate_number IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX allowance_enrolment_one_open ON allowance_enrolment (programme, resident_id) WHERE last_period IS NULL`);
    // A child is an orphan or a de-facto-unsupported child, never both at once.
    await q.query(`CREATE UNIQUE INDEX allowance_enrolment_one_open_child ON allowance_enrolment (resident_id) WHERE last_period IS NULL AND programme IN ('orphan', 'de-facto-unsupported')`);
    await q.query(`CREATE INDEX allowance_enrolment_programme ON allowance_enrolment (programme, first_period)`);

    await q.query(`
      CREATE TABLE allowance_payroll (
        period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
        programme text NOT NULL,
        persons integer NOT NULL DEFAULT 0,
        amount_fen bigint NOT NULL DEFAULT 0,
        run_by text NOT NULL,
        completed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (period, programme)
      )`);
    await q.query(`
      CREATE TABLE allowance_payment (
        period char(7) NOT NULL,
        programme text NOT NULL,
        resident_id text NOT NULL,
        enrolment_id uuid NOT NULL,
        division_code char(12) NOT NULL,
        amount_fen integer NOT NULL CHECK (amount_fen > 0),
        -- No foreign key to allowance_payroll: the payroll row and its payments are written in one
        -- transaction, and a per-row key check cost a quarter of the run (see bench/).
        PRIMARY KEY (period, programme, resident_id)
      )`);
    // One child allowance per child and month, whichever of the two programmes pays it.
    await q.query(`CREATE UNIQUE INDEX allowance_payment_one_per_child ON allowance_payment (period, resident_id) WHERE programme IN ('orphan', 'de-facto-unsupported')`);

    // 低保 cases as social assistance's events describe them (never its tables): from which month
    // to which a case pays, and who lives in the household.
    await q.query(`
      CREATE TABLE dibao_case_view (
        case_id uuid PRIMARY KEY,
        household_id uuid NOT NULL,
        -- The household's division, from the event's envelope.
        division_code char(12) NOT NULL,
        -- NULL while only the case's stop has arrived.
        first_period char(7),
        -- The first month no longer paid; NULL while open.
        until_period char(7),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX dibao_case_view_household ON dibao_case_view (household_id)`);
    await q.query(`
      CREATE TABLE dibao_case_member_view (
        case_id uuid NOT NULL REFERENCES dibao_case_view (case_id) ON DELETE CASCADE,
        resident_id text NOT NULL,
        PRIMARY KEY (case_id, resident_id)
      )`);
    await q.query(`CREATE INDEX dibao_case_member_view_resident ON dibao_case_member_view (resident_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['dibao_case_member_view', 'dibao_case_view', 'allowance_payment', 'allowance_payroll', 'allowance_enrolment', 'rule_allowance_standard']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
