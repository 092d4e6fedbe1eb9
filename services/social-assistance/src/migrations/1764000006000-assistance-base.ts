import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The social-assistance core: versioned rule tables, member incomes and assets with their source,
 * household change history, 低保 applications as an append-only action log, and the active
 * beneficiaries payroll reads (低保 cases, 特困 persons). Amounts are integer fen; ratios are basis
 * points (2000 = 20 %). Rule rows marked is_demo are demonstration values, not a locality's law.
 */
export class AssistanceBase1764000006000 implements MigrationInterface {
  name = 'AssistanceBase1764000006000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_dibao_standard (
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        urban_rural text NOT NULL CHECK (urban_rural IN ('urban', 'rural')),
        effective_from date NOT NULL,
        effective_to date,
        monthly_standard_fen bigint NOT NULL CHECK (monthly_standard_fen > 0),
        floor_bp integer NOT NULL CHECK (floor_bp BETWEEN 0 AND 10000),
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (division_code, urban_rural, effective_from),
        CHECK (effective_to IS NULL OR effective_to > effective_from)
      )`);
    await q.query(`
      CREATE TABLE rule_classification_topup (
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        classification text NOT NULL CHECK (classification IN ('severely-disabled', 'minor', 'seriously-ill', 'elderly-alone')),
        effective_from date NOT NULL,
        effective_to date,
        topup_bp integer NOT NULL CHECK (topup_bp BETWEEN 0 AND 10000),
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (division_code, classification, effective_from)
      )`);
    await q.query(`
      INSERT INTO rule_dibao_standard (division_code, urban_rural, effective_from, monthly_standard_fen, floor_bp, is_demo) VALUES
        ('430503000000', 'urban', '2023-01-01', 62000, 2000, true),
        ('430503000000', 'rural', '2023-01-01', 43000, 2000, true)`);
    await q.query(`
      INSERT INTO rule_classification_topup (division_code, classification, effective_from, topup_bp, is_demo) VALUES
        ('430503000000', 'severely-disabled', '2023-01-01', 2000, true),
        ('430503000000', 'minor',             '2023-01-01', 1000, true),
        ('430503000000', 'seriously-ill',     '2023-01-01', 2000, true),
        ('430503000000', 'elderly-alone',     '2023-01-01', 1000, true)`);

    await q.query(`
      CREATE TABLE member_income (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES household_member (id),
        kind text NOT NULL CHECK (kind IN ('wages', 'business', 'property', 'transfer', 'pension', 'other')),
        monthly_amount_fen bigint NOT NULL CHECK (monthly_amount_fen >= 0),
        source text NOT NULL,
        as_of date NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX member_income_member ON member_income (member_id, as_of)`);
    await q.query(`
      CREATE TABLE member_asset (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES household_member (id),
        kind text NOT NULL CHECK (kind IN ('deposit', 'vehicle', 'residential-property', 'non-residential-property', 'business-capital', 'securities', 'other')),
        value_fen bigint NOT NULL CHECK (value_fen >= 0),
        source text NOT NULL,
        as_of date NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX member_asset_member ON member_asset (member_id, as_of)`);
    await q.query(`
      CREATE TABLE household_history (
        id bigserial PRIMARY KEY,
        household_id uuid NOT NULL REFERENCES household (id),
        change text NOT NULL,
        detail jsonb NOT NULL,
        actor_id text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);

    // Applications: the status is derived from the action log; the column is a cache for queries.
    await q.query(`
      CREATE TABLE dibao_application (
        id uuid PRIMARY KEY,
        household_id uuid NOT NULL REFERENCES household (id),
        applicant_resident_id text NOT NULL,
        division_code char(12) NOT NULL,
        urban_rural text NOT NULL CHECK (urban_rural IN ('urban', 'rural')),
        status text NOT NULL,
        deadline date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX dibao_application_open ON dibao_application (division_code, deadline) WHERE status NOT IN ('APPROVED', 'REJECTED', 'WITHDRAWN')`);
    await q.query(`CREATE INDEX dibao_application_applicant ON dibao_application (applicant_resident_id)`);
    await q.query(`
      CREATE TABLE dibao_application_action (
        application_id uuid NOT NULL REFERENCES dibao_application (id),
        seq integer NOT NULL CHECK (seq > 0),
        action text NOT NULL,
        actor_id text NOT NULL,
        role text NOT NULL,
        on_date date NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        payload jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (application_id, seq)
      )`);
    // Append-only: history is never rewritten.
    await q.query(`
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`CREATE TRIGGER dibao_application_action_append_only BEFORE UPDATE OR DELETE ON dibao_application_action FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await q.query(`CREATE TRIGGER household_history_append_only BEFORE UPDATE OR DELETE ON household_history FOR EACH ROW EXECUTE FUNCTION refuse_change()`);

    // Who is paid: one open 低保 case per household, one open 特困 record per person.
    await q.query(`
      CREATE TABLE dibao_case (
        id uuid PRIMARY KEY,
        household_id uuid NOT NULL REFERENCES household (id),
        application_id uuid REFERENCES dibao_application (id),
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        urban_rural text NOT NULL CHECK (urban_rural IN ('urban', 'rural')),
        covered_persons integer NOT NULL CHECK (covered_persons > 0),
        monthly_amount_fen bigint NOT NULL CHECK (monthly_amount_fen >= 0),
        start_period char(7) NOT NULL CHECK (start_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        end_period char(7) CHECK (end_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        stop_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (end_period IS NULL OR end_period >= start_period),
        CHECK ((end_period IS NULL) = (stop_reason IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX dibao_case_one_open ON dibao_case (household_id) WHERE end_period IS NULL`);
    await q.query(`CREATE INDEX dibao_case_periods ON dibao_case (start_period, end_period)`);
    await q.query(`
      CREATE TABLE tekun_person (
        id uuid PRIMARY KEY,
        resident_id text NOT NULL,
        name text NOT NULL,
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        urban_rural text NOT NULL CHECK (urban_rural IN ('urban', 'rural')),
        care_mode text NOT NULL CHECK (care_mode IN ('centralized', 'dispersed')),
        self_care_level text NOT NULL CHECK (self_care_level IN ('full', 'partial', 'none')),
        monthly_amount_fen bigint NOT NULL CHECK (monthly_amount_fen >= 0),
        care_insurance text,
        start_period char(7) NOT NULL CHECK (start_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        end_period char(7) CHECK (end_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        end_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (end_period IS NULL OR end_period >= start_period)
      )`);
    await q.query(`CREATE UNIQUE INDEX tekun_person_one_open ON tekun_person (resident_id) WHERE end_period IS NULL`);
    await q.query(`CREATE INDEX tekun_person_periods ON tekun_person (start_period, end_period)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['tekun_person', 'dibao_case', 'dibao_application_action', 'dibao_application', 'household_history', 'member_asset', 'member_income', 'rule_classification_topup', 'rule_dibao_standard']) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP FUNCTION refuse_change()`);
  }
}
