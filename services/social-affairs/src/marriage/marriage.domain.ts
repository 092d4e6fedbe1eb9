/**
 * Marriage registration rules as pure functions: who may marry (sexes, minimum ages on the
 * registration date from the resident IDs, no spouse in our records, the registry's jurisdiction),
 * certificate numbers, and the comparison of a certificate with its registration.
 */
import { ResidentId } from '@civil/domain-kernel';

export interface MarriageRule {
  maleMinAge: number;
  femaleMinAge: number;
  jurisdiction: 'hukou' | 'province-residence';
}

export interface PartyFacts {
  residentId: string;
  hukouDivisionCode: string;
  residenceDivisionCode?: string | undefined;
  /** The person's marital status in our records; null when we hold none (never registered here). */
  currentStatus: 'married' | 'divorced' | 'widowed' | null;
}

export interface RefusalFinding {
  field: string;
  rule: string;
  message: string;
}

/**
 * Every reason the two parties may not marry here on `registeredOn`, each naming the party's
 * field; empty when they may. The registry's division is twelve digits.
 */
export function marriageRefusals(parties: readonly [PartyFacts, PartyFacts], registeredOn: string, registryDivisionCode: string, rule: MarriageRule): RefusalFinding[] {
  const findings: RefusalFinding[] = [];
  const ids = parties.map((p) => ResidentId.parse(p.residentId));
  const sexes = ids.map((id) => id.sex);
  if (sexes[0] === sexes[1]) {
    findings.push({ field: 'parties', rule: 'one-man-one-woman', message: 'a marriage is registered between a man and a woman' });
  }
  ids.forEach((id, i) => {
    const field = `parties[${i}].residentId`;
    if (registeredOn < id.birthDate) {
      findings.push({ field, rule: 'born', message: 'the registration date is before the birth date' });
      return;
    }
    const age = id.ageOn(registeredOn);
    const minimum = id.sex === 'male' ? rule.maleMinAge : rule.femaleMinAge;
    if (age < minimum) findings.push({ field, rule: 'minimum-age', message: `aged ${age} on ${registeredOn}; a ${id.sex === 'male' ? 'man' : 'woman'} may marry from ${minimum}` });
    if (parties[i]?.currentStatus === 'married') findings.push({ field, rule: 'already-married', message: 'our records show this person married' });
  });
  const county = registryDivisionCode.slice(0, 6);
  const province = registryDivisionCode.slice(0, 2);
  const byHukou = parties.some((p) => p.hukouDivisionCode.startsWith(county));
  const byResidence = rule.jurisdiction === 'province-residence' && parties.some((p) => p.residenceDivisionCode?.startsWith(province) === true);
  if (!byHukou && !byResidence) {
    findings.push({
      field: 'parties',
      rule: 'jurisdiction',
      message:
        rule.jurisdiction === 'hukou'
          ? `neither party's household registration is in ${county}`
          : `neither party's household registration is in ${county}, nor does either usually reside in province ${province}`,
    });
  }
  return findings;
}

/** 结婚证字号: J + the registry's county code + year + a six-digit serial; BJ for a reissue (补发). */
export function certificateNumber(kind: 'original' | 'reissue', registryDivisionCode: string, year: number, serial: number): string {
  if (!Number.isSafeInteger(serial) || serial < 1 || serial > 999_999) throw new RangeError(`serial must be 1..999999, got ${serial}`);
  return `${kind === 'original' ? 'J' : 'BJ'}${registryDivisionCode.slice(0, 6)}-${year}-${String(serial).padStart(6, '0')}`;
}

/** What a certificate states: the registration date and both parties' names and resident IDs. */
export interface Particulars {
  registeredOn: string;
  parties: { name: string; residentId: string }[];
}

/** The fields in which a certificate differs from its registration; empty when it matches. */
export function particularMismatches(certificate: Particulars, registration: Particulars): string[] {
  const fields: string[] = [];
  if (certificate.registeredOn !== registration.registeredOn) fields.push('registeredOn');
  if (certificate.parties.length !== registration.parties.length) fields.push('parties');
  registration.parties.forEach((party, i) => {
    const printed = certificate.parties[i];
    if (printed?.name !== party.name) fields.push(`parties[${i}].name`);
    if (printed?.residentId !== party.residentId) fields.push(`parties[${i}].residentId`);
  });
  return fields;
}

/**
 * What a 离婚证 states: its number (`L` + the registry's county code + year + serial), the
 * registration date and the two parties as recorded on the divorce registration.
 */
export interface DivorceCertificateParticulars {
  number: string;
  registeredOn: string;
  parties: { name: string; residentId: string }[];
}

/** What a divorce certificate must agree with: its registry, its registration's period, and the marriage it dissolves. */
export interface DivorceRegistrationFacts {
  registryDivisionCode: string;
  /** Cooling-off ends on this day; registration is possible from the day after … */
  coolingOffEndsOn: string;
  /** … through this day. */
  appearByOn: string;
  /** The parties of the marriage registration dissolved. */
  marriageParties: { name: string; residentId: string }[];
}

const DIVORCE_CERTIFICATE_NUMBER = /^L(\d{6})-(\d{4})-(\d{6})$/;

/**
 * The fields in which a divorce certificate differs from its registration; empty when it matches:
 * `number` (not L + the registry's county + the registration year + a serial), `registeredOn`
 * (outside the appearance period, when no registration could take place), and each party's name
 * and resident ID against the marriage dissolved.
 */
export function divorceCertificateMismatches(certificate: DivorceCertificateParticulars, registration: DivorceRegistrationFacts): string[] {
  const fields: string[] = [];
  const number = DIVORCE_CERTIFICATE_NUMBER.exec(certificate.number);
  if (!number || number[1] !== registration.registryDivisionCode.slice(0, 6) || number[2] !== certificate.registeredOn.slice(0, 4) || number[3] === '000000') fields.push('number');
  if (certificate.registeredOn <= registration.coolingOffEndsOn || certificate.registeredOn > registration.appearByOn) fields.push('registeredOn');
  if (certificate.parties.length !== registration.marriageParties.length) fields.push('parties');
  registration.marriageParties.forEach((party, i) => {
    const printed = certificate.parties[i];
    if (printed?.name !== party.name) fields.push(`parties[${i}].name`);
    if (printed?.residentId !== party.residentId) fields.push(`parties[${i}].residentId`);
  });
  return fields;
}
