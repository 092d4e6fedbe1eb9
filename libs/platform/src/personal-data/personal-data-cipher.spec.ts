import { randomBytes } from 'node:crypto';
import { DEVELOPMENT_PERSONAL_DATA_KEY, PersonalDataCipher, PersonalDataKeyMissingError, lookupHashOrNull, personalDataConfigSchema, sealResidentId } from './personal-data-cipher';

const ID = '43050319900101123X';

describe('PersonalDataCipher', () => {
  const cipher = new PersonalDataCipher(randomBytes(32).toString('base64'));

  it('round-trips, with a fresh nonce each time and no trace of the number in the ciphertext', () => {
    const a = cipher.encrypt(ID);
    const b = cipher.encrypt(ID);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(a).not.toContain('430503');
    expect(cipher.decrypt(a)).toBe(ID);
    expect(cipher.decrypt(b)).toBe(ID);
  });

  it('refuses a ciphertext under another key or altered by one character', () => {
    const stored = cipher.encrypt(ID);
    expect(() => new PersonalDataCipher(randomBytes(32).toString('base64')).decrypt(stored)).toThrow();
    // A character inside the ciphertext (the last one may carry only padding bits).
    const at = Math.floor(stored.length / 2);
    const altered = `${stored.slice(0, at)}${stored[at] === 'A' ? 'B' : 'A'}${stored.slice(at + 1)}`;
    expect(() => cipher.decrypt(altered)).toThrow();
    expect(() => cipher.decrypt('v2.abc')).toThrow('not a personal-data ciphertext');
  });

  it('gives a stable keyed lookup hash, the same for x and X, different under another key', () => {
    expect(cipher.lookupHash(ID)).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.lookupHash(ID.toLowerCase())).toBe(cipher.lookupHash(ID));
    expect(cipher.lookupHash(ID)).not.toBe(cipher.lookupHash('430503199001011236'));
    expect(new PersonalDataCipher(randomBytes(32).toString('base64')).lookupHash(ID)).not.toBe(cipher.lookupHash(ID));
  });

  it('uses the public development key only outside production', () => {
    expect(PersonalDataCipher.fromEnvironment({ NODE_ENV: 'development' }).lookupHash(ID)).toBe(new PersonalDataCipher(DEVELOPMENT_PERSONAL_DATA_KEY).lookupHash(ID));
    expect(() => PersonalDataCipher.fromEnvironment({ NODE_ENV: 'production' })).toThrow(PersonalDataKeyMissingError);
    expect(() => PersonalDataCipher.fromEnvironment({ NODE_ENV: 'production', PERSONAL_DATA_KEY: '' })).toThrow(PersonalDataKeyMissingError);
    const key = randomBytes(32).toString('base64');
    expect(PersonalDataCipher.fromEnvironment({ NODE_ENV: 'production', PERSONAL_DATA_KEY: key }).lookupHash(ID)).toBe(new PersonalDataCipher(key).lookupHash(ID));
  });

  it('validates the configured key', () => {
    expect(personalDataConfigSchema.safeParse({ PERSONAL_DATA_KEY: randomBytes(32).toString('base64') }).success).toBe(true);
    expect(personalDataConfigSchema.safeParse({ PERSONAL_DATA_KEY: randomBytes(16).toString('base64') }).success).toBe(false);
    expect(personalDataConfigSchema.safeParse({ PERSONAL_DATA_KEY: 'not base64 at all!' }).success).toBe(false);
  });
});

describe('sealResidentId and lookupHashOrNull', () => {
  const cipher = new PersonalDataCipher(randomBytes(32).toString('base64'));

  it('seals the normalised number: a lower-case check character and spaces make the same person', () => {
    const sealed = sealResidentId(cipher, ` ${ID.toLowerCase()} `);
    expect(sealed.hash).toBe(cipher.lookupHash(ID));
    expect(cipher.decrypt(sealed.enc)).toBe(ID);
  });

  it('gives no hash for an actor without a resident ID', () => {
    expect(lookupHashOrNull(cipher, undefined)).toBeNull();
    expect(lookupHashOrNull(cipher, null)).toBeNull();
    expect(lookupHashOrNull(cipher, '')).toBeNull();
    expect(lookupHashOrNull(cipher, ID)).toBe(cipher.lookupHash(ID));
  });
});
