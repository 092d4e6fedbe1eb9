import type { MigrationInterface, QueryRunner } from 'typeorm';
import { romanize, searchKeys } from '../gazetteer/romanization';

/**
 * The walking skeleton's `place_name` becomes the gazetteer record; its names move to
 * `place_name_version` (standard, former, colloquial, abbreviation, each with dates), which is
 * also what the public search reads, so a former name stays findable.
 */
export class Gazetteer1764000041000 implements MigrationInterface {
  name = 'Gazetteer1764000041000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE place_name
        ADD COLUMN type text,
        ADD COLUMN pinyin_edited boolean NOT NULL DEFAULT false,
        ADD COLUMN longitude numeric(9,6) CHECK (longitude BETWEEN -180 AND 180),
        ADD COLUMN latitude numeric(8,6) CHECK (latitude BETWEEN -90 AND 90),
        ADD COLUMN approving_authority text,
        ADD COLUMN approval_date date,
        ADD COLUMN abolished_on date,
        ADD COLUMN abolition_reason text,
        ADD COLUMN demo boolean NOT NULL DEFAULT false,
        ADD COLUMN version integer NOT NULL DEFAULT 1,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
        ADD CONSTRAINT place_name_coordinates_together CHECK ((longitude IS NULL) = (latitude IS NULL)),
        ADD CONSTRAINT place_name_category_known CHECK (category IN ('natural-feature','administrative-division','committee-seat',
          'park-or-protected-area','street-road-lane','residential-area-or-building','infrastructure','other'))`);
    await q.query(`UPDATE place_name SET status = 'in-use', pinyin = coalesce(pinyin, '')`);
    await q.query(`ALTER TABLE place_name ALTER COLUMN status SET DEFAULT 'in-use', ALTER COLUMN pinyin SET NOT NULL,
      ADD CONSTRAINT place_name_status_known CHECK (status IN ('in-use','abolished')),
      ADD CONSTRAINT place_name_abolished_dated CHECK ((status = 'abolished') = (abolished_on IS NOT NULL))`);
    // Two places in use with the same standard name in the same division are refused outright; the
    // wider scope rules (streets within a town, …) are the naming check's job.
    await q.query(`DROP INDEX place_name_unique_in_division`);
    await q.query(`CREATE UNIQUE INDEX place_name_unique_in_division ON place_name (division_code, name) WHERE status = 'in-use'`);
    await q.query(`CREATE INDEX place_name_by_category_division ON place_name (category, division_code)`);
    // Browsing without a query lists names in order.
    await q.query(`CREATE INDEX place_name_in_name_order ON place_name (name)`);

    await q.query(`
      CREATE TABLE place_name_version (
        id uuid PRIMARY KEY,
        place_name_id uuid NOT NULL REFERENCES place_name (id),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
        pinyin text NOT NULL,
        -- search keys: the normalised name, toneless pinyin run together, initials, character bigrams
        name_key text NOT NULL,
        pinyin_key text NOT NULL,
        initials text NOT NULL,
        grams text[] NOT NULL,
        status text NOT NULL CHECK (status IN ('standard','former','colloquial','abbreviation')),
        valid_from date,
        valid_to date,
        -- copies of the record's fields the search filters on, kept in step by the service
        category text NOT NULL,
        division_code char(12) NOT NULL,
        in_use boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from),
        CHECK (status <> 'standard' OR valid_to IS NULL OR NOT in_use)
      )`);
    await q.query(`CREATE UNIQUE INDEX place_name_one_current_standard ON place_name_version (place_name_id) WHERE status = 'standard' AND valid_to IS NULL`);
    await q.query(`CREATE INDEX place_name_version_of_place ON place_name_version (place_name_id)`);
    await q.query(`CREATE INDEX place_name_version_by_name ON place_name_version (name_key text_pattern_ops)`);
    await q.query(`CREATE INDEX place_name_version_by_pinyin ON place_name_version (pinyin_key text_pattern_ops)`);
    await q.query(`CREATE INDEX place_name_version_by_initials ON place_name_version (initials text_pattern_ops)`);
    // No pending list: names are written rarely and searched constantly, and a pending list is
    // scanned linearly by every search until vacuum merges it.
    await q.query(`CREATE INDEX place_name_version_by_grams ON place_name_version USING gin (grams) WITH (fastupdate = off)`);
    // Rows from the walking skeleton become standard names with their search keys.
    const existing = await q.query(`SELECT id, name, pinyin, category, division_code FROM place_name`) as { id: string; name: string; pinyin: string; category: string; division_code: string }[];
    for (const row of existing) {
      const keys = searchKeys(row.name);
      const pinyin = row.pinyin === '' ? romanize(row.name) : row.pinyin;
      await q.query(`UPDATE place_name SET pinyin = $2 WHERE id = $1`, [row.id, pinyin]);
      await q.query(
        `INSERT INTO place_name_version (id, place_name_id, name, pinyin, name_key, pinyin_key, initials, grams, status, category, division_code)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, 'standard', $8, $9)`,
        [row.id, row.name, pinyin, keys.nameKey, keys.pinyinKey, keys.initials, keys.grams, row.category, row.division_code],
      );
    }
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE place_name_version`);
    await q.query(`DROP INDEX place_name_by_category_division`);
    await q.query(`DROP INDEX place_name_in_name_order`);
    await q.query(`DROP INDEX place_name_unique_in_division`);
    await q.query(`ALTER TABLE place_name DROP CONSTRAINT place_name_abolished_dated, DROP CONSTRAINT place_name_status_known,
      DROP CONSTRAINT place_name_category_known, DROP CONSTRAINT place_name_coordinates_together,
      DROP COLUMN type, DROP COLUMN pinyin_edited, DROP COLUMN longitude, DROP COLUMN latitude, DROP COLUMN approving_authority,
      DROP COLUMN approval_date, DROP COLUMN abolished_on, DROP COLUMN abolition_reason, DROP COLUMN demo, DROP COLUMN version, DROP COLUMN updated_at,
      ALTER COLUMN pinyin DROP NOT NULL, ALTER COLUMN status SET DEFAULT 'standard'`);
    await q.query(`UPDATE place_name SET status = 'standard'`);
    await q.query(`CREATE UNIQUE INDEX place_name_unique_in_division ON place_name (division_code, name)`);
  }
}
