import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Social organisations (社会组织): 社会团体 and 民办非企业单位 registered by the district, 基金会
 * registered by the province and recorded here; their changes (变更), annual inspections (年检),
 * gradings (等级评估) and the grading cut-offs as a versioned rule.
 */
export class SocialOrganisations1764000024000 implements MigrationInterface {
  name = 'SocialOrganisations1764000024000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_org_grading (
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        effective_from date NOT NULL,
        effective_to date,
        -- The minimum score (out of 1000) of each grade; below min_1a there is no grade.
        min_1a integer NOT NULL,
        min_2a integer NOT NULL,
        min_3a integer NOT NULL,
        min_4a integer NOT NULL,
        min_5a integer NOT NULL,
        PRIMARY KEY (division_code, effective_from),
        CHECK (effective_to IS NULL OR effective_to > effective_from),
        CHECK (0 < min_1a AND min_1a < min_2a AND min_2a < min_3a AND min_3a < min_4a AND min_4a < min_5a AND min_5a <= 1000)
      )`);
    await q.query(`INSERT INTO rule_org_grading (division_code, effective_from, min_1a, min_2a, min_3a, min_4a, min_5a) VALUES ('430000000000', '2021-01-01', 500, 600, 700, 800, 900)`);
    await q.query(`
      CREATE TABLE social_organisation (
        id uuid PRIMARY KEY,
        type text NOT NULL CHECK (type IN ('social-group', 'private-non-enterprise', 'foundation')),
        name text NOT NULL CHECK (length(name) > 0),
        credit_code char(18) NOT NULL UNIQUE CHECK (credit_code ~ '^[0-9A-HJ-NP-RTUW-Y]{18}$'),
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        address text NOT NULL,
        legal_representative text NOT NULL,
        business_scope text NOT NULL,
        registered_on date NOT NULL,
        registered_by text NOT NULL CHECK (registered_by IN ('county', 'province')),
        province_registration_number text,
        deregistered_on date,
        deregistration_reason text,
        recorded_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((type = 'foundation') = (registered_by = 'province')),
        CHECK ((registered_by = 'province') = (province_registration_number IS NOT NULL)),
        CHECK ((deregistered_on IS NULL) = (deregistration_reason IS NULL)),
        CHECK (deregistered_on IS NULL OR deregistered_on >= registered_on)
      )`);
    // No two organisations in being with the same name.
    await q.query(`CREATE UNIQUE INDEX social_organisation_active_name ON social_organisation (name) WHERE deregistered_on IS NULL`);
    await q.query(`CREATE INDEX social_organisation_census ON social_organisation (division_code, registered_on)`);
    await q.query(`
      CREATE TABLE social_organisation_change (
        id uuid PRIMARY KEY,
        organisation_id uuid NOT NULL REFERENCES social_organisation (id),
        field text NOT NULL CHECK (field IN ('name', 'address', 'legalRepresentative', 'businessScope')),
        old_value text NOT NULL,
        new_value text NOT NULL,
        effective_on date NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX social_organisation_change_org ON social_organisation_change (organisation_id, effective_on)`);
    await q.query(`
      CREATE TABLE social_organisation_inspection (
        organisation_id uuid NOT NULL REFERENCES social_organisation (id),
        year integer NOT NULL,
        result text NOT NULL CHECK (result IN ('pass', 'basic-pass', 'fail')),
        inspected_on date NOT NULL CHECK (extract(year FROM inspected_on) > year),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        -- One result per organisation and year.
        PRIMARY KEY (organisation_id, year)
      )`);
    await q.query(`
      CREATE TABLE social_organisation_grading (
        id uuid PRIMARY KEY,
        organisation_id uuid NOT NULL REFERENCES social_organisation (id),
        score integer NOT NULL CHECK (score BETWEEN 0 AND 1000),
        grade text CHECK (grade IN ('1A', '2A', '3A', '4A', '5A')),
        graded_on date NOT NULL,
        valid_until date NOT NULL CHECK (valid_until > graded_on),
        -- The rule row the grade was computed with.
        rule_division_code char(12) NOT NULL,
        rule_effective_from date NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organisation_id, graded_on)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['social_organisation_grading', 'social_organisation_inspection', 'social_organisation_change', 'social_organisation', 'rule_org_grading']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
