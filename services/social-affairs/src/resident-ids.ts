import { PersonalDataCipher, sealResidentId } from '@civil/platform';

/**
 * How social affairs keeps a resident ID at rest (issue 8): never the number, but
 *   - `…_hash`: the keyed lookup hash (PersonalDataCipher.lookupHash), to find, join and keep
 *     people unique with plain SQL, and
 *   - `…_enc`: the ciphertext, decrypted only where a reply needs the number (then masked or
 *     revealed by residentIdFor as before).
 * JSON columns that list people (marriage_registration.parties, marriage_certificate.particulars,
 * divorce_application.parties) hold each person as a StoredParty.
 */
/** A person as the JSON columns store them: name, and the resident ID's lookup hash and ciphertext. */
export interface StoredParty {
  name: string;
  residentIdHash: string;
  residentIdEnc: string;
}

export interface PlainParty {
  name: string;
  residentId: string;
}

export function sealParty(cipher: PersonalDataCipher, party: PlainParty): StoredParty {
  const { hash, enc } = sealResidentId(cipher, party.residentId);
  return { name: party.name, residentIdHash: hash, residentIdEnc: enc };
}

export function openParty(cipher: PersonalDataCipher, party: StoredParty): PlainParty {
  return { name: party.name, residentId: cipher.decrypt(party.residentIdEnc) };
}

/**
 * A stored party in the shape the particulars checks compare, with the lookup hash standing in
 * for the number: equal hashes are equal numbers, so nothing needs decrypting to compare.
 */
export function comparableParty(party: StoredParty): PlainParty {
  return { name: party.name, residentId: party.residentIdHash };
}

let fromEnvironment: PersonalDataCipher | undefined;

/**
 * The cipher from this process's environment (PERSONAL_DATA_KEY), for services built by hand (the
 * demo, tests); in the service, Nest injects PlatformModule's, made from the same variable.
 */
export function environmentCipher(): PersonalDataCipher {
  fromEnvironment ??= PersonalDataCipher.fromEnvironment(process.env);
  return fromEnvironment;
}
