import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 低保 procedure's durations as a versioned rule table, and the durations each application
 * was opened under: public notice (公示) in calendar days, and the working days to decide, plain
 * and extended. Seeded with the national rule (最低生活保障审核确认办法, 2021: 7-day notice, 30
 * working days, extendable by 15), not demo values. An application keeps the durations in force
 * on its submission, so a later change of the rule does not move its deadline or its notice.
 */
export class DibaoProcedure1764000015000 implements MigrationInterface {
  name = 'DibaoProcedure1764000015000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_dibao_procedure (
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        effective_from date NOT NULL,
        effective_to date,
        notice_days integer NOT NULL CHECK (notice_days >= 0),
        deadline_working_days integer NOT NULL CHECK (deadline_working_days > 0),
        extended_deadline_working_days integer NOT NULL,
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (division_code, effective_from),
        CHECK (effective_to IS NULL OR effective_to > effective_from),
        CHECK (extended_deadline_working_days >= deadline_working_days)
      )`);
    await q.query(`
      INSERT INTO rule_dibao_procedure (division_code, effective_from, notice_days, deadline_working_days, extended_deadline_working_days)
      VALUES ('430503000000', '2021-07-01', 7, 30, 45)`);
    // Applications opened before this table existed ran under the national rule.
    await q.query(`
      ALTER TABLE dibao_application
        ADD COLUMN notice_days integer NOT NULL DEFAULT 7,
        ADD COLUMN deadline_working_days integer NOT NULL DEFAULT 30,
        ADD COLUMN extended_deadline_working_days integer NOT NULL DEFAULT 45`);
    await q.query(`
      ALTER TABLE dibao_application
        ALTER COLUMN notice_days DROP DEFAULT,
        ALTER COLUMN deadline_working_days DROP DEFAULT,
        ALTER COLUMN extended_deadline_working_days DROP DEFAULT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dibao_application DROP COLUMN extended_deadline_working_days, DROP COLUMN deadline_working_days, DROP COLUMN notice_days`);
    await q.query(`DROP TABLE rule_dibao_procedure`);
  }
}
