import type { PersonalDataCipher } from '@civil/platform';

/**
 * How this service keeps a resident ID at rest (issue 8): never the number, but
 *   - `…_hash`: the keyed lookup hash, to find, join and keep people unique with plain SQL, and
 *   - `…_enc`: the ciphertext, decrypted only where a reply or the bank file needs the number.
 * Facts SQL needs from the number (household_member.birth_date, sex) are columns of their own.
 */
export interface SealedResidentId {
  hash: string;
  enc: string;
}

export function sealResidentId(cipher: PersonalDataCipher, residentId: string): SealedResidentId {
  return { hash: cipher.lookupHash(residentId), enc: cipher.encrypt(residentId.trim().toUpperCase()) };
}

/** The lookup hash of an actor's resident ID, or null (a staff actor, who matches nobody). */
export function lookupHashOrNull(cipher: PersonalDataCipher, residentId: string | null | undefined): string | null {
  return residentId === undefined || residentId === null || residentId === '' ? null : cipher.lookupHash(residentId);
}
