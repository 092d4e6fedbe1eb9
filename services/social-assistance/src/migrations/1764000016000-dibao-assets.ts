import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 低保 asset test's limits as a versioned rule table (by division and effective date; the
 * most specific division wins): deposits and securities per person within a number of months of
 * the monthly standard, the value up to which a vehicle is exempt, whether non-residential
 * property is allowed, and the business-capital cap. The seeded row is demo values.
 */
export class DibaoAssets1764000016000 implements MigrationInterface {
  name = 'DibaoAssets1764000016000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_dibao_asset (
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        effective_from date NOT NULL,
        effective_to date,
        financial_limit_months integer NOT NULL CHECK (financial_limit_months >= 0),
        vehicle_exempt_value_fen bigint NOT NULL CHECK (vehicle_exempt_value_fen >= 0),
        non_residential_property_allowed boolean NOT NULL,
        business_capital_cap_fen bigint NOT NULL CHECK (business_capital_cap_fen >= 0),
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (division_code, effective_from),
        CHECK (effective_to IS NULL OR effective_to > effective_from)
      )`);
    await q.query(`
      INSERT INTO rule_dibao_asset (division_code, effective_from, financial_limit_months, vehicle_exempt_value_fen, non_residential_property_allowed, business_capital_cap_fen, is_demo)
      VALUES ('430503000000', '2023-01-01', 24, 1000000, false, 5000000, true)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rule_dibao_asset`);
  }
}
