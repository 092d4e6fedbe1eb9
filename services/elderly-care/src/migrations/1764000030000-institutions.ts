import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Care institutions (养老机构): the institution, its dated bed configurations (history kept), one
 * counter row per bed type (the lock admissions take, and a CHECK that residents in care never
 * exceed the latest beds), stays (admission to discharge), inspections and their findings.
 */
export class Institutions1764000030000 implements MigrationInterface {
  name = 'Institutions1764000030000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE care_institution (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) > 0),
        ownership text NOT NULL CHECK (ownership IN ('public', 'private')),
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        address text NOT NULL,
        licence_number text,
        opened_on date NOT NULL,
        closed_on date,
        close_reason text,
        registered_by text NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now(),
        is_demo boolean NOT NULL DEFAULT false,
        CHECK (ownership = 'public' OR licence_number IS NOT NULL),
        CHECK ((closed_on IS NULL) = (close_reason IS NULL)),
        CHECK (closed_on IS NULL OR closed_on >= opened_on)
      )`);
    await q.query(`CREATE UNIQUE INDEX care_institution_name ON care_institution (division_code, name)`);
    await q.query(`CREATE UNIQUE INDEX care_institution_licence ON care_institution (licence_number) WHERE licence_number IS NOT NULL`);
    await q.query(`
      CREATE TABLE care_bed_change (
        institution_id uuid NOT NULL REFERENCES care_institution (id),
        effective_from date NOT NULL,
        self_care integer NOT NULL CHECK (self_care >= 0),
        semi_dependent integer NOT NULL CHECK (semi_dependent >= 0),
        dependent integer NOT NULL CHECK (dependent >= 0),
        reason text,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (institution_id, effective_from),
        CHECK (self_care + semi_dependent + dependent > 0)
      )`);
    await q.query(`
      CREATE TABLE care_bed_counter (
        institution_id uuid NOT NULL REFERENCES care_institution (id),
        bed_type text NOT NULL CHECK (bed_type IN ('self-care', 'semi-dependent', 'dependent')),
        beds integer NOT NULL CHECK (beds >= 0),
        in_care integer NOT NULL DEFAULT 0 CHECK (in_care >= 0),
        PRIMARY KEY (institution_id, bed_type),
        CHECK (in_care <= beds)
      )`);
    await q.query(`
      CREATE TABLE care_admission (
        id uuid PRIMARY KEY,
        institution_id uuid NOT NULL REFERENCES care_institution (id),
        resident_id char(18) NOT NULL,
        resident_name text NOT NULL,
        birth_date date NOT NULL,
        bed_type text NOT NULL CHECK (bed_type IN ('self-care', 'semi-dependent', 'dependent')),
        funding text NOT NULL CHECK (funding IN ('tekun-centralized', 'self-paying', 'other')),
        admitted_on date NOT NULL,
        discharged_on date,
        discharge_reason text CHECK (discharge_reason IN ('death', 'home', 'transfer', 'other')),
        discharge_note text,
        admitted_by text NOT NULL,
        discharged_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (admitted_on >= birth_date),
        CHECK (discharged_on IS NULL OR discharged_on >= admitted_on),
        CHECK ((discharged_on IS NULL) = (discharge_reason IS NULL))
      )`);
    // Backstop for "one stay at a time": at most one stay without a discharge per person.
    await q.query(`CREATE UNIQUE INDEX care_admission_one_open_stay ON care_admission (resident_id) WHERE discharged_on IS NULL`);
    await q.query(`CREATE INDEX care_admission_resident ON care_admission (resident_id, admitted_on)`);
    await q.query(`CREATE INDEX care_admission_institution ON care_admission (institution_id, bed_type, admitted_on)`);
    await q.query(`
      CREATE TABLE care_inspection (
        id uuid PRIMARY KEY,
        institution_id uuid NOT NULL REFERENCES care_institution (id),
        kind text NOT NULL CHECK (kind IN ('fire', 'food', 'infection-control')),
        inspected_on date NOT NULL,
        inspector text NOT NULL,
        summary text,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX care_inspection_institution ON care_inspection (institution_id, inspected_on)`);
    await q.query(`
      CREATE TABLE care_inspection_finding (
        id uuid PRIMARY KEY,
        inspection_id uuid NOT NULL REFERENCES care_inspection (id),
        position integer NOT NULL,
        description text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
        deadline date NOT NULL,
        rectified_on date,
        verified_by text,
        rectification_note text,
        rectified_recorded_by text,
        UNIQUE (inspection_id, position),
        CHECK ((rectified_on IS NULL) = (verified_by IS NULL))
      )`);
    await q.query(`CREATE INDEX care_inspection_finding_open ON care_inspection_finding (deadline) WHERE rectified_on IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE care_inspection_finding`);
    await q.query(`DROP TABLE care_inspection`);
    await q.query(`DROP TABLE care_admission`);
    await q.query(`DROP TABLE care_bed_counter`);
    await q.query(`DROP TABLE care_bed_change`);
    await q.query(`DROP TABLE care_institution`);
  }
}
