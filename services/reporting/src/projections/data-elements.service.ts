import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError } from '@civil/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { catalogue, type DataElement, type StockElement } from './elements';
import { ALL_ELEMENTS } from './mappers';

/** A half-open range of business dates: from (inclusive) to (exclusive). */
export interface DateRange {
  from: string;
  to: string;
}

export interface ElementFilter {
  /** Twelve digits; a township-level code or the county (all townships). */
  divisionCode?: string;
  urbanRural?: 'urban' | 'rural';
}

export interface ElementValue {
  code: string;
  value: number;
}

/** The whole of `year` as a date range. */
export function yearRange(year: number): DateRange {
  return { from: `${year}-01-01`, to: `${year + 1}-01-01` };
}

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Division codes of the county (or above) select every township: 430503000000 → 430503%. */
function divisionPattern(code: string | undefined): string | null {
  if (code === undefined) return null;
  const prefix = code.replace(/(000)+$/, '');
  return `${prefix.length <= 6 ? prefix.replace(/(00)+$/, '') : prefix}%`;
}

/**
 * Values of data elements over the projections: a flow over a date range, a stock on the range's
 * last day; by township, urban/rural or month for dashboards.
 */
@Injectable()
export class DataElementsService {
  private readonly elements: Map<string, DataElement>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    elements: readonly DataElement[] = ALL_ELEMENTS,
  ) {
    this.elements = catalogue(elements);
  }

  list(): DataElement[] {
    return [...this.elements.values()].sort((a, b) => a.code.localeCompare(b.code));
  }

  element(code: string): DataElement {
    const found = this.elements.get(code);
    if (found === undefined) throw new DomainError('NOT_FOUND', `no data element ${code}`);
    return found;
  }

  async value(code: string, range: DateRange, filter: ElementFilter = {}, manager?: EntityManager): Promise<number> {
    const [row] = await this.grouped(code, range, filter, null, manager);
    return row?.value ?? 0;
  }

  /** Values grouped by township, urban/rural or month (a stock by month is its value at each month's end). */
  async grouped(
    code: string,
    range: DateRange,
    filter: ElementFilter,
    by: 'township' | 'urbanRural' | 'month' | null,
    manager?: EntityManager,
  ): Promise<{ group: string | null; value: number }[]> {
    const db = manager ?? this.dataSource.manager;
    const element = this.element(code);
    const division = divisionPattern(filter.divisionCode);
    if (element.kind === 'flow') {
      const group = by === 'township' ? 'division_code' : by === 'urbanRural' ? 'urban_rural' : by === 'month' ? `to_char(business_date, 'YYYY-MM')` : 'NULL';
      const rows = await db.query<{ grp: string | null; value: string }[]>(
        `SELECT ${group} AS grp, coalesce(sum(value), 0) AS value FROM fact
          WHERE element = $1 AND business_date >= $2 AND business_date < $3
            AND ($4::text IS NULL OR division_code LIKE $4) AND ($5::text IS NULL OR urban_rural = $5)
          GROUP BY 1 ORDER BY 1`,
        [code, range.from, range.to, division, filter.urbanRural ?? null],
      );
      return rows.map((r) => ({ group: r.grp, value: Number(r.value) }));
    }
    if (by === 'month') {
      const months: { group: string; value: number }[] = [];
      for (let month = range.from.slice(0, 7); `${month}-01` < range.to; month = nextMonth(month)) {
        months.push({ group: month, value: await this.stockOn(db, element, dayBefore(`${nextMonth(month)}-01`), division, filter, null).then((r) => r[0]?.value ?? 0) });
      }
      return months;
    }
    return this.stockOn(db, element, dayBefore(range.to), division, filter, by);
  }

  private async stockOn(
    db: EntityManager,
    element: StockElement,
    date: string,
    division: string | null,
    filter: ElementFilter,
    by: 'township' | 'urbanRural' | null,
  ): Promise<{ group: string | null; value: number }[]> {
    const group = by === 'township' ? 'division_code' : by === 'urbanRural' ? 'urban_rural' : 'NULL';
    const measure = element.measure === 'persons' ? 'coalesce(sum(persons), 0)' : 'count(*)';
    const rows = await db.query<{ grp: string | null; value: string }[]>(
      `SELECT ${group} AS grp, ${measure} AS value FROM (
         SELECT DISTINCT ON (entity_id) * FROM state_version
          WHERE entity_kind = $1 AND effective_from <= $2
          ORDER BY entity_id, effective_from DESC, event_time DESC, event_id DESC) latest
        WHERE active AND attributes @> $3::jsonb AND ($4::text IS NULL OR division_code LIKE $4) AND ($5::text IS NULL OR urban_rural = $5)
        GROUP BY 1 ORDER BY 1`,
      [element.entityKind, date, JSON.stringify(element.where ?? {}), division, filter.urbanRural ?? null],
    );
    return rows.map((r) => ({ group: r.grp, value: Number(r.value) }));
  }
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
