import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 居家适老化改造: the rule table (subsidy range, age threshold, period) by division and effective
 * date; the yearly target per county; social assistance's 特困 and 低保 status as its events tell
 * it (a read model, never its tables); the cases with their status log.
 */
export class HomeAdaptation1764000032000 implements MigrationInterface {
  name = 'HomeAdaptation1764000032000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_home_adaptation (
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        effective_from date NOT NULL,
        effective_to date,
        -- The subsidy per household (the plan's basic items), inclusive bounds.
        min_subsidy_fen integer NOT NULL CHECK (min_subsidy_fen > 0),
        max_subsidy_fen integer NOT NULL,
        -- An older person is this old or older; "very old" (高龄) qualifies without dependency or disability.
        older_age smallint NOT NULL CHECK (older_age > 0),
        very_old_age smallint NOT NULL,
        -- One adaptation per household within this many calendar years.
        period_years smallint NOT NULL DEFAULT 1 CHECK (period_years >= 1),
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (division_code, effective_from),
        CHECK (max_subsidy_fen >= min_subsidy_fen),
        CHECK (very_old_age >= older_age),
        CHECK (effective_to IS NULL OR effective_to >= effective_from)
      )`);
    // The district's 2023 programme as seeded for the demo: 3000–4000元 per household, 80 and over.
    await q.query(`
      INSERT INTO rule_home_adaptation (division_code, effective_from, effective_to, min_subsidy_fen, max_subsidy_fen, older_age, very_old_age, period_years, is_demo)
      VALUES ('430503000000', '2023-01-01', NULL, 300000, 400000, 60, 80, 1, true)`);

    await q.query(`
      CREATE TABLE home_adaptation_target (
        year smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{6}000000$'),
        households integer NOT NULL CHECK (households >= 0),
        set_by text NOT NULL,
        set_at timestamptz NOT NULL DEFAULT now(),
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (year, division_code)
      )`);
    await q.query(`INSERT INTO home_adaptation_target (year, division_code, households, set_by, is_demo) VALUES (2023, '430503000000', 66, 'seed', true)`);

    // 特困 persons as social assistance's tekun-person events describe them. resident_id is NULL for
    // events emitted before the field existed: such a person is not found by resident ID.
    await q.query(`
      CREATE TABLE assistance_tekun_view (
        person_id uuid PRIMARY KEY,
        resident_id text,
        division_code char(12) NOT NULL,
        -- NULL while only the end has arrived.
        care_mode text CHECK (care_mode IN ('centralized', 'dispersed')),
        self_care_level text CHECK (self_care_level IN ('full', 'partial', 'none')),
        -- The first period of the current placement (so an older change does not overwrite a newer one).
        mode_since char(7),
        first_period char(7),
        -- The first period no longer supported; NULL while open.
        until_period char(7),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX assistance_tekun_view_resident ON assistance_tekun_view (resident_id)`);

    // 低保 cases and their members, from social assistance's dibao-household events.
    await q.query(`
      CREATE TABLE assistance_dibao_case_view (
        case_id uuid PRIMARY KEY,
        household_id uuid NOT NULL,
        division_code char(12) NOT NULL,
        first_period char(7),
        until_period char(7),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX assistance_dibao_case_view_household ON assistance_dibao_case_view (household_id)`);
    await q.query(`
      CREATE TABLE assistance_dibao_member_view (
        case_id uuid NOT NULL REFERENCES assistance_dibao_case_view (case_id) ON DELETE CASCADE,
        resident_id text NOT NULL,
        PRIMARY KEY (case_id, resident_id)
      )`);
    await q.query(`CREATE INDEX assistance_dibao_member_view_resident ON assistance_dibao_member_view (resident_id)`);

    await q.query(`
      CREATE TABLE home_adaptation_case (
        id uuid PRIMARY KEY,
        resident_id text NOT NULL,
        name text NOT NULL,
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        township_code char(12) NOT NULL,
        address text NOT NULL,
        -- The 低保 household's id when the status comes from 低保, otherwise the older member's resident ID.
        household_key text NOT NULL,
        year smallint NOT NULL,
        status text NOT NULL CHECK (status IN ('applied', 'assessed', 'approved', 'works-completed', 'accepted', 'completed', 'refused')),
        household_bases text[] NOT NULL,
        person_bases text[] NOT NULL,
        findings jsonb NOT NULL,
        formerly_poor_evidence text,
        dependency_level text CHECK (dependency_level IN ('partial', 'full')),
        dependency_evidence text,
        disability_certificate text,
        applied_on date NOT NULL,
        assessed_on date,
        assessor text,
        needs jsonb,
        approved_on date,
        items jsonb,
        subsidy_fen integer,
        self_paid_fen integer,
        contractor text,
        works_started_on date,
        works_completed_on date,
        inspected_on date,
        inspector text,
        acceptance_remarks text,
        paid_on date,
        voucher text,
        refused_on date,
        refusal_reason text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'refused') = (refusal_reason IS NOT NULL)),
        CHECK (status <> 'completed' OR (paid_on IS NOT NULL AND subsidy_fen IS NOT NULL AND inspected_on IS NOT NULL))
      )`);
    // One live adaptation per household and year; longer periods of the rule are checked under a lock.
    await q.query(`CREATE UNIQUE INDEX home_adaptation_case_one_per_year ON home_adaptation_case (household_key, year) WHERE status <> 'refused'`);
    await q.query(`CREATE INDEX home_adaptation_case_year ON home_adaptation_case (year, township_code, status)`);
    await q.query(`CREATE INDEX home_adaptation_case_paid ON home_adaptation_case (paid_on) WHERE status = 'completed'`);
    await q.query(`
      CREATE TABLE home_adaptation_status_log (
        id bigserial PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES home_adaptation_case (id),
        from_status text,
        to_status text NOT NULL,
        on_date date NOT NULL,
        actor text NOT NULL,
        note text NOT NULL DEFAULT '',
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX home_adaptation_status_log_case ON home_adaptation_status_log (case_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'home_adaptation_status_log',
      'home_adaptation_case',
      'assistance_dibao_member_view',
      'assistance_dibao_case_view',
      'assistance_tekun_view',
      'home_adaptation_target',
      'rule_home_adaptation',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
