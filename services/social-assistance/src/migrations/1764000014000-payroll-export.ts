import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bank-file exports: who took which payroll's file (it carries payees' full resident IDs), with
 * the division scope it was cut to, so the pages that follow the first are read with the same
 * scope and only by the same person. Append-only, like the payment lines it exports.
 */
export class PayrollExport1764000014000 implements MigrationInterface {
  name = 'PayrollExport1764000014000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payroll_export (
        id uuid PRIMARY KEY,
        period char(7) NOT NULL,
        programme text NOT NULL,
        exported_by text NOT NULL,
        -- LIKE patterns of the exporter's divisions; NULL for the district-wide system actor.
        scope text[],
        lines integer NOT NULL,
        amount_fen bigint NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (period, programme) REFERENCES payroll_run (period, programme)
      )`);
    await q.query(`CREATE TRIGGER payroll_export_append_only BEFORE UPDATE OR DELETE ON payroll_export FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payroll_export`);
  }
}
