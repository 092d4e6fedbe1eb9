import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PlaceNamesSchema1764000001000 implements MigrationInterface {
  name = 'PlaceNamesSchema1764000001000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE place_name (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 50),
        category text NOT NULL,
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        pinyin text,
        location_description text,
        origin text,
        status text NOT NULL DEFAULT 'standard',
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL
      )`);
    // The same name twice in one division is refused (the full scope rules come with the gazetteer).
    await q.query(`CREATE UNIQUE INDEX place_name_unique_in_division ON place_name (division_code, name)`);
    await q.query(`CREATE INDEX place_name_by_name ON place_name (name text_pattern_ops)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE place_name`);
  }
}
