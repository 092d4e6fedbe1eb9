import { ResidentId } from '@civil/domain-kernel';

/**
 * Masking of personal data in responses (architecture rule 9): resident ID numbers keep the
 * six-digit region and the last four characters (430503********123X), phone numbers the first
 * three and last four digits (138****5678). Resident IDs are recognised wherever they appear — by
 * their checksum, so other eighteen-digit numbers are left alone —, phone numbers by the field
 * that holds them.
 */
export function maskResidentId(value: string): string {
  return `${value.slice(0, 6)}********${value.slice(14)}`;
}

export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(value.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

const PHONE_FIELD = /(phone|mobile|telephone|tel)$/i;
const RESIDENT_ID_IN_TEXT = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;

/** Format and check character only: an ID with an odd birth date is still someone's ID. */
function isResidentId(value: string): boolean {
  return /^\d{17}[\dXx]$/.test(value) && ResidentId.checkCharacter(value.slice(0, 17)) === value.slice(17).toUpperCase();
}

/** Resident IDs inside free text (CSV, HTML): masked where the checksum says they are one. */
export function maskText(text: string): string {
  return text.replace(RESIDENT_ID_IN_TEXT, (match) => (isResidentId(match) ? maskResidentId(match) : match));
}

/** A JSON value with every resident ID and phone number masked; counts what it masked. */
export function maskPersonalData(value: unknown): { value: unknown; masked: number } {
  let masked = 0;
  const walk = (node: unknown, key: string | null): unknown => {
    if (typeof node === 'string') {
      if (key !== null && PHONE_FIELD.test(key) && node !== '') {
        masked++;
        return maskPhone(node);
      }
      if (node.length === 18 && isResidentId(node)) {
        masked++;
        return maskResidentId(node);
      }
      if (node.length > 18) {
        const text = maskText(node);
        if (text !== node) masked++;
        return text;
      }
      return node;
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, key));
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k)]));
    }
    return node;
  };
  return { value: walk(value, null), masked };
}
