import { z } from 'zod';

/**
 * An ISO 8601 date-time with an offset (or Z) that PostgreSQL's timestamptz can take: its UTC
 * offsets stop at ±15:59, while the ISO pattern admits up to ±23:59. A larger offset such as
 * `-16:22` is refused here, as a 400 naming the field, instead of failing the query with a 500.
 */
export function storableIsoDateTime() {
  return z.iso.datetime({ offset: true }).refine(
    (value) => {
      const offset = /([+-])(\d\d):?(\d\d)$/.exec(value);
      return offset === null || Number(offset[2]) <= 15;
    },
    { message: 'the UTC offset must be within ±15:59', params: { rule: 'offset-range' } },
  );
}
