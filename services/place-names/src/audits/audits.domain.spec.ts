import { DomainError, auditDatabaseClassOf, recordAuditResultSchema, type Actor } from '@civil/contracts';
import {
  checkClosable,
  checkOutcomeMatches,
  checkReviewedOn,
  classifyCorrections,
  countsByClass,
  delegatedWriter,
  percentDone,
  readAccess,
  recordingAgain,
  requireMayRecord,
} from './audits.domain';

const officer: Actor = { userId: 'officer', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503000000'] };
const townshipOfficer: Actor = { userId: 'township', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503101000'] };
const reviewer: Actor = { userId: 'rev-1', kind: 'staff', roles: ['clerk'], divisions: ['430503101000'] };
const auditor: Actor = { userId: 'auditor', kind: 'staff', roles: ['auditor'], divisions: ['430503000000'] };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
  return undefined;
}

describe('audit rules', () => {
  it('maps categories onto the five database classes and "other"', () => {
    expect(auditDatabaseClassOf('committee-seat')).toBe('committee-seat');
    expect(auditDatabaseClassOf('residential-area-or-building')).toBe('residential-area-or-building');
    expect(auditDatabaseClassOf('park-or-protected-area')).toBe('other');
    expect(auditDatabaseClassOf('infrastructure')).toBe('other');
    expect(auditDatabaseClassOf('other')).toBe('other');
  });

  it('lets the assigned reviewer record, and officers covering the division', () => {
    const record = { reviewer: 'rev-1', divisionCode: '430503101000', placeNameId: 'p' };
    expect(codeOf(() => requireMayRecord(reviewer, record))).toBeUndefined();
    expect(codeOf(() => requireMayRecord(officer, record))).toBeUndefined();
    expect(codeOf(() => requireMayRecord({ ...reviewer, userId: 'rev-2' }, record))).toBe('FORBIDDEN');
    // A citizen's account assigned by mistake is still not a reviewer.
    expect(codeOf(() => requireMayRecord({ userId: 'rev-1', kind: 'citizen', roles: ['citizen'], divisions: [], residentId: '430503199001011236' }, record))).toBe('FORBIDDEN');
    expect(codeOf(() => requireMayRecord(auditor, record))).toBe('FORBIDDEN');
    expect(codeOf(() => requireMayRecord(townshipOfficer, { ...record, divisionCode: '430503001000' }))).toBe('OUT_OF_DIVISION_SCOPE');
  });

  it('treats the same outcome again as already recorded and a different one as a conflict', () => {
    expect(recordingAgain('pending', 'reviewed', 'p')).toBe('record');
    expect(recordingAgain('corrected', 'corrected', 'p')).toBe('already-recorded');
    expect(codeOf(() => recordingAgain('reviewed', 'corrected', 'p'))).toBe('CONFLICT');
  });

  it('tells filled-in fields from changed ones and matches them to the outcome', () => {
    const current = { type: '路', pinyin: 'Hepinglu', locationDescription: null, longitude: null, latitude: null, approvingAuthority: null, approvalDate: null, origin: '' };
    const filled = classifyCorrections(current, { expectedVersion: 1, origin: '因路旁和平公园得名', longitude: 111.4, latitude: 27.2 });
    expect(filled).toEqual({ filled: ['origin', 'longitude', 'latitude'], changed: [] });
    expect(codeOf(() => checkOutcomeMatches('supplemented', filled))).toBeUndefined();
    expect(codeOf(() => checkOutcomeMatches('corrected', filled))).toBe('VALIDATION_FAILED');
    const changed = classifyCorrections(current, { expectedVersion: 1, type: '街', origin: '…' });
    expect(changed).toEqual({ filled: ['origin'], changed: ['type'] });
    expect(codeOf(() => checkOutcomeMatches('corrected', changed))).toBeUndefined();
    expect(codeOf(() => checkOutcomeMatches('supplemented', changed))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => checkOutcomeMatches('corrected', { filled: [], changed: [] }))).toBe('VALIDATION_FAILED');
  });

  it('dates reviews in or after the campaign year and not in the future', () => {
    expect(codeOf(() => checkReviewedOn('2023-06-01', 2023, '2024-01-01'))).toBeUndefined();
    expect(codeOf(() => checkReviewedOn('2022-12-31', 2023, '2024-01-01'))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => checkReviewedOn('2024-01-02', 2023, '2024-01-01'))).toBe('VALIDATION_FAILED');
  });

  it('refuses to close with pending records unless forced', () => {
    expect(codeOf(() => checkClosable(3, false, 'c'))).toBe('CONFLICT');
    expect(codeOf(() => checkClosable(3, true, 'c'))).toBeUndefined();
    expect(codeOf(() => checkClosable(0, false, 'c'))).toBeUndefined();
  });

  it('gives readers the whole campaign and reviewers their own records', () => {
    expect(readAccess(auditor, ['430503000000'], false)).toBe('all');
    expect(readAccess(reviewer, ['430503000000'], true)).toBe('own');
    expect(codeOf(() => readAccess(reviewer, ['430503000000'], false))).toBe('FORBIDDEN');
    expect(codeOf(() => readAccess(townshipOfficer, ['430503001000'], false))).toBe('OUT_OF_DIVISION_SCOPE');
  });

  it('delegates a reviewer the right to correct the one division, under their own id', () => {
    expect(delegatedWriter(reviewer, '430503101000')).toEqual({ userId: 'rev-1', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503101000'] });
    expect(delegatedWriter(officer, '430503101000')).toBe(officer);
  });

  it('counts progress in percent done and rolls categories up into classes', () => {
    expect(percentDone({ total: 3, pending: 1 })).toBe(66.7);
    expect(percentDone({ total: 0, pending: 0 })).toBe(0);
    const row = (category: 'infrastructure' | 'other' | 'street-road-lane', pending: number, reviewed: number) => ({
      category,
      total: pending + reviewed,
      pending,
      reviewed,
      corrected: 0,
      supplemented: 0,
      percentDone: 0,
    });
    expect(countsByClass([row('infrastructure', 1, 1), row('other', 0, 2), row('street-road-lane', 2, 0)])).toEqual([
      { databaseClass: 'street-road-lane', total: 2, pending: 2, reviewed: 0, corrected: 0, supplemented: 0, percentDone: 0 },
      { databaseClass: 'other', total: 4, pending: 1, reviewed: 3, corrected: 0, supplemented: 0, percentDone: 75 },
    ]);
  });

  it('validates a result: corrections only with corrected/supplemented, no personal data in the note', () => {
    const base = { id: '0190e3c4-5b6a-7c8d-9e0f-1a2b3c4d5e6f', placeNameId: '0190e3c4-5b6a-7c8d-9e0f-1a2b3c4d5e70' };
    expect(recordAuditResultSchema.safeParse({ ...base, outcome: 'reviewed' }).success).toBe(true);
    expect(recordAuditResultSchema.safeParse({ ...base, outcome: 'reviewed', corrections: { expectedVersion: 1, origin: 'x' } }).success).toBe(false);
    expect(recordAuditResultSchema.safeParse({ ...base, outcome: 'corrected' }).success).toBe(false);
    expect(recordAuditResultSchema.safeParse({ ...base, outcome: 'reviewed', note: '核对人身份证430503198001010011' }).success).toBe(false);
    expect(recordAuditResultSchema.safeParse({ ...base, outcome: 'reviewed', note: '电话13812345678' }).success).toBe(false);
    expect(recordAuditResultSchema.safeParse({ ...base, outcome: 'reviewed', note: '与实地一致，门牌号12号' }).success).toBe(true);
  });
});
