import type { MigrationInterface, QueryRunner } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { SEED_TOWNSHIPS, seedVillageUnits } from '../divisions/district-seed';

/**
 * Versioned administrative divisions (行政区划). A division keeps a stable id; its code, name, parent
 * and urban/rural classification live in dated versions (valid_to exclusive). Two exclusion
 * constraints make "one code, one division at a time" and "one version per division at a time"
 * database facts. Seeds 湖南省 > 邵阳市 > 大祥区 and its 14 township-level units (real names and codes),
 * plus 140 demo communities and villages under them (demo = true, made-up names: see district-seed.ts).
 */
export class DivisionsSchema1764000040000 implements MigrationInterface {
  name = 'DivisionsSchema1764000040000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`
      CREATE TABLE division (
        id uuid PRIMARY KEY,
        level text NOT NULL CHECK (level IN ('province', 'city', 'county', 'street', 'town', 'township', 'community', 'village')),
        demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE division_change (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('create', 'rename', 'recode', 'move', 'merge', 'split', 'abolish')),
        effective_date date NOT NULL,
        document_number text NOT NULL CHECK (char_length(document_number) BETWEEN 1 AND 100),
        note text,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        -- What the change did as it was recorded ({divisionId, code, name} each), as in its event.
        predecessors jsonb NOT NULL DEFAULT '[]',
        successors jsonb NOT NULL DEFAULT '[]'
      )`);
    await q.query(`CREATE INDEX division_change_by_date ON division_change (effective_date, recorded_at)`);
    await q.query(`
      CREATE TABLE division_version (
        id uuid PRIMARY KEY,
        division_id uuid NOT NULL REFERENCES division (id),
        code char(12) NOT NULL CHECK (code ~ '^[0-9]{12}$'),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
        parent_id uuid NULL REFERENCES division (id),
        urban_rural text NOT NULL CHECK (urban_rural IN ('urban', 'rural')),
        valid_from date NOT NULL,
        valid_to date NULL,
        change_id uuid NULL REFERENCES division_change (id),
        CONSTRAINT division_version_period CHECK (valid_to IS NULL OR valid_to > valid_from),
        CONSTRAINT division_version_code_once EXCLUDE USING gist (code WITH =, daterange(valid_from, valid_to) WITH &&),
        CONSTRAINT division_version_one_at_a_time EXCLUDE USING gist (division_id WITH =, daterange(valid_from, valid_to) WITH &&)
      )`);
    // "As of date" lookups of children; by code and by division the exclusion constraints' indexes serve.
    await q.query(`CREATE INDEX division_version_children_as_of ON division_version USING gist (parent_id, daterange(valid_from, valid_to))`);
    await q.query(`CREATE INDEX division_version_change ON division_version (change_id)`);
    await q.query(`
      CREATE TABLE division_lineage (
        change_id uuid NOT NULL REFERENCES division_change (id),
        predecessor_id uuid NOT NULL REFERENCES division (id),
        successor_id uuid NOT NULL REFERENCES division (id),
        PRIMARY KEY (change_id, predecessor_id, successor_id),
        CHECK (predecessor_id <> successor_id)
      )`);
    await q.query(`CREATE INDEX division_lineage_predecessor ON division_lineage (predecessor_id)`);
    await q.query(`CREATE INDEX division_lineage_successor ON division_lineage (successor_id)`);
    await this.seed(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE division_lineage`);
    await q.query(`DROP TABLE division_version`);
    await q.query(`DROP TABLE division_change`);
    await q.query(`DROP TABLE division`);
  }

  private async seed(q: QueryRunner): Promise<void> {
    const changeId = uuidv7();
    const from = '2000-01-01';
    const rows: { id: string; level: string; demo: boolean; code: string; name: string; parentId: string | null; urbanRural: 'urban' | 'rural' }[] = [];
    const add = (level: string, code: string, name: string, parentId: string | null, urbanRural: 'urban' | 'rural', demo = false): string => {
      const id = uuidv7();
      rows.push({ id, level, demo, code, name, parentId, urbanRural });
      return id;
    };
    const province = add('province', '430000000000', '湖南省', null, 'urban');
    const city = add('city', '430500000000', '邵阳市', province, 'urban');
    const county = add('county', '430503000000', '大祥区', city, 'urban');
    for (const seedTownship of SEED_TOWNSHIPS) {
      const township = add(seedTownship.level, seedTownship.code, seedTownship.name, county, seedTownship.urbanRural);
      for (const unit of seedVillageUnits(seedTownship)) add(unit.level, unit.code, unit.name, township, unit.urbanRural, true);
    }
    await q.query(
      `INSERT INTO division_change (id, kind, effective_date, document_number, note, recorded_by, successors)
       VALUES ($1, 'create', $2, '历史数据', 'initial division tree (大祥区 and its townships; demo communities and villages)', 'migration', $3::jsonb)`,
      [changeId, from, JSON.stringify(rows.filter((r) => !r.demo).map((r) => ({ divisionId: r.id, code: r.code, name: r.name })))],
    );
    await q.query(`INSERT INTO division (id, level, demo) SELECT * FROM unnest($1::uuid[], $2::text[], $3::boolean[])`, [rows.map((r) => r.id), rows.map((r) => r.level), rows.map((r) => r.demo)]);
    await q.query(
      `INSERT INTO division_version (id, division_id, code, name, parent_id, urban_rural, valid_from, change_id)
       SELECT v.id, v.division_id, v.code, v.name, v.parent_id, v.urban_rural, $7::date, $8::uuid
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::text[]) AS v(id, division_id, code, name, parent_id, urban_rural)`,
      [rows.map(() => uuidv7()), rows.map((r) => r.id), rows.map((r) => r.code), rows.map((r) => r.name), rows.map((r) => r.parentId), rows.map((r) => r.urbanRural), from, changeId],
    );
  }
}

/** 大祥区's 14 township-level units: township part, name, level, classification. */
