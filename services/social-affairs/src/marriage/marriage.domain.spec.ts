import { buildResidentId } from '@civil/domain-kernel';
import { certificateNumber, divorceCertificateMismatches, marriageRefusals, particularMismatches, type MarriageRule, type PartyFacts } from './marriage.domain';

const rule: MarriageRule = { maleMinAge: 22, femaleMinAge: 20, jurisdiction: 'province-residence' };
const REGISTRY = '430503000000';
// Odd sequence numbers are men, even ones women.
const man = (birthDate: string, more: Partial<PartyFacts> = {}): PartyFacts => ({ residentId: buildResidentId('430503', birthDate, 11).value, hukouDivisionCode: '430503000000', currentStatus: null, ...more });
const woman = (birthDate: string, more: Partial<PartyFacts> = {}): PartyFacts => ({ residentId: buildResidentId('430503', birthDate, 12).value, hukouDivisionCode: '430503000000', currentStatus: null, ...more });
const rules = (parties: [PartyFacts, PartyFacts], on: string, r: MarriageRule = rule): string[] => marriageRefusals(parties, on, REGISTRY, r).map((f) => `${f.field}:${f.rule}`);

describe('marriageRefusals', () => {
  it('lets a man of 22 and a woman of 20 marry on their birthdays', () => {
    expect(rules([man('2001-05-20'), woman('2003-05-20')], '2023-05-20')).toEqual([]);
  });

  it.each<[string, string, string, string[]]>([
    ['the man one day short of 22', '2001-05-21', '2003-05-20', ['parties[0].residentId:minimum-age']],
    ['the woman one day short of 20', '2001-05-20', '2003-05-21', ['parties[1].residentId:minimum-age']],
    ['both too young', '2002-01-01', '2004-01-01', ['parties[0].residentId:minimum-age', 'parties[1].residentId:minimum-age']],
  ])('refuses %s', (_label, manBirth, womanBirth, expected) => {
    expect(rules([man(manBirth), woman(womanBirth)], '2023-05-20')).toEqual(expected);
  });

  it('counts a 29 February birthday from 1 March in common years', () => {
    expect(rules([man('2000-02-29'), woman('2000-03-01')], '2022-02-28')).toEqual(['parties[0].residentId:minimum-age']);
    expect(rules([man('2000-02-29'), woman('2000-03-01')], '2022-03-01')).toEqual([]);
  });

  it('refuses two persons of one sex', () => {
    expect(rules([man('1990-01-01'), { ...man('1991-01-01'), residentId: buildResidentId('430503', '1991-01-01', 13).value }], '2023-05-20')).toEqual(['parties:one-man-one-woman']);
  });

  it('refuses a person our records show married, but not one divorced or widowed', () => {
    expect(rules([man('1990-01-01', { currentStatus: 'married' }), woman('1990-01-01')], '2023-05-20')).toEqual(['parties[0].residentId:already-married']);
    expect(rules([man('1990-01-01', { currentStatus: 'divorced' }), woman('1990-01-01', { currentStatus: 'widowed' })], '2023-05-20')).toEqual([]);
  });

  it.each<[string, Partial<PartyFacts>, Partial<PartyFacts>, MarriageRule, boolean]>([
    ['one party’s 户籍 in the county', { hukouDivisionCode: '430503101000' }, { hukouDivisionCode: '440100000000' }, rule, true],
    ['neither 户籍 here, one residing in Hunan', { hukouDivisionCode: '440100000000', residenceDivisionCode: '430102000000' }, { hukouDivisionCode: '440100000000' }, rule, true],
    ['the same, before the residence rule', { hukouDivisionCode: '440100000000', residenceDivisionCode: '430102000000' }, { hukouDivisionCode: '440100000000' }, { ...rule, jurisdiction: 'hukou' }, false],
    ['neither 户籍 nor residence here', { hukouDivisionCode: '440100000000', residenceDivisionCode: '440300000000' }, { hukouDivisionCode: '430502000000' }, rule, false],
  ])('jurisdiction: %s', (_label, a, b, r, allowed) => {
    expect(rules([man('1990-01-01', a), woman('1990-01-01', b)], '2023-05-20', r).includes('parties:jurisdiction')).toBe(!allowed);
  });
});

describe('certificateNumber', () => {
  it('is J + county + year + serial, BJ for a reissue', () => {
    expect(certificateNumber('original', '430503000000', 2023, 123)).toBe('J430503-2023-000123');
    expect(certificateNumber('reissue', '430503000000', 2024, 5)).toBe('BJ430503-2024-000005');
  });

  it.each([0, 1_000_000, 1.5])('refuses serial %p', (serial) => {
    expect(() => certificateNumber('original', '430503000000', 2023, serial)).toThrow(RangeError);
  });
});

describe('particularMismatches', () => {
  const registration = { registeredOn: '2023-05-20', parties: [{ name: '张三', residentId: 'A' }, { name: '李四', residentId: 'B' }] };
  it('finds nothing when the certificate states the registration', () => {
    expect(particularMismatches(structuredClone(registration), registration)).toEqual([]);
  });
  it('names each field that differs', () => {
    const printed = { registeredOn: '2023-05-21', parties: [{ name: '张三', residentId: 'A' }, { name: '李斯', residentId: 'C' }] };
    expect(particularMismatches(printed, registration)).toEqual(['registeredOn', 'parties[1].name', 'parties[1].residentId']);
  });
});

describe('divorceCertificateMismatches', () => {
  const husband = { name: '甲', residentId: buildResidentId('430503', '1985-08-08', 71).value };
  const wife = { name: '乙', residentId: buildResidentId('430503', '1986-09-09', 72).value };
  const parties = [husband, wife];
  const registration = { registryDivisionCode: REGISTRY, coolingOffEndsOn: '2023-06-30', appearByOn: '2023-07-31', marriageParties: parties };
  const certificate = { number: 'L430503-2023-000001', registeredOn: '2023-07-03', parties };

  it('matches a certificate numbered for its registry and year, dated within the appearance period, naming the married couple', () => {
    expect(divorceCertificateMismatches(certificate, registration)).toEqual([]);
    expect(divorceCertificateMismatches({ ...certificate, registeredOn: '2023-07-31' }, registration)).toEqual([]);
  });

  it('names each field that differs', () => {
    expect(divorceCertificateMismatches({ ...certificate, number: 'L430521-2023-000001' }, registration)).toEqual(['number']);
    expect(divorceCertificateMismatches({ ...certificate, number: 'L430503-2022-000001' }, registration)).toEqual(['number']);
    expect(divorceCertificateMismatches({ ...certificate, number: 'J430503-2023-000001' }, registration)).toEqual(['number']);
    expect(divorceCertificateMismatches({ ...certificate, registeredOn: '2023-06-30' }, registration)).toEqual(['registeredOn']);
    expect(divorceCertificateMismatches({ ...certificate, registeredOn: '2023-08-01' }, registration)).toEqual(['registeredOn']);
    expect(divorceCertificateMismatches({ ...certificate, parties: [husband, { ...wife, name: '丙' }] }, registration)).toEqual(['parties[1].name']);
    expect(divorceCertificateMismatches({ ...certificate, parties: [husband] }, registration)).toEqual(['parties', 'parties[1].name', 'parties[1].residentId']);
  });
});
