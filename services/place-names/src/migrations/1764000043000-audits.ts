import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quality-audit campaigns: a campaign's selection is snapshotted into `audit_record` when it is
 * created (category and division copied, so later edits of the gazetteer do not move a record
 * between the campaign's counts); each record carries its reviewer and its outcome.
 */
export class Audits1764000043000 implements MigrationInterface {
  name = 'Audits1764000043000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_campaign (
        id uuid PRIMARY KEY,
        title text NOT NULL CHECK (char_length(title) BETWEEN 2 AND 200),
        year smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        categories text[] NOT NULL CHECK (cardinality(categories) > 0),
        division_codes text[] NOT NULL CHECK (cardinality(division_codes) > 0),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
        demo boolean NOT NULL DEFAULT false,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        closed_by text,
        close_reason text,
        CHECK ((status = 'closed') = (closed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX audit_campaign_by_year ON audit_campaign (year, title)`);
    await q.query(`
      CREATE TABLE audit_record (
        campaign_id uuid NOT NULL REFERENCES audit_campaign (id),
        place_name_id uuid NOT NULL REFERENCES place_name (id),
        category text NOT NULL,
        division_code char(12) NOT NULL,
        reviewer text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','reviewed','corrected','supplemented')),
        -- what the reviewer found; never personal data (the request schema refuses IDs and phone numbers)
        note text CHECK (char_length(note) <= 500),
        reviewed_by text,
        reviewed_on date,
        recorded_at timestamptz,
        PRIMARY KEY (campaign_id, place_name_id),
        CHECK ((status = 'pending') = (reviewed_on IS NULL)),
        CHECK ((status = 'pending') = (reviewed_by IS NULL))
      )`);
    await q.query(`CREATE INDEX audit_record_by_status ON audit_record (campaign_id, status, category)`);
    await q.query(`CREATE INDEX audit_record_by_reviewer ON audit_record (campaign_id, reviewer, place_name_id)`);
    await q.query(`CREATE INDEX audit_record_of_place ON audit_record (place_name_id)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_record`);
    await q.query(`DROP TABLE audit_campaign`);
  }
}
