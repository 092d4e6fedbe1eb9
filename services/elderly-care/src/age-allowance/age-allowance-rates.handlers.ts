import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Money } from '@civil/domain-kernel';
import { Patterns, emptyRequestSchema, type AgeAllowanceRateView } from '@civil/contracts';
import { RpcHandler } from '@civil/platform';
import type { DataSource } from 'typeorm';

interface RateRow {
  band: 'high-age' | 'longevity';
  division_code: string;
  min_age: number;
  max_age: number | null;
  monthly_amount_fen: string;
  effective_from: string;
  effective_to: string | null;
}

/** The published allowance rates: public, as the bureau publishes them. */
@Injectable()
export class AgeAllowanceRatesHandlers {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @RpcHandler(Patterns.elderlyCare.listAgeAllowanceRates, { schema: emptyRequestSchema, public: true })
  async list(): Promise<{ items: AgeAllowanceRateView[] }> {
    const rows: RateRow[] = await this.dataSource.query(
      `SELECT band, division_code, min_age, max_age, monthly_amount_fen, to_char(effective_from, 'YYYY-MM-DD') AS effective_from,
              to_char(effective_to, 'YYYY-MM-DD') AS effective_to
         FROM age_allowance_rate ORDER BY division_code, min_age, effective_from`,
    );
    return {
      items: rows.map((r) => ({
        band: r.band,
        divisionCode: r.division_code,
        minAge: r.min_age,
        maxAge: r.max_age,
        monthlyAmountFen: Money.fen(r.monthly_amount_fen).fen,
        effectiveFrom: r.effective_from,
        effectiveTo: r.effective_to,
      })),
    };
  }
}
