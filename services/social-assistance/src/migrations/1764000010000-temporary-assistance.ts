import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 临时救助 (temporary assistance): a versioned rule table (the cap and the township's approval
 * limit as multiples of the household's monthly 低保 standard, in basis points: 60000 = 6×), the
 * cases, and their append-only action log. Emergency (急难型) cases are granted first and
 * documented after; expenditure (支出型) cases are applied for, reviewed and decided.
 */
export class TemporaryAssistance1764000010000 implements MigrationInterface {
  name = 'TemporaryAssistance1764000010000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_temporary_assistance (
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        effective_from date NOT NULL,
        effective_to date,
        cap_multiple_bp integer NOT NULL CHECK (cap_multiple_bp > 0),
        township_limit_bp integer NOT NULL CHECK (township_limit_bp > 0),
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (division_code, effective_from),
        CHECK (effective_to IS NULL OR effective_to > effective_from),
        CHECK (township_limit_bp <= cap_multiple_bp)
      )`);
    await q.query(`
      INSERT INTO rule_temporary_assistance (division_code, effective_from, cap_multiple_bp, township_limit_bp, is_demo) VALUES
        ('430503000000', '2023-01-01', 60000, 30000, true)`);
    // The status column is a cache of the log, for queries.
    await q.query(`
      CREATE TABLE temporary_assistance_case (
        id uuid PRIMARY KEY,
        household_id uuid NOT NULL REFERENCES household (id),
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        urban_rural text NOT NULL CHECK (urban_rural IN ('urban', 'rural')),
        kind text NOT NULL CHECK (kind IN ('emergency', 'expenditure')),
        cause text NOT NULL CHECK (length(cause) > 0),
        persons integer NOT NULL CHECK (persons > 0),
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        status text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX temporary_assistance_case_household ON temporary_assistance_case (household_id)`);
    await q.query(`CREATE INDEX temporary_assistance_case_division ON temporary_assistance_case (division_code, status)`);
    await q.query(`
      CREATE TABLE temporary_assistance_action (
        case_id uuid NOT NULL REFERENCES temporary_assistance_case (id),
        seq integer NOT NULL CHECK (seq > 0),
        action text NOT NULL,
        actor_id text NOT NULL,
        role text NOT NULL,
        on_date date NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        payload jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (case_id, seq)
      )`);
    // Append-only, with the refuse_change() function from AssistanceBase1764000006000.
    await q.query(`CREATE TRIGGER temporary_assistance_action_append_only BEFORE UPDATE OR DELETE ON temporary_assistance_action FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['temporary_assistance_action', 'temporary_assistance_case', 'rule_temporary_assistance']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
