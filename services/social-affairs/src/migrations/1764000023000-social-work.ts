import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Social work stations (社工站) and the activities they run, with the people served. */
export class SocialWork1764000023000 implements MigrationInterface {
  name = 'SocialWork1764000023000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE social_work_station (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        is_demo boolean NOT NULL DEFAULT false
      )`);
    await q.query(`INSERT INTO social_work_station (id, name, division_code, is_demo) VALUES ('0193a0a0-0000-7000-8000-0000000000d1', '大祥区社会工作服务站', '430503000000', true)`);
    await q.query(`
      CREATE TABLE social_work_activity (
        id uuid PRIMARY KEY,
        station_id uuid NOT NULL REFERENCES social_work_station (id),
        kind text NOT NULL CHECK (kind IN ('elderly-care-visit', 'children-in-difficulty', 'tekun-family', 'volunteer-service', 'other')),
        title text NOT NULL CHECK (length(title) > 0),
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        held_on date NOT NULL,
        persons_served integer NOT NULL CHECK (persons_served > 0),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX social_work_activity_held ON social_work_activity (held_on, division_code)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE social_work_activity`);
    await q.query(`DROP TABLE social_work_station`);
  }
}
