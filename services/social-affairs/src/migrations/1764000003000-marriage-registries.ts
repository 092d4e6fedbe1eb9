import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MarriageRegistries1764000003000 implements MigrationInterface {
  name = 'MarriageRegistries1764000003000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE marriage_registry (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        address text NOT NULL,
        daily_capacity integer NOT NULL CHECK (daily_capacity > 0),
        is_demo boolean NOT NULL DEFAULT false
      )`);
    // Reference data: the district's registry. Address and capacity are demo values.
    await q.query(
      `INSERT INTO marriage_registry (id, name, division_code, address, daily_capacity, is_demo)
       VALUES ('0193a0a0-0000-7000-8000-000000000001', '邵阳市大祥区婚姻登记处', '430503000000', '大祥区（演示地址）', 40, true)`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE marriage_registry`);
  }
}
