import { randomBytes } from 'node:crypto';
import { DibaoCaseEvents, DibaoEvents, TekunEvents, type DibaoHouseholdAdjustedV1, type DibaoHouseholdStartedV1, type SealedResidentId } from '@civil/contracts';
import { PersonalDataCipher, sealResidentId } from './personal-data-cipher';
import { EVENT_TYPES_WITH_RESIDENT_IDS, sealEventData } from './sealed-event-envelopes';
import { sealedMembersOf } from '../read-models/dibao-case-projection';

const HEAD = '43050319900101123X';
const CHILD = '430503201501010021';

describe('sealed resident IDs in events', () => {
  const cipher = new PersonalDataCipher(randomBytes(32).toString('base64'));

  it('unseal opens a sealed number and refuses a pair whose ciphertext is not of its hash, or another key', () => {
    const sealed = sealResidentId(cipher, HEAD.toLowerCase());
    expect(cipher.unseal(sealed)).toBe(HEAD);
    const other = sealResidentId(cipher, CHILD);
    expect(() => cipher.unseal({ hash: sealed.hash, enc: other.enc })).toThrow('does not match its hash');
    expect(() => new PersonalDataCipher(randomBytes(32).toString('base64')).unseal(sealed)).toThrow();
  });

  it('sealEventData replaces plain member numbers and a plain resident ID, keeping every other field', () => {
    const started = sealEventData(DibaoEvents.householdStarted, { caseId: 'c', persons: 2, memberResidentIds: [HEAD, CHILD] }, cipher);
    expect(started).not.toBeNull();
    expect(Object.keys(started ?? {}).sort()).toEqual(['caseId', 'members', 'persons']);
    expect((started?.members as SealedResidentId[]).map((m) => cipher.unseal(m))).toEqual([HEAD, CHILD]);
    expect(JSON.stringify(started)).not.toContain(HEAD.slice(6));

    const enrolled = sealEventData(TekunEvents.ended, { personId: 'p', residentId: HEAD, reason: 'death' }, cipher);
    expect(enrolled).toMatchObject({ personId: 'p', reason: 'death' });
    expect(enrolled).not.toHaveProperty('residentId');
    expect(cipher.unseal(enrolled?.resident as SealedResidentId)).toBe(HEAD);
  });

  it('sealEventData leaves sealed events, events without numbers and other types alone', () => {
    expect(sealEventData(DibaoEvents.householdStarted, { caseId: 'c', members: [sealResidentId(cipher, HEAD)] }, cipher)).toBeNull();
    expect(sealEventData(DibaoCaseEvents.householdAdjusted, { caseId: 'c', reason: 'x' }, cipher)).toBeNull();
    expect(sealEventData('civil.social-affairs.marriage.registered.v1', { residentId: HEAD }, cipher)).toBeNull();
    // A malformed field of the name is dropped rather than kept.
    expect(sealEventData(TekunEvents.changed, { personId: 'p', residentId: 42 }, cipher)).toEqual({ personId: 'p' });
    expect(EVENT_TYPES_WITH_RESIDENT_IDS).toHaveLength(5);
  });

  it('sealedMembersOf reads sealed members (checked against the key) and seals the plain numbers of older events', () => {
    const base = { householdId: 'h', caseId: 'c', urbanRural: 'rural', persons: 2, monthlyAmountFen: 1, effectivePeriod: '2024-01' } as const;
    const sealed: DibaoHouseholdStartedV1 = { ...base, members: [sealResidentId(cipher, HEAD), sealResidentId(cipher, CHILD)] };
    expect(sealedMembersOf(sealed, cipher)?.map((m) => m.hash)).toEqual([cipher.lookupHash(HEAD), cipher.lookupHash(CHILD)]);
    const legacy: DibaoHouseholdStartedV1 = { ...base, memberResidentIds: [HEAD] };
    expect(sealedMembersOf(legacy, cipher)?.map((m) => cipher.unseal(m))).toEqual([HEAD]);
    const keeps: DibaoHouseholdAdjustedV1 = { householdId: 'h', caseId: 'c', urbanRural: 'rural', personsBefore: 2, personsAfter: 2, monthlyAmountBeforeFen: 1, monthlyAmountAfterFen: 2, effectivePeriod: '2024-02', reason: 'r' };
    expect(sealedMembersOf(keeps, cipher)).toBeUndefined();
    // Sealed under another key: refused, so a misconfigured service dead-letters instead of matching nobody.
    expect(() => sealedMembersOf(sealed, new PersonalDataCipher(randomBytes(32).toString('base64')))).toThrow();
  });
});
