import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Households1764000005000 implements MigrationInterface {
  name = 'Households1764000005000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE household (
        id uuid PRIMARY KEY,
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        urban_rural text NOT NULL CHECK (urban_rural IN ('urban', 'rural')),
        address text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE household_member (
        id uuid PRIMARY KEY,
        household_id uuid NOT NULL REFERENCES household (id),
        name text NOT NULL,
        resident_id text NOT NULL,
        relationship text NOT NULL,
        birth_date date NOT NULL,
        sex text NOT NULL CHECK (sex IN ('male', 'female'))
      )`);
    // A person belongs to one assistance household at a time.
    await q.query(`CREATE UNIQUE INDEX household_member_person ON household_member (resident_id)`);
    await q.query(`CREATE INDEX household_member_household ON household_member (household_id)`);
    await q.query(`CREATE INDEX household_division ON household (division_code)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE household_member`);
    await q.query(`DROP TABLE household`);
  }
}
