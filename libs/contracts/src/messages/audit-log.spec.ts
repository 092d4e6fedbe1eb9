import { fieldErrorsOf } from '../validation';
import { Patterns } from '../subjects';
import { AUDIT_STREAM, AUDIT_STREAM_SUBJECTS, auditEntrySchema, auditSubject, exportAuditEntriesSchema, listAuditEntriesSchema, type AuditEntry } from './audit-log';

const entry: AuditEntry = {
  id: '0190a6d2-7c3e-7b4a-9f00-1234567890ab',
  at: '2024-05-01T08:30:00.123Z',
  kind: 'write',
  actor: { userId: 'clerk-1', kind: 'staff', roles: ['clerk', 'township-reviewer'] },
  method: 'POST',
  route: '/api/v1/dibao/applications/:id/decide',
  path: '/api/v1/dibao/applications/0190a6d2-7c3e-7b4a-9f00-1234567890ab/decide',
  subject: 'social-assistance.dibao-application.act',
  recordId: '0190a6d2-7c3e-7b4a-9f00-1234567890ab',
  status: 200,
  code: null,
  clientIp: '10.0.0.7',
  userAgent: 'Mozilla/5.0',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  reason: null,
};

function fieldsOf(schema: { safeParse(input: unknown): { success: boolean; error?: unknown } }, input: unknown): string[] {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return fieldErrorsOf(result.error as Parameters<typeof fieldErrorsOf>[0]).map((f) => f.field);
}

describe('audit log contract', () => {
  it('names the stream, its subjects and the subjects per kind', () => {
    expect(AUDIT_STREAM).toBe('AUDIT');
    expect(AUDIT_STREAM_SUBJECTS).toEqual(['audit.>']);
    expect(auditSubject('reveal')).toBe('audit.gateway.reveal');
    expect(Patterns.auditLog).toEqual({ list: 'reporting.audit-log.list', export: 'reporting.audit-log.export' });
  });
});

describe('auditEntrySchema', () => {
  it('accepts a full entry, an anonymous refusal and an offset timestamp', () => {
    expect(auditEntrySchema.parse(entry)).toEqual(entry);
    const refused = { ...entry, kind: 'refused', actor: null, subject: null, recordId: null, status: 401, code: 'UNAUTHENTICATED', userAgent: null, traceId: null };
    expect(auditEntrySchema.parse(refused)).toEqual(refused);
    expect(auditEntrySchema.parse({ ...entry, at: '2024-05-01T16:30:00+08:00' }).at).toBe('2024-05-01T16:30:00+08:00');
  });

  it('is strict: unknown fields, at the top and in the actor, are refused', () => {
    expect(fieldsOf(auditEntrySchema, { ...entry, extra: 1 })).toEqual(['(body)']);
    expect(fieldsOf(auditEntrySchema, { ...entry, actor: { ...entry.actor, divisions: [] } })).toEqual(['actor']);
  });

  it('requires every field (null where nothing applies)', () => {
    const { reason: _reason, ...withoutReason } = entry;
    expect(fieldsOf(auditEntrySchema, withoutReason)).toEqual(['reason']);
  });

  it('names each bad field', () => {
    expect(
      fieldsOf(auditEntrySchema, {
        ...entry,
        id: 'not-a-uuid',
        at: '2024-05-01',
        kind: 'read',
        actor: { userId: '', kind: 'robot', roles: 'clerk' },
        method: 'post',
        path: 'x'.repeat(2001),
        status: 200.5,
        userAgent: 'u'.repeat(501),
        reason: 'r'.repeat(501),
      }).sort(),
    ).toEqual(['actor.kind', 'actor.roles', 'actor.userId', 'at', 'id', 'kind', 'method', 'path', 'reason', 'status', 'userAgent'].sort());
  });

  it('takes the limits at their edges', () => {
    expect(() => auditEntrySchema.parse({ ...entry, path: 'x'.repeat(2000), userAgent: 'u'.repeat(500), reason: 'r'.repeat(500) })).not.toThrow();
  });
});

describe('listAuditEntriesSchema', () => {
  it('defaults the limit to 100 and coerces query-string numbers', () => {
    expect(listAuditEntriesSchema.parse({})).toEqual({ limit: 100 });
    expect(listAuditEntriesSchema.parse({ limit: '500', status: '403', kind: 'refused', userId: 'u1' })).toEqual({ limit: 500, status: 403, kind: 'refused', userId: 'u1' });
  });

  it('refuses a limit outside 1..500, a bad kind, a bad datetime, an unknown filter', () => {
    expect(fieldsOf(listAuditEntriesSchema, { limit: '0' })).toEqual(['limit']);
    expect(fieldsOf(listAuditEntriesSchema, { limit: '501' })).toEqual(['limit']);
    expect(fieldsOf(listAuditEntriesSchema, { limit: 'many', kind: 'read', from: 'yesterday' }).sort()).toEqual(['from', 'kind', 'limit']);
    expect(fieldsOf(listAuditEntriesSchema, { division: '430503' })).toEqual(['(body)']);
    expect(fieldsOf(listAuditEntriesSchema, { after: 'not a cursor!' })).toEqual(['after']);
  });

  it('needs from before to', () => {
    expect(listAuditEntriesSchema.parse({ from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z' })).toMatchObject({ from: '2024-01-01T00:00:00Z' });
    expect(fieldsOf(listAuditEntriesSchema, { from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' })).toEqual(['from']);
    expect(fieldsOf(listAuditEntriesSchema, { from: '2024-01-01T08:00:00+08:00', to: '2024-01-01T00:00:00Z' })).toEqual(['from']);
    // … also when other fields are wrong, so every bad field is named at once.
    expect(fieldsOf(listAuditEntriesSchema, { from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z', limit: '0' }).sort()).toEqual(['from', 'limit']);
    expect(fieldsOf(exportAuditEntriesSchema, { from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z', kind: 'x' }).sort()).toEqual(['from', 'kind']);
  });
});

describe('exportAuditEntriesSchema', () => {
  it('takes the filters and the paging fields, but no limit', () => {
    const page = { userId: 'u1', exportId: '2024-05-01T08:30:00.123456Z', after: 'WyIyMDI0Il0' };
    expect(exportAuditEntriesSchema.parse(page)).toEqual(page);
    expect(fieldsOf(exportAuditEntriesSchema, { limit: 10 })).toEqual(['(body)']);
  });

  it('needs the export id on a page after the first', () => {
    expect(fieldsOf(exportAuditEntriesSchema, { after: 'WyIyMDI0Il0' })).toEqual(['exportId']);
  });
});
