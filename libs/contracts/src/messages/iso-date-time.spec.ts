import { exportAuditEntriesSchema } from './audit-log';
import { storableIsoDateTime } from './iso-date-time';
import { exportPlaceNamesSchema } from './place-name-transfer';

describe('storableIsoDateTime', () => {
  const schema = storableIsoDateTime();

  it.each(['2023-08-13T03:24:53Z', '2023-08-13T03:24:53.123+08:00', '0083-08-13T03:24:53-15:59', '2023-08-13T03:24:53+14:00'])('takes %s', (value) => {
    expect(schema.safeParse(value).success).toBe(true);
  });

  // Found by the fuzz test: PostgreSQL refused these offsets, so the query failed with a 500.
  it.each(['2023-08-13T03:24:53-16:22', '0083-08-13T03:24:53+23:59'])('refuses %s, an offset timestamptz cannot take, as offset-range', (value) => {
    const result = schema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ params: { rule: 'offset-range' } });
  });

  it('guards the audit-log filters and the gazetteer export cursor', () => {
    expect(exportAuditEntriesSchema.safeParse({ to: '2023-08-13T03:24:53-16:22' }).success).toBe(false);
    expect(exportPlaceNamesSchema.safeParse({ exportId: '2023-08-13T03:24:53-16:22' }).success).toBe(false);
  });
});
