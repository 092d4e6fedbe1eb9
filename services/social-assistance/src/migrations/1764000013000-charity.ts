import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 慈善 (charity): campaigns (中华慈善日, festival visits, …), the money and goods received
 * (`charity_donation`, per campaign or for the general fund 慈善资金池 when campaign_id is null) and
 * what was done with them (`charity_activity`). Both ledgers are append-only; money is in fen.
 */
export class Charity1764000013000 implements MigrationInterface {
  name = 'Charity1764000013000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE charity_campaign (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('charity-day', 'festival-visit', 'disaster-relief', 'education-aid', 'other')),
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        starts_on date NOT NULL,
        ends_on date,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_on IS NULL OR ends_on >= starts_on)
      )`);
    await q.query(`CREATE INDEX charity_campaign_division ON charity_campaign (division_code, starts_on)`);

    // A money row has an amount and nothing of goods; a goods row a description, quantity and value.
    await q.query(`
      CREATE TABLE charity_donation (
        id uuid PRIMARY KEY,
        campaign_id uuid REFERENCES charity_campaign (id),
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        donor_name text CHECK (length(donor_name) BETWEEN 1 AND 200),
        donor_kind text NOT NULL CHECK (donor_kind IN ('person', 'organisation', 'anonymous')),
        kind text NOT NULL CHECK (kind IN ('money', 'goods')),
        amount_fen bigint,
        goods_description text,
        quantity integer,
        value_fen bigint,
        receipt_number text NOT NULL CHECK (length(receipt_number) BETWEEN 1 AND 64),
        received_on date NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT charity_donation_receipt_number_unique UNIQUE (receipt_number),
        CONSTRAINT charity_donation_donor CHECK ((donor_kind = 'anonymous') = (donor_name IS NULL)),
        CONSTRAINT charity_donation_money_or_goods CHECK (
          (kind = 'money' AND amount_fen > 0 AND goods_description IS NULL AND quantity IS NULL AND value_fen IS NULL)
          OR (kind = 'goods' AND amount_fen IS NULL AND length(goods_description) > 0 AND quantity > 0 AND value_fen > 0)
        )
      )`);
    await q.query(`CREATE INDEX charity_donation_campaign ON charity_donation (campaign_id)`);
    await q.query(`CREATE INDEX charity_donation_received ON charity_donation (received_on, division_code)`);

    await q.query(`
      CREATE TABLE charity_activity (
        id uuid PRIMARY KEY,
        campaign_id uuid REFERENCES charity_campaign (id),
        kind text NOT NULL CHECK (kind IN ('visit', 'distribution', 'volunteer-service', 'fundraising')),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        held_on date NOT NULL,
        households_visited integer NOT NULL DEFAULT 0 CHECK (households_visited >= 0),
        persons_served integer NOT NULL DEFAULT 0 CHECK (persons_served >= 0),
        funds_distributed_fen bigint NOT NULL DEFAULT 0 CHECK (funds_distributed_fen >= 0),
        goods_distributed_value_fen bigint NOT NULL DEFAULT 0 CHECK (goods_distributed_value_fen >= 0),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT charity_activity_something CHECK (
          households_visited > 0 OR persons_served > 0 OR funds_distributed_fen > 0 OR goods_distributed_value_fen > 0
        )
      )`);
    await q.query(`CREATE INDEX charity_activity_campaign ON charity_activity (campaign_id)`);
    await q.query(`CREATE INDEX charity_activity_held ON charity_activity (held_on, division_code)`);

    // Append-only, with the refuse_change() function from AssistanceBase1764000006000. Corrections
    // (reversing entries) are not modelled yet.
    await q.query(`CREATE TRIGGER charity_donation_append_only BEFORE UPDATE OR DELETE ON charity_donation FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await q.query(`CREATE TRIGGER charity_activity_append_only BEFORE UPDATE OR DELETE ON charity_activity FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['charity_activity', 'charity_donation', 'charity_campaign']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
