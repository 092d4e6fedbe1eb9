import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The township-level divisions this office serves, so a household is never registered under a
 * division that does not exist. Seeded with 大祥区's 14 units; the place-names service owns the
 * register, and its division.changed events will keep this copy current.
 */
export class KnownDivisions1764000009500 implements MigrationInterface {
  name = 'KnownDivisions1764000009500';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE known_division (
        code char(12) PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
        name text NOT NULL,
        urban_rural text NOT NULL CHECK (urban_rural IN ('urban', 'rural')),
        valid_from date NOT NULL DEFAULT '1900-01-01',
        valid_to date
      )`);
    await q.query(`
      INSERT INTO known_division (code, name, urban_rural) VALUES
        ('430503001000', '中心路街道', 'urban'), ('430503002000', '红旗路街道', 'urban'), ('430503003000', '城北路街道', 'urban'),
        ('430503004000', '城西街道', 'urban'), ('430503005000', '翠园街道', 'urban'), ('430503006000', '百春园街道', 'urban'),
        ('430503007000', '城南街道', 'urban'), ('430503008000', '火车南站街道', 'urban'), ('430503009000', '学院路街道', 'urban'),
        ('430503010000', '雨溪街道', 'urban'), ('430503011000', '檀江街道', 'urban'), ('430503101000', '罗市镇', 'rural'),
        ('430503202000', '蔡锷乡', 'rural'), ('430503203000', '板桥乡', 'rural')`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE known_division`);
  }
}
