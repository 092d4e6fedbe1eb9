import { Injectable } from '@nestjs/common';
import { DomainError, parseOrThrow, dashboardQuerySchema, type DashboardQuery, type DashboardSeriesView, type ElementRef, type SeriesPointView } from '@civil/contracts';
import { DataElementsService, yearRange, type ElementFilter } from '../projections/data-elements.service';
import { IndicatorsService } from '../indicators/indicators.service';

type By = 'month' | 'township';

/**
 * Chart data: an indicator or a data element by month of a year (flows per month, stocks at each
 * month's end) or by township over the year. An indicator is charted only when it is computed from
 * data elements: numerator / denominator × factor per group.
 */
@Injectable()
export class DashboardsService {
  constructor(
    private readonly elements: DataElementsService,
    private readonly indicators: IndicatorsService,
  ) {}

  async series(request: unknown): Promise<DashboardSeriesView> {
    return this.chart(parseOrThrow(dashboardQuerySchema, request), 'month');
  }

  async townships(request: unknown): Promise<DashboardSeriesView> {
    return this.chart(parseOrThrow(dashboardQuerySchema, request), 'township');
  }

  private async chart(query: DashboardQuery, by: By): Promise<DashboardSeriesView> {
    const filter: ElementFilter = { ...(query.divisionCode ? { divisionCode: query.divisionCode } : {}) };
    if (query.element !== undefined) {
      const element = this.elements.element(query.element);
      const values = await this.groups(query.year, { element: query.element, ...(query.urbanRural ? { urbanRural: query.urbanRural } : {}) }, filter, by);
      return { year: query.year, indicator: null, element: element.code, unit: element.unit, points: this.points(query.year, by, [...values.keys()], (g) => values.get(g) ?? 0) };
    }
    const indicator = await this.indicators.definition(query.indicator ?? '');
    if (indicator.source.kind !== 'elements') {
      throw DomainError.validation([{ field: 'indicator', rule: 'computed-from-elements', message: `indicator ${indicator.code} is not computed from data elements` }]);
    }
    const { numerator, denominator } = indicator.source;
    const restrict = (ref: ElementRef): ElementRef => (query.urbanRural ? { ...ref, urbanRural: query.urbanRural } : ref);
    const num = await this.groups(query.year, restrict(numerator), filter, by);
    const den = denominator ? await this.groups(query.year, restrict(denominator), filter, by) : null;
    const value = (g: string): number | null => {
      const n = num.get(g) ?? 0;
      if (!den) return Number((n * indicator.factor).toPrecision(12));
      const d = den.get(g) ?? 0;
      return d === 0 ? null : Number(((n / d) * indicator.factor).toPrecision(12));
    };
    return { year: query.year, indicator: indicator.code, element: null, unit: indicator.unit, points: this.points(query.year, by, [...num.keys(), ...(den ? den.keys() : [])], value) };
  }

  private async groups(year: number, ref: ElementRef, filter: ElementFilter, by: By): Promise<Map<string, number>> {
    const rows = await this.elements.grouped(ref.element, yearRange(year), { ...filter, ...(ref.urbanRural ? { urbanRural: ref.urbanRural } : {}) }, by);
    return new Map(rows.filter((r): r is { group: string; value: number } => r.group !== null).map((r) => [r.group, r.value]));
  }

  /** Every month of the year (months without data are zero); townships as found, in code order. */
  private points(year: number, by: By, found: string[], value: (group: string) => number | null): SeriesPointView[] {
    const groups = by === 'month' ? Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`) : [...new Set(found)].sort();
    return groups.map((group) => ({ group, value: value(group) }));
  }
}
